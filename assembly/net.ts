// The two-layer network of the learner (DESIGN §2.2): f(x) = Σ_j a_j relu(⟨w_j, x⟩ + b_j).
//
// Data X is rows×k row-major f32 (row stride ldx): k = |M| for a pruned net whose columns are
// already compacted, k = d for the dense net. W is m×k (ldw), b and a are f32 vectors of length m.
//
// The chunk rule. Every reduction over rows is done for one chunk of at most CHUNK_ROWS rows per
// call: the kernel computes the chunk's partial sum from zero, in a fixed order, and adds it to
// the caller's running total (which the caller visits in chunk order). A trial therefore gives
// the same bits whether rows are kept in memory or regenerated chunk by chunk. Inside a call the
// order never depends on how the kernel blocks rows (see the GEMM contract in gemm.ts).
//
// Non-finite values propagate: relu is f32 max (max(NaN, 0) = NaN), so a NaN weight shows up in
// the loss, the features and the step's count instead of being silently clipped.

import { CHUNK_ROWS } from "./rng";
import { gemm_xwt, gtxTransposed, packWStrips, xwtPacked } from "./gemm";

const E_SHAPE = "net: need rows, k, m >= 0, ldx >= k, ldw >= k";
const E_CHUNK = "net: a reduction kernel takes at most CHUNK_ROWS (1024) rows per call (the chunk rule)";
const E_N = "net_grad: the total sample count N must be positive";
const E_READOUT = "readout: need rows, p >= 0 and ldf >= p";

// The fused gradient works on row blocks of about XBLOCK_FLOATS values of X (256 KiB: nb = 16 rows
// at k = 4096, 64 at k = 1024, 256 at k = 256), so Dᵀ·X re-reads X from cache rather than memory.
// Dᵀ·X reads the block in place, in its transposed form (gemm.ts gtxTransposed, 7% faster per
// dense step than packing X again), which wants a row stride that is not a multiple of 4 KiB:
// the pipeline pads wide rows (src/trial/layout.ts paddedStride). Since that layout, 256 KiB measured
// 4-11% faster per dense step than 1 MiB by CPU time at k = 256 and 1024 and the same within noise
// at k = 4096 (m = 32; the block, the packed W and the partial P then fit the 1 MiB L2 together);
// 128 KiB was as fast at k <= 1024 and slower at k = 4096 (8-row blocks). Any block size gives the
// same bits (net_grad_set_block, for the benchmark and the test that shows it).
const XBLOCK_FLOATS: i32 = 65536;
let xblockFloats: i32 = XBLOCK_FLOATS;
const KCF: i32 = 1024; // K block of the fused forward product (xwtPacked packs ≥ 16 row quads of it)

/**
 * Forward pass for `rows` rows: out[t] = Σ_j a_j·relu(Z[t,j] + b_j) as f64 (sequential over j,
 * each term f64(a_j)·f64(relu) with relu computed in f32). Z (rows×m, ldz) is scratch and holds
 * the hidden activations relu(X·Wᵀ + b) on return. No reduction over rows: any row count.
 */
export function net_forward(X: usize, rows: i32, k: i32, ldx: i32, W: usize, m: i32, ldw: i32,
  b: usize, a: usize, Z: usize, ldz: i32, out: usize): void {
  assert(rows >= 0 && k >= 0 && m >= 0 && ldx >= k && ldw >= k && ldz >= m, E_SHAPE);
  gemm_xwt(X, rows, k, ldx, W, m, ldw, Z, ldz);
  const ldzB = <usize>ldz << 2;
  for (let t = 0; t < rows; t++) reluRow(Z + <usize>t * ldzB, b, m);
  for (let t = 0; t < rows; t++) store<f64>(out + (<usize>t << 3), rowOutput(Z + <usize>t * ldzB, a, m));
}

