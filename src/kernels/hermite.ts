// Typed wrappers of assembly/hermite.ts: they validate shapes and pointers, then call the kernel.
import type { Wasm } from '../wasm/index.js';
import type { StreamKey } from '../core/types.js';
import type { Coords } from './gauss.js';
import { checkBuffer, checkCount } from './check.js';

export const HERMITE_MAX_K = 12;

/** out[k*n + t] = h_k(x[t]) (f32) for k = 0..K; x holds n f32, out (K+1)*n f32. */
export function hermiteEval(w: Wasm, x: number, n: number, K: number, out: number): void {
  checkCount('hermiteEval', 'K', K, 0, HERMITE_MAX_K);
  checkCount('hermiteEval', 'n', n, 0, 0x7fffffff);
  checkBuffer(w, 'hermiteEval', 'x', x, n * 4);
  checkBuffer(w, 'hermiteEval', 'out', out, (K + 1) * n * 4);
  w.exports.hermite_eval(x, n, K, out);
}

/**
 * The fused stage-1 stream: S[(k-1)*nc + j] += sum_t y[t - rowStart] * h_k(x[t, coord_j]) for
 * k = 1..K over rows [rowStart, rowStart + rows) of stream `key`, never materialising X. S is f64
 * (K * nc values, accumulated into, so zero it first); y holds `rows` f32. Calls that split a pass
 * at multiples of CHUNK_ROWS (1024) give the same bytes as one call.
 */
export function hermiteScoreStream(
  w: Wasm,
  key: StreamKey,
  rowStart: number,
  rows: number,
  coords: Coords,
  y: number,
  K: number,
  S: number,
): void {
  const k = 'hermiteScoreStream';
  checkCount(k, 'K', K, 1, HERMITE_MAX_K);
  checkCount(k, 'rowStart', rowStart, 0, 0x7fffffff);
  checkCount(k, 'rows', rows, 0, 0x7fffffff - rowStart);
  checkCount(k, 'coordinate count', coords.n, 0, 0x7fffffff);
  if ('ptr' in coords) checkBuffer(w, k, 'coords', coords.ptr, coords.n * 4);
  checkBuffer(w, k, 'y', y, rows * 4);
  checkBuffer(w, k, 'S', S, K * coords.n * 8, 8);
  const [ptr, base] = 'ptr' in coords ? [coords.ptr, 0] : [0, coords.base];
  w.exports.hermite_score_stream(key.lo, key.hi, rowStart, rows, ptr, base, coords.n, y, K, S);
}
