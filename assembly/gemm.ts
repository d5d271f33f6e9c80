// SIMD f32 GEMMs of the learner: Z = X·Wᵀ (forward) and G (+)= Dᵀ·X (gradient).
//
// Summation order (the contract that makes results bit-reproducible):
//   gemm_xwt:  Z[t,j] = (((0 + X[t,0]·W[j,0]) + X[t,1]·W[j,1]) + ... ) + X[t,k-1]·W[j,k-1]
//   gemm_gtx:  G[j,i] = (((G0 + D[0,j]·X[0,i]) + D[1,j]·X[1,i]) + ... ) + D[n-1,j]·X[n-1,i]
//              with G0 = 0 (accumulate = 0) or the incoming G[j,i] (accumulate = 1).
// Every product and every sum is one IEEE f32 operation (mul then add, never fused), each output
// has exactly one accumulator, and blocking only ever stores that accumulator to memory and loads
// it back (exact in f32). So the bits do not depend on the block sizes, on the tile an output falls
// in, or on how rows are split across calls: gtx over rows [0, a) then over [a, n) with
// accumulate = 1 gives the same bits as one call over [0, n). The scalar twin
// (src/reference/gemm.ts) repeats the same order and matches bit for bit.
//
// Register blocking: 4×8 output tiles held in 8 f32x4 accumulators. Each step broadcasts 4 "A"
// values and loads one 8-wide "B" row from a packed strip: 6 loads, 8 mul, 8 add (64 flops).
// 8 independent add chains cover the add latency (3 cycles × 2 pipes), and 8 acc + 2 B + 1 A
// (+ 1 product temporary) fit the 15 xmm registers V8 allocates on x64 with no spills.
//
// Scratch: the static packing buffers below (1 MiB; asc sizes the initial memory for
// them). They are per instance: the threads build moves each helper's into its own block
// (gemmUseScratch, assembly/threads.ts).

// xwt: the packed W block (at most WBLOCK floats = 256 KiB) stays in L2 and one strip of it
// (8·kc floats) in L1. Small m gets long K blocks (kc = 1024 at m = 32): each 4-row quad of X then
// reads long contiguous runs, which the prefetchers follow, instead of paying a DRAM latency on
// 4 new rows every few hundred steps. At m = 256, 256 KiB (kc = 256) measured 8-14% faster than
// 128 KiB (kc = 128: twice the K blocks, each re-reading and re-writing Z); 512 KiB no better.
export const WBLOCK: i32 = 65536;
const KCMAX: i32 = 1024;
export const MC: i32 = 256;
// Rows are packed a block of quads at a time (at most XQ_FLOATS values, RB rows; 256 KiB in L2),
// then each W strip is swept over all of them: the strip, 32 bytes per step, stays in L1 while
// the quads, 16 bytes per step, stream from L2 (the other way round measured ~4% slower at m = 256).
export const XQ_FLOATS: i32 = 65536;
const RB: i32 = 256;
// gtx: a row block of NB rows; its packed D (NB·MC floats) stays in L2. X is packed one panel of
// PANEL columns at a time (NB·PANEL floats = 256 KiB, in L2): each row contributes 1 KiB read in
// one go, which the prefetchers follow, rather than 32-byte pieces at a 4 KiB stride that alias in
// L1. When X comes from memory (m = 32, n = 4096, k = 1024) this packing does not overlap with the
// arithmetic and costs ~20%; wasm has no prefetch instruction to hide it.
export const NB: i32 = 256;
export const PANEL: i32 = 256;

let wPack: usize = memory.data(WBLOCK * 4, 64); // [strip][p][8]: W[j0+8s+c, p0+p], zero-padded c
let xQuads: usize = memory.data(XQ_FLOATS * 4, 64); // [quad][p][4]: X[r0+4q+r, p0+p], a block of row quads
let dPack: usize = memory.data(NB * MC * 4, 64); // [group][t][4]: D[t0+t, j0+4g+r], zero-padded r
let xPack: usize = memory.data(NB * PANEL * 4, 64); // [strip][t][8]: X[t0+t, i0+8s+c], zero-padded c
let tileTmp: usize = memory.data(4 * 8 * 4, 16); // one 4×8 tile for edge tiles (row stride 32 bytes)

