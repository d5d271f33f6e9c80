// The re-orthonormalisation of the compact simulation (DESIGN §2.2c): after a step, the weights'
// part outside V, m rows in a p-dimensional space (p >= m), is rotated into a basis whose first m
// vectors span it, and the other p - m are forgotten. Householder reflections applied from the
// right make the rows lower triangular: row j then has coordinates only on basis vectors 0..j.
//
// Rank deficiency needs no decision: a reflection whose column is already zero is the identity,
// and the m basis vectors kept are orthonormal whatever the rank. When the rows span fewer than m
// dimensions, the kept frame holds some directions the weights do not use; keeping them is still
// exact, because they are a function of the past and the fresh data of later steps are independent
// of them. Plain doubles and Math.sqrt only: the same bits in every engine.

/**
 * In place on M (m x p, row-major, f64, p >= m): M <- M·H_0·H_1·…·H_{m-1}, an orthogonal change of
 * the p coordinates, after which M is lower triangular with a non-negative diagonal and its columns
 * [m, p) are exactly zero. So M·Mᵀ is unchanged (up to rounding) and M[:, 0:m] is its Cholesky
 * factor when the rows are independent.
 */
export function triangulariseRows(M: Float64Array, m: number, p: number): void {
  if (!(p >= m && M.length >= m * p)) throw new RangeError(`triangulariseRows: needs p >= m and m*p entries`);
  const v = new Float64Array(p);
  for (let j = 0; j < m; j++) {
    const row = j * p;
    let s2 = 0;
    for (let i = j; i < p; i++) s2 += M[row + i]! * M[row + i]!;
    if (s2 === 0) continue;
    const sigma = Math.sqrt(s2);
    const x0 = M[row + j]!;
    // alpha of the sign opposite to x0, so v0 = x0 - alpha adds magnitudes and never cancels
    const alpha = x0 >= 0 ? -sigma : sigma;
    v[j] = x0 - alpha;
    for (let i = j + 1; i < p; i++) v[i] = M[row + i]!;
    let vtv = 0;
    for (let i = j; i < p; i++) vtv += v[i]! * v[i]!;
    for (let l = j + 1; l < m; l++) {
      const o = l * p;
      let s = 0;
      for (let i = j; i < p; i++) s += M[o + i]! * v[i]!;
      const f = (2 * s) / vtv;
      for (let i = j; i < p; i++) M[o + i] = M[o + i]! - f * v[i]!;
    }
    // the reflection sends row j to (alpha, 0, ..., 0) exactly in exact arithmetic: store that
    M[row + j] = alpha;
    for (let i = j + 1; i < p; i++) M[row + i] = 0;
  }
  // a reflection of basis vector j's sign keeps the change orthogonal and makes the diagonal >= 0
  for (let j = 0; j < m; j++) if (M[j * p + j]! < 0) for (let l = j; l < m; l++) M[l * p + j] = -M[l * p + j]!;
}