// h ← max(z + b, 0) in place over one row of m values. f32x4.max has wasm's max semantics (NaN
// propagates, max(−0, +0) = +0) and compiles without branches; V8's scalar f32.max branches on
// the data and mispredicts half the time on ReLU inputs (measured 15 cycles per element).
@inline function reluRow(z: usize, b: usize, m: i32): void {
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const o = <usize>j << 2;
    v128.store(z + o, f32x4.max(f32x4.add(v128.load(z + o), v128.load(b + o)), zero));
  }
  for (; j < m; j++) {
    const o = <usize>j << 2;
    store<f32>(z + o, max<f32>(load<f32>(z + o) + load<f32>(b + o), 0));
  }
}

// v ← max(v, 0) in place over n values (as reluRow, without a bias).
@inline function reluInPlace(v: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(v + o, f32x4.max(v128.load(v + o), zero));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(v + o, max<f32>(load<f32>(v + o), 0));
  }
}

// f_t = Σ_j f64(a_j)·f64(h_j) from one row of hidden activations, sequential over j.
@inline function rowOutput(h: usize, a: usize, m: i32): f64 {
  let s: f64 = 0;
  for (let j = 0; j < m; j++) {
    const o = <usize>j << 2;
    s += f64(load<f32>(a + o)) * f64(load<f32>(h + o));
  }
  return s;
}

/** Bytes of scratch net_grad needs for k columns and m neurons (see the layout in net_grad). */
export function net_grad_scratch_bytes(k: i32, m: i32): usize {
  const strips = <usize>((m + 7) >> 3);
  return (strips * 8 * <usize>k + <usize>CHUNK_ROWS * <usize>m + <usize>m * <usize>k) * 4 + 64;
}

/**
 * One chunk of the correlation-loss gradient, L = −(1/N) Σ_t y_t f(x_t):
 *   G[j,:] += −(a_j/N) · Σ_{t in chunk} y_t 1{⟨w_j,x_t⟩ + b_j > 0} x_t       (G f64, m×k, ldg)
 * and returns the chunk's loss contribution −(1/N) Σ_{t in chunk} y_t f(x_t) (f64).
 *
 * Order: Z = X·Wᵀ (gemm order); D[t,j] = y_t if Z[t,j] + b_j > 0 else 0 (f32); the chunk partial
 * P = Dᵀ·X is f32, sequential over the chunk's rows from 0 (kept transposed, k×m, in scratch); then G[j,i] = G[j,i] + c_j·f64(P[j,i])
 * in f64 with c_j = −f64(a_j)/N. The loss is −(Σ_t f64(y_t)·f_t)/N, sequential over t, with f_t as
 * in net_forward. `rows` ≤ CHUNK_ROWS; the caller adds chunks in chunk order.
 *
 * scratch (net_grad_scratch_bytes(k, m), 16-byte aligned): packed W (8·⌈m/8⌉·k f32), then Z/D
 * (CHUNK_ROWS·m f32), then P (m·k f32). Its contents on return are unspecified.
 */
export function net_grad(X: usize, rows: i32, k: i32, ldx: i32, y: usize, W: usize, m: i32, ldw: i32,
  b: usize, a: usize, N: f64, G: usize, ldg: i32, scratch: usize): f64 {
  assert(N > 0, E_N);
  const yf = net_grad_partial(X, rows, k, ldx, y, W, m, ldw, b, a, scratch);
  net_grad_apply(scratch, rows, k, m, a, N, G, ldg);
  return rows == 0 || m == 0 ? 0 : -yf / N;
}

/**
 * The first half of net_grad: the chunk partial P = Dᵀ·X (kept transposed, k×m f32, in scratch)
 * and the chunk's Σ_t f64(y_t)·f_t, returned. Nothing else is written. Two threads can each run
 * it on their own chunk and scratch; net_grad_apply then adds the partials in chunk order.
 */