const E_XWT = "gemm_xwt: need n, k, m >= 0, ldx >= k, ldw >= k, ldz >= m";
const E_GTX = "gemm_gtx: need n, m, k >= 0, ldd >= m, ldx >= k, ldg >= k";

/** Z (n×m, row stride ldz) = X (n×k, ldx) · Wᵀ with W m×k (ldw). Z is overwritten. */
export function gemm_xwt(X: usize, n: i32, k: i32, ldx: i32, W: usize, m: i32, ldw: i32, Z: usize, ldz: i32): void {
  assert(n >= 0 && k >= 0 && m >= 0 && ldx >= k && ldw >= k && ldz >= m, E_XWT);
  if (n == 0 || m == 0) return;
  const ldxB = <usize>ldx << 2, ldzB = <usize>ldz << 2;
  if (k == 0) {
    for (let t = 0; t < n; t++) memory.fill(Z + <usize>t * ldzB, 0, <usize>m << 2);
    return;
  }
  const ldwB = <usize>ldw << 2;
  for (let j0 = 0; j0 < m; j0 += MC) {
    const mc = min(MC, m - j0);
    const kcMax = min(KCMAX, WBLOCK / (((mc + 7) >> 3) << 3));
    for (let p0 = 0; p0 < k; p0 += kcMax) {
      const kc = min(kcMax, k - p0);
      const stripB = <usize>kc << 5;
      packWStrips(wPack, stripB, W + <usize>j0 * ldwB + (<usize>p0 << 2), ldwB, mc, kc);
      xwtPacked(X + (<usize>p0 << 2), n, ldxB, wPack, stripB, mc, kc, Z + (<usize>j0 << 2), ldzB, p0 == 0);
    }
  }
}

/**
 * One K block of Z = X·Wᵀ from W already packed in strips: strip s of the block starts at
 * wp + s·stripB (32 bytes per step), X points at the block's first column, and Z (mc columns) is
 * started from +0 when `first`, otherwise accumulated (the K blocks must come in order).
 * Exposed to net.ts, which packs W once per chunk and reuses it for every row block.
 */
export function xwtPacked(X: usize, n: i32, ldxB: usize, wp: usize, stripB: usize, mc: i32, kc: i32, Z: usize, ldzB: usize, first: bool): void {
  const strips = (mc + 7) >> 3;
  const rbMax = min(RB, max(4, (XQ_FLOATS / (kc << 2)) << 2));
  const quadB = <usize>kc << 4;
  for (let r0 = 0; r0 < n; r0 += rbMax) {
    const rb = min(rbMax, n - r0);
    const quads = (rb + 3) >> 2;
    for (let q = 0; q < quads; q++) {
      packXQuad(xQuads + <usize>q * quadB, X + <usize>(r0 + (q << 2)) * ldxB, ldxB, min(4, rb - (q << 2)), kc);
    }
    for (let s = 0; s < strips; s++) {
      const cols = min(8, mc - (s << 3));
      const bp = wp + <usize>s * stripB;
      for (let q = 0; q < quads; q++) {
        const rows = min(4, rb - (q << 2));
        const ap = xQuads + <usize>q * quadB;
        const z = Z + <usize>(r0 + (q << 2)) * ldzB + (<usize>s << 5);
        tileAt(ap, 16, bp, kc, z, ldzB, rows, cols, first);
      }
    }
  }
}

/**
 * G (m×k, row stride ldg) = Dᵀ·X, or G += Dᵀ·X when accumulate != 0, with D n×m (ldd) and
 * X n×k (ldx). The sum over rows is sequential in t and continues from G when accumulating.
 */
