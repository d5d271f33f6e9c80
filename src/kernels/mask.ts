// Typed wrappers of assembly/mask.ts. Inputs are copied into the arena and results copied out,
// because masks are small (O(d)) next to the data they select.
import type { Wasm } from '../wasm/index.js';

function checkIdx(idx: Int32Array, d: number, what: string): void {
  for (let c = 0; c < idx.length; c++) {
    const i = idx[c]!;
    if (i < 0 || i >= d || (c > 0 && i <= idx[c - 1]!))
      throw new RangeError(`${what}: indices must be sorted, distinct and in [0, ${d}), got ${i} at ${c}`);
  }
}

export function topk(w: Wasm, score: Float64Array, k: number): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > score.length)
    throw new RangeError(`topk: k must be an integer in [0, ${score.length}], got ${k}`);
  return w.scoped(() => {
    const sp = w.put(score),
      out = w.allocI32(k);
    w.exports.mask_topk(sp, score.length, k, out);
    return w.copyI32(out, k);
  });
}

export function threshold(w: Wasm, score: Float64Array, thr2: number): Int32Array {
  return w.scoped(() => {
    const sp = w.put(score),
      out = w.allocI32(score.length);
    return w.copyI32(out, w.exports.mask_threshold(sp, score.length, thr2, out));
  });
}

/** score_i = sum_k (S[k, i] / n1)^2 from the K x d streamed sums (an arena pointer). */
export function hermiteMaskScores(w: Wasm, S: number, K: number, d: number, n1: number): Float64Array {
  if (!(K >= 1 && K <= 16) || !(n1 >= 1))
    throw new RangeError(`hermiteMaskScores: need 1 <= K <= 16 and n1 >= 1, got K=${K}, n1=${n1}`);
  return w.scoped(() => {
    const out = w.allocF64(d);
    w.exports.hermite_mask_scores(S, K, d, n1, out);
    return w.copyF64(out, d);
  });
}

/** c^2 mean(y^2) log(d) / n1, computed in wasm so the log is the same in every engine. */
export function hermiteThreshold2(w: Wasm, c: number, meanY2: number, d: number, n1: number): number {
  return w.exports.hermite_threshold2(c, meanY2, d, n1);
}

/** Gathers the columns `idx` of an n x ldx arena matrix into a fresh n x idx.length arena buffer. */
export function compactCols(w: Wasm, X: number, n: number, ldx: number, idx: Int32Array): number {
  checkIdx(idx, ldx, 'compactCols');
  const ip = w.put(idx),
    out = w.allocF32(n * idx.length);
  w.exports.compact_cols(X, n, ldx, ip, idx.length, out, idx.length);
  return out;
}
