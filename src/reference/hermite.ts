// Scalar twin of assembly/hermite.ts. Every f32 operation is replayed with Math.fround after each
// IEEE op, in the kernel's order, so the twin matches bit for bit. Math.sqrt is correctly rounded
// (IEEE), so the recurrence constants come out identical; no host transcendental is used.
import { CHUNK_ROWS, Xoshiro128 } from './rng.js';
import { gaussColumn } from './gauss.js';
import { HERMITE_MAX_K } from '../kernels/hermite.js';

export { HERMITE_MAX_K };
const f = Math.fround;

/** A_k = 1/sqrt(k+1) and B_k = sqrt(k/(k+1)), in f64 and rounded to f32. */
export const A64 = Array.from({ length: HERMITE_MAX_K + 1 }, (_, k) => 1 / Math.sqrt(k + 1));
export const B64 = Array.from({ length: HERMITE_MAX_K + 1 }, (_, k) => Math.sqrt(k / (k + 1)));
const A32 = A64.map(f);
const B32 = B64.map(f);

/** h_0..h_K at one f32 x, with the kernel's f32 recurrence. */
export function hermiteF32(x: number, K: number, out = new Float64Array(K + 1)): Float64Array {
  out[0] = 1;
  if (K === 0) return out;
  let hPrev = 1,
    h = f(x);
  out[1] = h;
  for (let k = 1; k < K; k++) {
    const hn = f(f(f(x * h) * A32[k]!) - f(hPrev * B32[k]!));
    hPrev = h;
    h = hn;
    out[k + 1] = h;
  }
  return out;
}

/** h_0..h_K at one f64 z, with the f64 recurrence of assembly/teacher.ts teacher_link. */
export function hermiteF64(z: number, K: number, out = new Float64Array(K + 1)): Float64Array {
  out[0] = 1;
  if (K === 0) return out;
  let hPrev = 1,
    h = z;
  out[1] = h;
  for (let k = 1; k < K; k++) {
    const hn = z * h * (1 / Math.sqrt(k + 1)) - hPrev * Math.sqrt(k / (k + 1));
    hPrev = h;
    h = hn;
    out[k + 1] = h;
  }
  return out;
}

/** Twin of hermite_eval: out[k*n + t] = h_k(x[t]). */
export function hermiteEval(x: Float32Array, K: number): Float32Array {
  const n = x.length;
  const out = new Float32Array((K + 1) * n);
  const h = new Float64Array(K + 1);
  for (let t = 0; t < n; t++) {
    hermiteF32(x[t]!, K, h);
    for (let k = 0; k <= K; k++) out[k * n + t] = h[k]!;
  }
  return out;
}

/**
 * Twin of hermite_score_stream: S[(k-1)*nc + j] += sum_t y[t - rowStart] h_k(x[t, coords[j]]),
 * with the per-chunk f32 sums added to the f64 S in chunk order.
 */
export function hermiteScoreStream(
  key: bigint,
  rowStart: number,
  rows: number,
  coords: ArrayLike<number>,
  y: Float32Array,
  K: number,
  S: Float64Array,
): void {
  const nc = coords.length;
  const rowEnd = rowStart + rows;
  const h = new Float64Array(K + 1);
  const acc = new Float64Array(K + 1);
  for (let chunk = Math.floor(rowStart / CHUNK_ROWS); chunk * CHUNK_ROWS < rowEnd; chunk++) {
    const c0 = chunk * CHUNK_ROWS;
    const lo = Math.max(rowStart, c0) - c0;
    const hi = Math.min(rowEnd, c0 + CHUNK_ROWS) - c0;
    for (let j = 0; j < nc; j++) {
      const col = gaussColumn(new Xoshiro128(key, chunk, coords[j]!), hi);
      acc.fill(0);
      for (let t = lo; t < hi; t++) {
        const yv = y[c0 + t - rowStart]!;
        hermiteF32(col[t]!, K, h);
        for (let k = 1; k <= K; k++) acc[k] = f(acc[k]! + f(yv * h[k]!));
      }
      for (let k = 1; k <= K; k++) S[(k - 1) * nc + j] = S[(k - 1) * nc + j]! + acc[k]!;
    }
  }
}
