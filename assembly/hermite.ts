// Normalised probabilists' Hermite polynomials h_k = He_k / sqrt(k!) and the fused stage-1 stream
// of Hermite correlations (DESIGN §2.2, the `hermite` masks).
//
// The recurrence is the normalised three-term one, stable for the |x| <= 6 our normals reach:
//   h_0 = 1, h_1 = x, h_{k+1} = (x h_k) A_k - h_{k-1} B_k,  A_k = 1/sqrt(k+1), B_k = sqrt(k/(k+1)).
// In f32 every step is the exact op sequence t = x*h_k; t = t*A_k; u = h_{k-1}*B_k; h = t - u,
// which src/reference/hermite.ts replays with Math.fround (no FMA exists in non-relaxed wasm).

import { CHUNK_ROWS, coordAt, laneState, laneTiles, seedLanes } from "./rng";
import { gaussLanes } from "./gauss";

export const HERMITE_MAX_K: i32 = 12;

const E_K_RANGE = "hermite: K must be in [0, 12] (1..12 for the score stream)";
const E_SIZES = "hermite: sizes must be non-negative";

// A_k and B_k for k = 0..HERMITE_MAX_K, as f32 (rounded from the correctly rounded f64 values,
// so the twin gets the same bits from Math.fround(1 / Math.sqrt(k + 1))).
const coefA = memory.data(16 * 4, 16);
const coefB = memory.data(16 * 4, 16);
let coefReady = false;

function initCoefs(): void {
  if (coefReady) return;
  for (let k = 0; k <= HERMITE_MAX_K; k++) {
    store<f32>(coefA + (<usize>k << 2), <f32>(1.0 / Math.sqrt(<f64>(k + 1))));
    store<f32>(coefB + (<usize>k << 2), <f32>Math.sqrt(<f64>k / <f64>(k + 1)));
  }
  coefReady = true;
}

/** out[k*n + t] = h_k(x[t]) for k = 0..K and t < n, in f32. */
export function hermite_eval(x: usize, n: i32, K: i32, out: usize): void {
  assert(K >= 0 && K <= HERMITE_MAX_K, E_K_RANGE);
  assert(n >= 0, E_SIZES);
  initCoefs();
  const stride = <usize>n << 2;
  const n4 = n & ~3;
  for (let t = 0; t < n4; t += 4) {
    const off = <usize>t << 2;
    const xv = v128.load(x + off);
    let hPrev = f32x4.splat(1.0);
    v128.store(out + off, hPrev);
    if (K == 0) continue;
    let h = xv;
    v128.store(out + stride + off, h);
    for (let k = 1; k < K; k++) {
      const a = f32x4.splat(load<f32>(coefA + (<usize>k << 2)));
      const b = f32x4.splat(load<f32>(coefB + (<usize>k << 2)));
      const hn = f32x4.sub(f32x4.mul(f32x4.mul(xv, h), a), f32x4.mul(hPrev, b));
      hPrev = h; h = hn;
      v128.store(out + <usize>(k + 1) * stride + off, h);
    }
  }
  for (let t = n4; t < n; t++) {
    const off = <usize>t << 2;
    const xs = load<f32>(x + off);
    let hPrev: f32 = 1.0;
    store<f32>(out + off, hPrev);
    if (K == 0) continue;
    let h = xs;
    store<f32>(out + stride + off, h);
    for (let k = 1; k < K; k++) {
      const hn = (xs * h) * load<f32>(coefA + (<usize>k << 2)) - hPrev * load<f32>(coefB + (<usize>k << 2));
      hPrev = h; h = hn;
      store<f32>(out + <usize>(k + 1) * stride + off, h);
    }
  }
}

// One f32x4 accumulator per degree for the lane group in flight.
let acc: usize = memory.data(16 * 16, 16);

/**
 * The stage-1 Hermite stream, fused with sampling: for k = 1..K and each coordinate j,
 *   S[(k-1)*nc + j] += sum_t y[t - rowStart] * h_k(x[t, coords[j]])   over t in [rowStart, rowStart+rows),
 * where x[t, c] is exactly what gauss_fill_cols(key, ...) writes; X is never materialised (one
 * 16 KB lane tile of normals at a time). S is f64 and holds K*nc values.
 *
 * Summation order, part of the bit-exact contract: per 1024-row chunk and coordinate, the rows of
 * that chunk inside the request are summed in f32 in row order (acc = acc + y*h); the chunk total
 * is then added to S in f64, chunks in increasing order. So splitting a pass into several calls
 * gives identical bytes as long as every split point is a multiple of CHUNK_ROWS (and the calls
 * run in row order); a split inside a chunk changes the f32 rounding of that chunk only.
 */