export function net_grad_partial(X: usize, rows: i32, k: i32, ldx: i32, y: usize, W: usize, m: i32, ldw: i32,
  b: usize, a: usize, scratch: usize): f64 {
  assert(rows >= 0 && k >= 0 && m >= 0 && ldx >= k && ldw >= k, E_SHAPE);
  assert(rows <= CHUNK_ROWS, E_CHUNK);
  if (rows == 0 || m == 0) return 0;
  const strips = (m + 7) >> 3;
  const stripB = <usize>k << 5;
  const wp = (scratch + 15) & ~<usize>15;
  const zs = wp + <usize>strips * stripB;
  const ps = zs + ((<usize>CHUNK_ROWS * <usize>m) << 2);
  const ldxB = <usize>ldx << 2, ldzB = <usize>m << 2;
  if (k > 0) packWStrips(wp, stripB, W, <usize>ldw << 2, m, k);

  const nbMax = min(CHUNK_ROWS, max(4, (xblockFloats / max(k, 1)) & ~3));
  let yf: f64 = 0;
  for (let t0 = 0; t0 < rows; t0 += nbMax) {
    const nb = min(nbMax, rows - t0);
    const xb = X + <usize>t0 * ldxB;
    if (k == 0) memory.fill(zs, 0, <usize>nb * ldzB);
    for (let p0 = 0; p0 < k; p0 += KCF) {
      const kc = min(KCF, k - p0);
      xwtPacked(xb + (<usize>p0 << 2), nb, ldxB, wp + (<usize>p0 << 5), stripB, m, kc, zs, ldzB, p0 == 0);
    }
    // Z ← H = relu(Z + b), the loss terms from H, then D from H in place (h > 0 iff z + b > 0)
    for (let t = 0; t < nb; t++) reluRow(zs + <usize>t * ldzB, b, m);
    yf = addOutputs(zs, ldzB, nb, a, m, y + (<usize>t0 << 2), yf);
    for (let t = 0; t < nb; t++) indicatorRow(zs + <usize>t * ldzB, m, load<f32>(y + (<usize>(t0 + t) << 2)));
    if (k > 0) gtxTransposed(zs, nb, m, ldzB, xb, k, ldxB, ps, ldzB, t0 == 0);
  }
  return yf;
}

/**
 * Sets the X block of the fused gradient to about `floats` values (0: the default) and returns the
 * previous setting. Only the speed depends on it, never a bit; per instance.
 */
export function net_grad_set_block(floats: i32): i32 {
  const prev = xblockFloats;
  xblockFloats = floats > 0 ? floats : XBLOCK_FLOATS;
  return prev;
}

/** The second half of net_grad: G[j,i] += c_j·f64(P[j,i]), c_j = −f64(a_j)/N, from the partial in `scratch`. */
export function net_grad_apply(scratch: usize, rows: i32, k: i32, m: i32, a: usize, N: f64, G: usize, ldg: i32): void {
  assert(rows >= 0 && k >= 0 && m >= 0 && ldg >= k, E_SHAPE);
  assert(N > 0, E_N);
  if (rows == 0 || m == 0) return;
  const strips = (m + 7) >> 3;
  const wp = (scratch + 15) & ~<usize>15;
  const zs = wp + <usize>strips * (<usize>k << 5);
  const ps = zs + ((<usize>CHUNK_ROWS * <usize>m) << 2);
  const ldzB = <usize>m << 2;
  const ldgB = <usize>ldg << 3;
  for (let j = 0; j < m; j++) {
    const c = -f64(load<f32>(a + (<usize>j << 2))) / N;
    const g = G + <usize>j * ldgB, p = ps + (<usize>j << 2);
    for (let i = 0; i < k; i++) {
      const gi = g + (<usize>i << 3);
      store<f64>(gi, load<f64>(gi) + c * f64(load<f32>(p + <usize>i * ldzB)));
    }
  }
}