export function gemm_gtx(D: usize, n: i32, m: i32, ldd: i32, X: usize, k: i32, ldx: i32, G: usize, ldg: i32, accumulate: i32): void {
  assert(n >= 0 && m >= 0 && k >= 0 && ldd >= m && ldx >= k && ldg >= k, E_GTX);
  if (m == 0 || k == 0) return;
  const ldgB = <usize>ldg << 2;
  if (n == 0) {
    if (accumulate == 0) for (let j = 0; j < m; j++) memory.fill(G + <usize>j * ldgB, 0, <usize>k << 2);
    return;
  }
  for (let t0 = 0; t0 < n; t0 += NB) {
    const nb = min(NB, n - t0);
    const first = t0 == 0 && accumulate == 0;
    for (let j0 = 0; j0 < m; j0 += MC) {
      const mc = min(MC, m - j0);
      const groups = (mc + 3) >> 2;
      packD(D + ((<usize>t0 * <usize>ldd + <usize>j0) << 2), <usize>ldd << 2, nb, mc);
      const groupB = <usize>nb << 4;
      for (let q0 = 0; q0 < k; q0 += PANEL) {
        const pc = min(PANEL, k - q0);
        packX(X + ((<usize>t0 * <usize>ldx + <usize>q0) << 2), <usize>ldx << 2, nb, pc);
        for (let i0 = 0; i0 < pc; i0 += 8) {
          const cols = min(8, pc - i0);
          const xp = xPack + <usize>(i0 >> 3) * (<usize>nb << 5);
          for (let g = 0; g < groups; g++) {
            const rows = min(4, mc - (g << 2));
            const gp = G + ((<usize>(j0 + (g << 2)) * <usize>ldg + <usize>(q0 + i0)) << 2);
            const dp = dPack + <usize>g * groupB;
            tileAt(dp, 16, xp, nb, gp, ldgB, rows, cols, first);
          }
        }
      }
    }
  }
}

/**
 * G (m×m, row stride ldg) = Dᵀ·D for D n×m (ldd): the tiles of gemm_gtx(D, …, D, …) that reach the
 * diagonal or above it, then every entry below the diagonal copied from its mirror. G[l,j] and
 * G[j,l] are the same products (f32 multiplication commutes) summed in the same order, so each
 * entry has the bits gemm_gtx gives it, for about 5/8 of the tiles at m = 32.
 */
export function gemm_gtx_self(D: usize, n: i32, m: i32, ldd: i32, G: usize, ldg: i32): void {
  assert(n >= 0 && m >= 0 && ldd >= m && ldg >= m, E_GTX);
  if (m == 0) return;
  const ldgB = <usize>ldg << 2;
  if (n == 0) {
    for (let j = 0; j < m; j++) memory.fill(G + <usize>j * ldgB, 0, <usize>m << 2);
    return;
  }
  for (let t0 = 0; t0 < n; t0 += NB) {
    const nb = min(NB, n - t0);
    const first = t0 == 0;
    for (let j0 = 0; j0 < m; j0 += MC) {
      const mc = min(MC, m - j0);
      const groups = (mc + 3) >> 2;
      packD(D + ((<usize>t0 * <usize>ldd + <usize>j0) << 2), <usize>ldd << 2, nb, mc);
      const groupB = <usize>nb << 4;
      for (let q0 = 0; q0 < m; q0 += PANEL) {
        const pc = min(PANEL, m - q0);
        if (q0 + pc <= j0) continue; // the whole panel is below the diagonal of this row block
        packX(D + ((<usize>t0 * <usize>ldd + <usize>q0) << 2), <usize>ldd << 2, nb, pc);
        for (let i0 = 0; i0 < pc; i0 += 8) {
          const cols = min(8, pc - i0);
          const xp = xPack + <usize>(i0 >> 3) * (<usize>nb << 5);
          for (let g = 0; g < groups; g++) {
            const row = j0 + (g << 2);
            if (q0 + i0 + cols <= row) continue; // every column of the tile is left of its first row
            const rows = min(4, mc - (g << 2));
            const gp = G + ((<usize>row * <usize>ldg + <usize>(q0 + i0)) << 2);
            tileAt(dPack + <usize>g * groupB, 16, xp, nb, gp, ldgB, rows, cols, first);
          }
        }
      }
    }
  }
  for (let j = 1; j < m; j++)
    for (let l = 0; l < j; l++)
      store<f32>(G + <usize>j * ldgB + (<usize>l << 2), load<f32>(G + <usize>l * ldgB + (<usize>j << 2)));
}

