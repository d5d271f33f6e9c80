// Scalar twin of assembly/mask.ts.

/** Indices of the k best scores (ties to the lower index), ascending. */
export function topk(score: Float64Array, k: number): Int32Array {
  const idx = Array.from(score, (_, i) => i).filter((i) => !Number.isNaN(score[i]!));
  idx.sort((a, b) => score[b]! - score[a]! || a - b);
  const nan = Array.from(score, (_, i) => i).filter((i) => Number.isNaN(score[i]!));
  return Int32Array.from([...idx, ...nan].slice(0, k)).sort();
}

export function threshold(score: Float64Array, thr2: number): Int32Array {
  const out: number[] = [];
  score.forEach((s, i) => {
    if (s > thr2) out.push(i);
  });
  return Int32Array.from(out);
}

export function hermiteMaskScores(S: Float64Array, K: number, d: number, n1: number): Float64Array {
  const inv = 1 / n1,
    out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let acc = 0;
    for (let k = 0; k < K; k++) {
      const m = S[k * d + i]! * inv;
      acc += m * m;
    }
    out[i] = acc;
  }
  return out;
}

export function compactCols(X: Float32Array, n: number, ldx: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(n * idx.length);
  for (let t = 0; t < n; t++) for (let c = 0; c < idx.length; c++) out[t * idx.length + c] = X[t * ldx + idx[c]!]!;
  return out;
}