// acc + Σ_t f64(y_t)·f_t over nb rows of H, t in order, f_t exactly as rowOutput computes it.
// Four rows go through the j loop together: their four f64 chains are independent, so the add
// latency (m dependent adds per row) overlaps instead of dominating a pruned net's step.
function addOutputs(hs: usize, ldhB: usize, nb: i32, a: usize, m: i32, y: usize, acc: f64): f64 {
  let t = 0;
  for (; t + 4 <= nb; t += 4) {
    const h0 = hs + <usize>t * ldhB, h1 = h0 + ldhB, h2 = h1 + ldhB, h3 = h2 + ldhB;
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (let j = 0; j < m; j++) {
      const o = <usize>j << 2;
      const aj = f64(load<f32>(a + o));
      s0 += aj * f64(load<f32>(h0 + o));
      s1 += aj * f64(load<f32>(h1 + o));
      s2 += aj * f64(load<f32>(h2 + o));
      s3 += aj * f64(load<f32>(h3 + o));
    }
    const yo = y + (<usize>t << 2);
    acc += f64(load<f32>(yo)) * s0;
    acc += f64(load<f32>(yo, 4)) * s1;
    acc += f64(load<f32>(yo, 8)) * s2;
    acc += f64(load<f32>(yo, 12)) * s3;
  }
  for (; t < nb; t++) acc += f64(load<f32>(y + (<usize>t << 2))) * rowOutput(hs + <usize>t * ldhB, a, m);
  return acc;
}

// h[j] ← (h[j] > 0) ? yt : 0 over one row of hidden activations, four lanes at a time. A NaN
// activation gives 0 here; it still poisons the loss through rowOutput.
@inline function indicatorRow(h: usize, m: i32, yt: f32): void {
  const yv = f32x4.splat(yt), zero = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const o = <usize>j << 2;
    v128.store(h + o, v128.and(f32x4.gt(v128.load(h + o), zero), yv));
  }
  for (; j < m; j++) {
    const o = <usize>j << 2;
    store<f32>(h + o, select<f32>(yt, 0, load<f32>(h + o) > 0));
  }
}

/**
 * The masked spherical step, in place on W (m×k, ldw) from the gradient G (f64, m×k, ldg):
 *   v = M ⊙ (w_j − (η/|a_j|)·g_j)   (η finite)     v = M ⊙ (−g_j)   (η = +∞, the default)
 *   w_j ← f32(v / ‖v‖)              (v and ‖v‖ in f64, ‖v‖² summed sequentially over i)
 * M is the f32 0/1 vector `mask` of length k (coordinate i is kept when mask[i] != 0), or all ones
 * when mask == 0. Masked coordinates are set to +0, so the result lives on the mask (a no-op for
 * weights initialised there) and a mask applied twice changes nothing.
 * At η = ∞ a neuron whose masked gradient is exactly zero keeps its weights (the limit of the
 * finite-η step). Returns the number of neurons with no usable direction (‖v‖ not finite, or
 * zero at finite η, e.g. a NaN anywhere or an overflow); their rows are filled with NaN so nothing
 * downstream mistakes them for a direction. The pipeline records the trial as diverged.
 */
export function net_step(W: usize, m: i32, k: i32, ldw: i32, G: usize, ldg: i32, a: usize, eta: f64, mask: usize): i32 {
  assert(m >= 0 && k >= 0 && ldw >= k && ldg >= k, E_SHAPE);
  const inf = eta == Infinity;
  let bad = 0;
  for (let j = 0; j < m; j++) {
    const w = W + ((<usize>j * <usize>ldw) << 2), g = G + ((<usize>j * <usize>ldg) << 3);
    const s = inf ? 0 : eta / Math.abs(f64(load<f32>(a + (<usize>j << 2))));
    let n2: f64 = 0;
    for (let i = 0; i < k; i++) {
      const v = stepCoord(w, g, mask, i, s, inf);
      n2 += v * v;
    }
    // The eta -> infinity limit of normalise(w - eta g) is -g/|g|, and w itself when g = 0: a
    // neuron that saw no active sample (a tiny batch, a large negative bias) has no information
    // and keeps its direction. Only a non-finite norm means divergence.
    if (inf && n2 == 0) continue;
    const norm = Math.sqrt(n2);
    if (norm > 0 && norm < Infinity) {
      for (let i = 0; i < k; i++) {
        const v = stepCoord(w, g, mask, i, s, inf); // recomputed: same operations, same bits
        store<f32>(w + (<usize>i << 2), f32(v / norm));
      }
    } else {
      bad++;
      for (let i = 0; i < k; i++) store<f32>(w + (<usize>i << 2), NaN);
    }
  }
  return bad;
}