/**
 * Pᵀ (k×m, row stride ldpB bytes) = Xᵀ·D over nb rows, or Pᵀ += Xᵀ·D when `first` is false, with
 * X nb×k (row stride ldxB bytes) and D nb×m (row stride lddB bytes). Pᵀ[i,j] gets exactly the bits
 * gemm_gtx gives G[j,i]: the same products (f32 multiplication commutes) summed in the same order,
 * sequential in t from the incoming value. X is read where it lies, with no packing: a tile covers
 * 4 consecutive columns of X (broadcast lane by lane, one row per step) and 8 neurons of a packed D
 * strip. The fused gradient (net.ts) uses it on row blocks its forward product has just brought in.
 */
export function gtxTransposed(D: usize, nb: i32, m: i32, lddB: usize, X: usize, k: i32, ldxB: usize, P: usize, ldpB: usize, first: bool): void {
  if (nb <= 0 || m <= 0 || k <= 0) return;
  for (let t0 = 0; t0 < nb; t0 += NB) {
    const tb = min(NB, nb - t0);
    const f = first && t0 == 0;
    const stripB = <usize>tb << 5;
    for (let j0 = 0; j0 < m; j0 += MC) {
      const mc = min(MC, m - j0);
      const strips = (mc + 7) >> 3;
      packDStrips(D + <usize>t0 * lddB + (<usize>j0 << 2), lddB, tb, mc);
      const x0 = X + <usize>t0 * ldxB;
      for (let i0 = 0; i0 < k; i0 += 4) {
        const rows = min(4, k - i0);
        let ap = x0 + (<usize>i0 << 2), aStride = ldxB;
        if (rows < 4) { packXTail(ap, ldxB, tb, rows); ap = xPack; aStride = 16; }
        for (let s = 0; s < strips; s++) {
          const cols = min(8, mc - (s << 3));
          const c = P + <usize>i0 * ldpB + (<usize>(j0 + (s << 3)) << 2);
          const bp = dPack + <usize>s * stripB;
          tileAt(ap, aStride, bp, tb, c, ldpB, rows, cols, f);
        }
      }
    }
  }
}

// Packs tb rows × mc (≤ MC) columns of D into 8-column strips dPack[s][t][8], zero-padding the
// columns of the last strip past mc.
function packDStrips(d: usize, lddB: usize, tb: i32, mc: i32): void {
  const stripB = <usize>tb << 5;
  const full = mc >> 3, rest = mc & 7;
  for (let t = 0; t < tb; t++) {
    const src = d + <usize>t * lddB;
    let dst = dPack + (<usize>t << 5);
    for (let s = 0; s < full; s++) {
      v128.store(dst, v128.load(src + (<usize>s << 5)));
      v128.store(dst, v128.load(src + (<usize>s << 5), 16), 16);
      dst += stripB;
    }
    if (rest > 0) {
      const o = src + (<usize>full << 5);
      for (let c = 0; c < 8; c++) store<f32>(dst + (<usize>c << 2), c < rest ? load<f32>(o + (<usize>c << 2)) : 0);
    }
  }
}

// The last rows < 4 columns of X for tb rows into xPack[t][4], zero-padded.
function packXTail(x: usize, ldxB: usize, tb: i32, rows: i32): void {
  for (let t = 0; t < tb; t++) {
    const src = x + <usize>t * ldxB, dst = xPack + (<usize>t << 4);
    for (let r = 0; r < 4; r++) store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
  }
}