export function hermite_score_stream(keyLo: u32, keyHi: u32, rowStart: i32, rows: i32, coords: usize, coordBase: u32,
  nc: i32, y: usize, K: i32, S: usize): void {
  assert(K >= 1 && K <= HERMITE_MAX_K, E_K_RANGE);
  assert(rowStart >= 0 && rows >= 0 && nc >= 0, E_SIZES);
  if (rows == 0 || nc == 0) return;
  initCoefs();
  const key = (u64(keyHi) << 32) | u64(keyLo);
  const rowEnd = rowStart + rows;
  const kStride = <usize>nc << 3;
  for (let chunk = rowStart / CHUNK_ROWS; chunk * CHUNK_ROWS < rowEnd; chunk++) {
    const c0 = chunk * CHUNK_ROWS;
    const lo = max(rowStart, c0) - c0;
    const hi = min(rowEnd, c0 + CHUNK_ROWS) - c0;
    const yChunk = y + (<usize>(c0 + lo - rowStart) << 2);
    for (let j = 0; j < nc; j += 4) {
      seedLanes(key, u32(chunk), coordAt(coords, coordBase, j, nc), coordAt(coords, coordBase, j + 1, nc),
        coordAt(coords, coordBase, j + 2, nc), coordAt(coords, coordBase, j + 3, nc), laneState);
      gaussLanes(laneTiles, lo, hi);
      if (K <= 4) streamTileK4(lo, hi, yChunk, K);
      else streamTile(lo, hi, yChunk, K);
      const lanes = min(4, nc - j);
      for (let k = 0; k < K; k++) {
        const a = acc + (<usize>k << 4);
        const s = S + <usize>k * kStride + (<usize>j << 3);
        for (let l = 0; l < lanes; l++) {
          const p = s + (<usize>l << 3);
          store<f64>(p, load<f64>(p) + <f64>load<f32>(a + (<usize>l << 2)));
        }
      }
    }
  }
}

// General K: accumulators live in `acc` (L1), constants are re-splatted per degree.
function streamTile(lo: i32, hi: i32, yChunk: usize, K: i32): void {
  const zero = f32x4.splat(0.0);
  for (let k = 0; k < K; k++) v128.store(acc + (<usize>k << 4), zero);
  for (let t = lo; t < hi; t++) {
    const x = v128.load(laneTiles + (<usize>t << 4));
    const yv = v128.load32_splat(yChunk + (<usize>(t - lo) << 2));
    let hPrev = f32x4.splat(1.0);
    let h = x;
    v128.store(acc, f32x4.add(v128.load(acc), f32x4.mul(yv, h)));
    for (let k = 1; k < K; k++) {
      const a = v128.load32_splat(coefA + (<usize>k << 2));
      const b = v128.load32_splat(coefB + (<usize>k << 2));
      const hn = f32x4.sub(f32x4.mul(f32x4.mul(x, h), a), f32x4.mul(hPrev, b));
      hPrev = h; h = hn;
      const p = acc + (<usize>k << 4);
      v128.store(p, f32x4.add(v128.load(p), f32x4.mul(yv, h)));
    }
  }
}

// K <= 4 (the default K = 4): the same arithmetic with accumulators and constants in registers.
// Degrees above K are computed and dropped, which changes no kept value.
function streamTileK4(lo: i32, hi: i32, yChunk: usize, K: i32): void {
  let a1 = f32x4.splat(0.0), a2 = a1, a3 = a1, a4 = a1;
  const A1 = v128.load32_splat(coefA + 4), B1 = v128.load32_splat(coefB + 4);
  const A2 = v128.load32_splat(coefA + 8), B2 = v128.load32_splat(coefB + 8);
  const A3 = v128.load32_splat(coefA + 12), B3 = v128.load32_splat(coefB + 12);
  const one = f32x4.splat(1.0);
  for (let t = lo; t < hi; t++) {
    const x = v128.load(laneTiles + (<usize>t << 4));
    const yv = v128.load32_splat(yChunk + (<usize>(t - lo) << 2));
    const h2 = f32x4.sub(f32x4.mul(f32x4.mul(x, x), A1), f32x4.mul(one, B1));
    const h3 = f32x4.sub(f32x4.mul(f32x4.mul(x, h2), A2), f32x4.mul(x, B2));
    const h4 = f32x4.sub(f32x4.mul(f32x4.mul(x, h3), A3), f32x4.mul(h2, B3));
    a1 = f32x4.add(a1, f32x4.mul(yv, x));
    a2 = f32x4.add(a2, f32x4.mul(yv, h2));
    a3 = f32x4.add(a3, f32x4.mul(yv, h3));
    a4 = f32x4.add(a4, f32x4.mul(yv, h4));
  }
  v128.store(acc, a1);
  if (K >= 2) v128.store(acc, a2, 16);
  if (K >= 3) v128.store(acc, a3, 32);
  if (K >= 4) v128.store(acc, a4, 48);
}

/** Threads build only (threads.ts): moves this module's scratch to [p, p + HERMITE_SCRATCH_BYTES). */
export const HERMITE_SCRATCH_BYTES: usize = 256;
export function hermiteUseScratch(p: usize): void { acc = p; }