@inline function stepCoord(w: usize, g: usize, mask: usize, i: i32, s: f64, inf: bool): f64 {
  if (mask != 0 && load<f32>(mask + (<usize>i << 2)) == 0) return 0;
  const gi = load<f64>(g + (<usize>i << 3));
  return inf ? -gi : f64(load<f32>(w + (<usize>i << 2))) - s * gi;
}

/**
 * Readout features for `rows` rows: F[t, j·R + r] = relu(sign[j·R+r]·⟨w_j, x_t⟩ + bias[j·R+r])
 * (f32: u = f32(sign·z) + bias, relu = max(u, 0)), F rows×(m·R) with row stride ldf. sign (±1)
 * and bias are f32 vectors of length m·R. Z (rows×m, ldz) is scratch and holds X·Wᵀ on return.
 */
export function net_features(X: usize, rows: i32, k: i32, ldx: i32, W: usize, m: i32, ldw: i32,
  sign: usize, bias: usize, R: i32, Z: usize, ldz: i32, F: usize, ldf: i32): void {
  assert(rows >= 0 && k >= 0 && m >= 0 && R >= 1 && ldx >= k && ldw >= k && ldz >= m && ldf >= m * R, E_SHAPE);
  gemm_xwt(X, rows, k, ldx, W, m, ldw, Z, ldz);
  const p = m * R;
  for (let t = 0; t < rows; t++) {
    const z = Z + ((<usize>t * <usize>ldz) << 2), f = F + ((<usize>t * <usize>ldf) << 2);
    for (let j = 0; j < m; j++) {
      const zj = load<f32>(z + (<usize>j << 2));
      for (let r = 0; r < R; r++) {
        const o = <usize>(j * R + r) << 2;
        store<f32>(f + o, load<f32>(sign + o) * zj + load<f32>(bias + o));
      }
    }
    reluInPlace(f, p);
  }
}

/** Bytes of scratch readout_accumulate needs for p features. */
export function readout_scratch_bytes(p: i32): usize {
  return (<usize>p * <usize>p + 3 * <usize>p + 2) * 8 + <usize>p * 4 + 64;
}

/**
 * Raw sums of one chunk of readout rows for a ridge solve, added to the running totals:
 *   S[a,b] += Σ_t F[t,a]·F[t,b] for a ≤ b (upper triangle of the p×p f64 matrix S, row stride p;
 *             the lower triangle is never touched), Fy[a] += Σ_t F[t,a]·y_t, Fsum[a] += Σ_t F[t,a],
 *   ys[0] += Σ_t y_t, ys[1] += Σ_t y_t².
 * Every partial is f64, sequential over the chunk's rows from zero, and then added once to its
 * total. Products of two f32 values are exact in f64. Terms with F[t,a] = 0 or F[t,b] = 0 are
 * skipped in S (ReLU features are ≥ +0, so adding +0 would not change a bit). rows ≤ CHUNK_ROWS.
 * scratch: readout_scratch_bytes(p).
 */