// A rows x cols tile (at most 4 x 8) of C: full tiles go straight to the micro-kernel, edge tiles
// through tileTmp so the kernel never reads or writes outside C.
@inline function tileAt(ap: usize, aStride: usize, bp: usize, steps: i32, c: usize, ldcB: usize, rows: i32, cols: i32, first: bool): void {
  if (rows == 4 && cols == 8) {
    tile4x8s(ap, aStride, bp, steps, c, ldcB, first);
  } else {
    if (!first) tileIn(c, ldcB, rows, cols);
    tile4x8s(ap, aStride, bp, steps, tileTmp, 32, first);
    tileOut(c, ldcB, rows, cols);
  }
}

// The micro-kernel of both products: a 4×8 tile C (row stride ldcB bytes) accumulates `steps`
// outer products of a 4-vector of A (`aStride` bytes per step, 16 when packed; broadcast lane by
// lane) and an 8-vector of packed B (32 bytes per step). `first` starts from +0, otherwise from the
// tile at c. One step per iteration on purpose: with a hand-unrolled body TurboFan schedules all
// the loads of both steps first, runs out of xmm registers and spills accumulators (measured 27 vs
// 39 GFLOP/s, at any binaryen level). One inlined body serves every stride, and measured no slower
// than a packed-only copy (40-42 vs 37-38 GFLOP/s at m = 256). The loop is about 31 x64
// instructions per step (16 of them mul/add, plus V8's per-iteration stack check), so it is
// issue-bound at ~80% of the mul+add peak.
@inline function tile4x8s(ap: usize, aStride: usize, bp: usize, steps: i32, c: usize, ldcB: usize, first: bool): void {
  let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128;
  if (first) {
    c00 = f32x4.splat(0); c01 = c00; c10 = c00; c11 = c00; c20 = c00; c21 = c00; c30 = c00; c31 = c00;
  } else {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldcB); c11 = v128.load(c + ldcB, 16);
    c20 = v128.load(c + 2 * ldcB); c21 = v128.load(c + 2 * ldcB, 16);
    c30 = v128.load(c + 3 * ldcB); c31 = v128.load(c + 3 * ldcB, 16);
  }
  const end = bp + (<usize>steps << 5);
  while (bp < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += aStride; bp += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldcB, c10); v128.store(c + ldcB, c11, 16);
  v128.store(c + 2 * ldcB, c20); v128.store(c + 2 * ldcB, c21, 16);
  v128.store(c + 3 * ldcB, c30); v128.store(c + 3 * ldcB, c31, 16);
}

/**
 * Packs mc rows × kc columns of W (row stride ldwB bytes) into 8-row strips at dst, strip s at
 * dst + s·stripB, p-major within a strip (8 floats per step). Rows past mc are zero-filled;
 * the outputs they produce are never stored.
 */
export function packWStrips(dst: usize, stripB: usize, w: usize, ldwB: usize, mc: i32, kc: i32): void {
  const strips = (mc + 7) >> 3;
  for (let s = 0; s < strips; s++) {
    const base = dst + <usize>s * stripB;
    for (let c = 0; c < 8; c++) {
      const j = (s << 3) + c;
      let d = base + (<usize>c << 2);
      if (j < mc) {
        let src = w + <usize>j * ldwB;
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += 4; d += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) { store<f32>(d, 0); d += 32; }
      }
    }
  }
}

