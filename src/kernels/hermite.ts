// Typed wrappers of assembly/hermite.ts: they validate shapes and pointers, then call the kernel.
import type { Wasm } from '../wasm/index.js';
import type { StreamKey } from '../core/types.js';
import type { Coords } from './gauss.js';
import { checkBuffer, checkCount } from './check.js';
import { haveHelpers, runOnHelpers, type Helpers } from './helpers.js';

/** The highest Hermite degree the kernels carry (assembly/hermite.ts HERMITE_MAX_K): the limit of K. */
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
 * at multiples of CHUNK_ROWS (1024) give the same bytes as one call. With helper threads the
 * coordinates are split into one range per thread: each coordinate's sums are the same computation
 * whichever thread does it.
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
  helpers: Helpers | null = null,
): void {
  const k = 'hermiteScoreStream';
  checkCount(k, 'K', K, 1, HERMITE_MAX_K);
  checkCount(k, 'rowStart', rowStart, 0, 0x7fffffff);
  checkCount(k, 'rows', rows, 0, 0x7fffffff - rowStart);
  checkCount(k, 'coordinate count', coords.n, 0, 0x7fffffff);
  if ('ptr' in coords) checkBuffer(w, k, 'coords', coords.ptr, coords.n * 4);
  checkBuffer(w, k, 'y', y, rows * 4);
  checkBuffer(w, k, 'S', S, K * coords.n * 8, 8);
  const parts = haveHelpers(helpers) ? coordRanges(coords.n, helpers.size + 1) : [];
  if (!haveHelpers(helpers) || parts.length < 2) {
    const [ptr, base] = 'ptr' in coords ? [coords.ptr, 0] : [0, coords.base];
    w.exports.hermite_score_stream(key.lo, key.hi, rowStart, rows, ptr, base, coords.n, y, K, S);
    return;
  }
  // Each range accumulates into its own K x n copy of its columns of S (copies are exact), then
  // the copies go back: S ends with the bytes one call would leave.
  w.scoped(() => {
    const own = parts.map((p) => {
      const buf = w.allocF64(K * p.n, "a thread's Hermite sums");
      for (let i = 0; i < K; i++) {
        const from = (S >>> 3) + i * coords.n + p.from;
        w.f64.copyWithin((buf >>> 3) + i * p.n, from, from + p.n);
      }
      return buf;
    });
    const args = parts.map((p, i) => {
      const [ptr, base] = 'ptr' in coords ? [coords.ptr + p.from * 4, 0] : [0, coords.base + p.from];
      return [key.lo, key.hi, rowStart, rows, ptr, base, p.n, y, K, own[i]!] as const;
    });
    runOnHelpers(helpers, 'hermite_score_stream', args.slice(1), () => w.exports.hermite_score_stream(...args[0]!));
    parts.forEach((p, j) => {
      const buf = own[j]! >>> 3;
      for (let i = 0; i < K; i++)
        w.f64.copyWithin((S >>> 3) + i * coords.n + p.from, buf + i * p.n, buf + (i + 1) * p.n);
    });
  });
}

/** n coordinates in at most `parts` contiguous ranges, multiples of 4 (one SIMD lane group) but the last. */
function coordRanges(n: number, parts: number): { from: number; n: number }[] {
  const per = Math.ceil(n / parts / 4) * 4,
    out: { from: number; n: number }[] = [];
  for (let b = 0; b < n; b += per) out.push({ from: b, n: Math.min(per, n - b) });
  return out;
}