export function readout_accumulate(F: usize, rows: i32, p: i32, ldf: i32, y: usize,
  S: usize, Fy: usize, Fsum: usize, ys: usize, scratch: usize): void {
  assert(rows >= 0 && p >= 0 && ldf >= p, E_READOUT);
  assert(rows <= CHUNK_ROWS, E_CHUNK);
  const sp = (scratch + 15) & ~<usize>15; // partial S, p×p
  const fyp = sp + ((<usize>p * <usize>p) << 3);
  const fsp = fyp + (<usize>p << 3);
  const vals = fsp + (<usize>p << 3); // the nonzero values of one row (f64)
  const idx = vals + (<usize>p << 3); // and their columns (i32)
  memory.fill(sp, 0, (<usize>p * <usize>p + 2 * <usize>p) << 3);
  let sy: f64 = 0, syy: f64 = 0;
  for (let t = 0; t < rows; t++) {
    const f = F + ((<usize>t * <usize>ldf) << 2);
    const yt = f64(load<f32>(y + (<usize>t << 2)));
    sy += yt;
    syy += yt * yt;
    let nz = 0;
    for (let c = 0; c < p; c++) {
      const v = f64(load<f32>(f + (<usize>c << 2)));
      const o = <usize>c << 3;
      store<f64>(fyp + o, load<f64>(fyp + o) + v * yt);
      store<f64>(fsp + o, load<f64>(fsp + o) + v);
      // branch-free compaction of the nonzero entries (about half of ReLU features are zero,
      // at random, which a branch would mispredict)
      store<f64>(vals + (<usize>nz << 3), v);
      store<i32>(idx + (<usize>nz << 2), c);
      nz += i32(v != 0);
    }
    for (let u = 0; u < nz; u++) {
      const va = load<f64>(vals + (<usize>u << 3));
      const row = sp + ((<usize>load<i32>(idx + (<usize>u << 2)) * <usize>p) << 3);
      for (let q = u; q < nz; q++) {
        const e = row + (<usize>load<i32>(idx + (<usize>q << 2)) << 3);
        store<f64>(e, load<f64>(e) + va * load<f64>(vals + (<usize>q << 3)));
      }
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const o = ((<usize>i * <usize>p + <usize>j) << 3);
      store<f64>(S + o, load<f64>(S + o) + load<f64>(sp + o));
    }
    const o = <usize>i << 3;
    store<f64>(Fy + o, load<f64>(Fy + o) + load<f64>(fyp + o));
    store<f64>(Fsum + o, load<f64>(Fsum + o) + load<f64>(fsp + o));
  }
  store<f64>(ys, load<f64>(ys) + sy);
  store<f64>(ys, load<f64>(ys, 8) + syy, 8);
}

/**
 * Predictions for one chunk of test rows: ŷ_t = intercept + Σ_a beta[a]·F[t,a] (f64, the sum
 * sequential over a from 0, then the intercept added), written as f32 to yhat when yhat != 0.
 * Adds the chunk's Σ(ŷ−y)², Σy and Σy² (f64 partials, sequential over t from zero) to sums[0..2]
 * and returns the chunk's Σ(ŷ−y)². rows ≤ CHUNK_ROWS.
 */
export function readout_predict(F: usize, rows: i32, p: i32, ldf: i32, beta: usize, intercept: f64,
  y: usize, yhat: usize, sums: usize): f64 {
  assert(rows >= 0 && p >= 0 && ldf >= p, E_READOUT);
  assert(rows <= CHUNK_ROWS, E_CHUNK);
  let se: f64 = 0, sy: f64 = 0, syy: f64 = 0;
  for (let t = 0; t < rows; t++) {
    const f = F + ((<usize>t * <usize>ldf) << 2);
    let s: f64 = 0;
    for (let c = 0; c < p; c++) s += load<f64>(beta + (<usize>c << 3)) * f64(load<f32>(f + (<usize>c << 2)));
    const yh = intercept + s;
    const yt = f64(load<f32>(y + (<usize>t << 2)));
    if (yhat != 0) store<f32>(yhat + (<usize>t << 2), f32(yh));
    const e = yh - yt;
    se += e * e;
    sy += yt;
    syy += yt * yt;
  }
  store<f64>(sums, load<f64>(sums) + se);
  store<f64>(sums, load<f64>(sums, 8) + sy, 8);
  store<f64>(sums, load<f64>(sums, 16) + syy, 16);
  return se;
}