// Packs nb rows × mc columns of D into 4-column groups, t-major within a group.
function packD(d: usize, lddB: usize, nb: i32, mc: i32): void {
  const groups = (mc + 3) >> 2;
  const groupB = <usize>nb << 4;
  for (let g = 0; g < groups; g++) {
    const dst = dPack + <usize>g * groupB;
    const j = g << 2;
    const full = mc - j >= 4;
    let src = d + (<usize>j << 2);
    for (let t = 0; t < nb; t++) {
      const o = dst + (<usize>t << 4);
      if (full) {
        v128.store(o, v128.load(src));
      } else {
        for (let r = 0; r < 4; r++) store<f32>(o + (<usize>r << 2), j + r < mc ? load<f32>(src + (<usize>r << 2)) : 0);
      }
      src += lddB;
    }
  }
}

// Packs nb rows × pc (≤ PANEL) columns of X into 8-column strips xPack[s][t][8], zero-padding
// the columns of the last strip past pc.
function packX(x: usize, ldxB: usize, nb: i32, pc: i32): void {
  const stripB = <usize>nb << 5;
  const full = pc >> 3;
  let src = x;
  for (let t = 0; t < nb; t++) {
    let dst = xPack + (<usize>t << 5);
    for (let s = 0; s < full; s++) {
      const o = <usize>s << 5;
      v128.store(dst, v128.load(src + o));
      v128.store(dst, v128.load(src + o, 16), 16);
      dst += stripB;
    }
    const rest = pc - (full << 3);
    if (rest > 0) {
      const o = <usize>full << 5;
      for (let c = 0; c < 8; c++) store<f32>(dst + (<usize>c << 2), c < rest ? load<f32>(src + o + (<usize>c << 2)) : 0);
    }
    src += ldxB;
  }
}

// Packs 4 rows × kc columns of X (row stride ldxB) into dst[p][4]; rows past `rows` repeat the
// last real row (their results are computed and discarded). Full quads use a 4×4 transpose.
function packXQuad(dst: usize, x: usize, ldxB: usize, rows: i32, kc: i32): void {
  const x0 = x;
  const x1 = rows > 1 ? x0 + ldxB : x0;
  const x2 = rows > 2 ? x1 + ldxB : x1;
  const x3 = rows > 3 ? x2 + ldxB : x2;
  let p = 0, o: usize = 0;
  for (; p + 4 <= kc; p += 4) {
    const r0 = v128.load(x0 + o), r1 = v128.load(x1 + o), r2 = v128.load(x2 + o), r3 = v128.load(x3 + o);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const d = dst + (o << 2);
    v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
    v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
    v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
    v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
    o += 16;
  }
  for (; p < kc; p++) {
    const d = dst + (o << 2);
    store<f32>(d, load<f32>(x0 + o)); store<f32>(d, load<f32>(x1 + o), 4);
    store<f32>(d, load<f32>(x2 + o), 8); store<f32>(d, load<f32>(x3 + o), 12);
    o += 4;
  }
}

// Edge tiles go through tileTmp: copy the valid part in (zeros elsewhere) and back out.
function tileIn(p: usize, ldB: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 8; c++) {
      const v: f32 = r < rows && c < cols ? load<f32>(p + <usize>r * ldB + (<usize>c << 2)) : 0;
      store<f32>(tileTmp + (<usize>r << 5) + (<usize>c << 2), v);
    }
  }
}
function tileOut(p: usize, ldB: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(p + <usize>r * ldB + (<usize>c << 2), load<f32>(tileTmp + (<usize>r << 5) + (<usize>c << 2)));
    }
  }
}


/** Threads build only (threads.ts): moves this module's packing buffers to [p, p + GEMM_SCRATCH_BYTES) (p 64-byte aligned). */
export const GEMM_SCRATCH_BYTES: usize = (<usize>WBLOCK + <usize>XQ_FLOATS + <usize>NB * <usize>MC + <usize>NB * <usize>PANEL + 32) * 4;
export function gemmUseScratch(p: usize): void {
  wPack = p; p += <usize>WBLOCK * 4;
  xQuads = p; p += <usize>XQ_FLOATS * 4;
  dPack = p; p += <usize>NB * <usize>MC * 4;
  xPack = p; p += <usize>NB * <usize>PANEL * 4;
  tileTmp = p;
}
