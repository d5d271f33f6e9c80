// Ridge regression of the readout (DESIGN §2.2, stage 3) on centred features, in float64, from
// the raw sums that readout_accumulate adds up chunk by chunk:
//   minimise Σ_t (y_t − c − βᵀF_t)² + λ‖β‖²  (the intercept c is not penalised)
// which is (C + λI) β = r with C = FᵀF − n·μμᵀ, r = Fᵀy − n·μ·ȳ, μ = Fsum/n, ȳ = Σy/n, and
// c = ȳ − μᵀβ. The system is solved by an LDLᵀ factorisation (Cholesky without square roots:
// only +, −, ×, ÷, so every engine gives the same bits). p is at most a few hundred.

/** The raw sums of readout_accumulate: S's upper triangle (a ≤ b, row stride p) is what is read. */
export interface RidgeSums {
  p: number;
  n: number;
  S: Float64Array;
  Fy: Float64Array;
  Fsum: Float64Array;
  sumY: number;
  sumYY: number;
}

export type RidgeResult =
  | { ok: true; beta: Float64Array; intercept: number }
  /** The system was not positive definite or not finite; `reason` says where, for the record. */
  | { ok: false; reason: string };

/** Solves the ridge problem; a failure is a flagged result (the pipeline records divergence), never a throw. */
export function ridgeSolve(sums: RidgeSums, lambda: number): RidgeResult {
  const { p, n } = sums;
  if (!Number.isInteger(p) || p < 0) throw new RangeError(`ridgeSolve: p must be a non-negative integer, got ${p}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ridgeSolve: n must be a positive integer, got ${n}`);
  if (!(lambda >= 0) || !Number.isFinite(lambda))
    throw new RangeError(`ridgeSolve: lambda must be a finite number >= 0, got ${lambda}`);
  if (sums.S.length < p * p || sums.Fy.length < p || sums.Fsum.length < p) {
    throw new RangeError(
      `ridgeSolve: S must hold ${p}×${p} and Fy, Fsum ${p} values, got ${sums.S.length}, ${sums.Fy.length}, ${sums.Fsum.length}`,
    );
  }
  const ybar = sums.sumY / n;
  const A = new Float64Array(p * p);
  const r = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const v = sums.S[i * p + j]! - (sums.Fsum[i]! * sums.Fsum[j]!) / n;
      A[i * p + j] = v;
      A[j * p + i] = v;
    }
    A[i * p + i] = A[i * p + i]! + lambda;
    r[i] = sums.Fy[i]! - sums.Fsum[i]! * ybar;
  }
  for (let i = 0; i < p * p; i++)
    if (!Number.isFinite(A[i]!))
      return { ok: false, reason: `non-finite entry in the centred FᵀF at (${Math.floor(i / p)}, ${i % p})` };
  for (let i = 0; i < p; i++)
    if (!Number.isFinite(r[i]!)) return { ok: false, reason: `non-finite entry in the centred Fᵀy at ${i}` };

  const f = ldlt(A, p);
  if (typeof f === 'string') return { ok: false, reason: f };
  const beta = ldltSolve(f, p, r);
  let intercept = ybar;
  for (let i = 0; i < p; i++) intercept -= (sums.Fsum[i]! / n) * beta[i]!;
  for (let i = 0; i < p; i++)
    if (!Number.isFinite(beta[i]!)) return { ok: false, reason: `non-finite coefficient ${i}` };
  if (!Number.isFinite(intercept)) return { ok: false, reason: 'non-finite intercept' };
  return { ok: true, beta, intercept };
}

/** A = L·diag(D)·Lᵀ with unit lower-triangular L (stored below the diagonal of the result). */
export interface Ldlt {
  L: Float64Array;
  D: Float64Array;
}

/**
 * Factorises the symmetric p×p matrix A (only its lower triangle is read). Returns the reason as a
 * string when A is not (numerically) positive definite: a pivot ≤ p·2^-52·max|A_ii| or not finite.
 */
export function ldlt(A: Float64Array, p: number): Ldlt | string {
  const L = new Float64Array(p * p),
    D = new Float64Array(p);
  let scale = 0;
  for (let i = 0; i < p; i++) scale = Math.max(scale, Math.abs(A[i * p + i]!));
  const tiny = p * 2 ** -52 * scale;
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j]!;
    for (let k = 0; k < j; k++) d -= L[j * p + k]! * L[j * p + k]! * D[k]!;
    if (!(d > tiny)) return `not positive definite: pivot ${j} is ${d} (threshold ${tiny})`;
    D[j] = d;
    L[j * p + j] = 1;
    for (let i = j + 1; i < p; i++) {
      let v = A[i * p + j]!;
      for (let k = 0; k < j; k++) v -= L[i * p + k]! * L[j * p + k]! * D[k]!;
      L[i * p + j] = v / d;
    }
  }
  return { L, D };
}

/** Solves L·D·Lᵀ x = b. */
export function ldltSolve(f: Ldlt, p: number, b: Float64Array): Float64Array {
  const { L, D } = f;
  const x = Float64Array.from(b.subarray(0, p));
  for (let i = 0; i < p; i++) for (let k = 0; k < i; k++) x[i] = x[i]! - L[i * p + k]! * x[k]!;
  for (let i = 0; i < p; i++) x[i] = x[i]! / D[i]!;
  for (let i = p - 1; i >= 0; i--) for (let k = i + 1; k < p; k++) x[i] = x[i]! - L[k * p + i]! * x[k]!;
  return x;
}
