// The magnitudes of the `soft` sparsity family (DESIGN §2.1, issue 21): a plateau and a power-law
// tail. Rank i = 1..d gets u_i = min(1, (x/i)^gamma) with x = c*s, and goes to column (i-1) mod r,
// which is then normalised; x is chosen so that sum_i ||V_i||^q meets the l_q budget with
// equality. Unlike `lq` (one power law whose exponent the budget fixes, nearly 1-sparse), gamma
// is given and the budget fixes the plateau, so the participation ratio grows like s = d^alpha.
//
// Everything here is deterministic IEEE arithmetic (+, -, *, /, sqrt, floor) and the double
// expd/logd of src/core/math.ts, so a profile has the same bits in every engine. The magnitudes
// do not depend on the seed: the seed only permutes and signs them (teacher_place_ranks).
//
// Cost. With b_i = i^(-2 gamma) and i^(-q gamma) computed once (one logd and two expd per rank),
// the tail sums at any x are x^e * sum_{i > x} i^(-e): a bisection step is O(d) additions, not
// O(d) transcendentals. That factorisation needs x^(2 gamma) and i^(-2 gamma) in double range for
// x, i < 2^31: 2 * 16 * ln(2^31) = 688 < 708, hence gamma <= SOFT_GAMMA_MAX.
import { expd, logd, pow } from '../core/math.js';

/** The largest gamma: x^(2 gamma) and i^(-2 gamma) stay normal doubles for every d < 2^31. */
export const SOFT_GAMMA_MAX = 16;

/** The gamma of a config that gives none: 3/(2q), which is the two checks (q = 1/2: 3; q = 1: 1.5). */
export function defaultSoftGamma(q: number): number {
  return 1.5 / q;
}

/** The l_q budget r^(q/2) d^(alpha(1-q/2)), or r^(q/2) s^(1-q/2) when only s is given: a flat V with d^alpha rows meets it. */
export function softTarget(d: number, s: number, alpha: number | undefined, r: number, q: number): number {
  const [base, expo] = alpha !== undefined ? [d, alpha * (1 - q / 2)] : [s, 1 - q / 2];
  return pow(r, q / 2) * pow(base, expo);
}

export interface SoftSolution {
  /** The plateau end x = c*s: ranks 1..floor(x) have u = 1, the tail u_i = (x/i)^gamma. */
  readonly x: number;
  /** c = x / s. */
  readonly c: number;
  readonly target: number;
  /**
   * sum_i ||V_i||^q of the f64 profile: the target within 1e-13 + d 2^-53 relative (the solve's
   * width plus a reordered sum), or the flat value when the target is above it.
   */
  readonly sum: number;
  /** (sum_i ||V_i||^2)^2 / sum_i ||V_i||^4 of the stored f32 V (its rows in rank order). */
  readonly participationRatio: number;
}

/** The budget is below what this gamma reaches: `floor` is the sum of the pure power law (x = 1, no plateau). */
export interface SoftUnreachable {
  readonly target: number;
  readonly floor: number;
}

export interface SoftProfile {
  readonly solution: SoftSolution;
  /** |V| in rank order (d f32: rank i+1 at index i), null unless asked for. */
  readonly magnitudes: Float32Array | null;
}

// x, the sum and PR depend on (d, s, r, q, gamma, target) only; a solve costs O(d) transcendentals
// and O(d log d) additions, so trials that share a setting reuse it (numbers only, never arrays).
const cache = new Map<string, SoftSolution | SoftUnreachable>();

/**
 * The soft profile of (d, s, r, q, gamma) for the budget `target`, with its magnitudes when asked.
 * Returns a SoftUnreachable when the budget is below the pure power law's sum (config.ts turns
 * that into a ConfigError). Callers validate the arguments (1 <= r <= d, 0 < q < 2,
 * 1/q < gamma <= SOFT_GAMMA_MAX).
 */
export function softProfile(
  d: number,
  s: number,
  r: number,
  q: number,
  gamma: number,
  target: number,
  magnitudes: boolean,
): SoftProfile | SoftUnreachable {
  const key = `${d},${s},${r},${q},${gamma},${target}`;
  const hit = cache.get(key);
  if (hit && !('x' in hit)) return hit;
  if (hit && !magnitudes) return { solution: hit, magnitudes: null };
  const sums = new TailSums(d, r, q, gamma);
  let x: number;
  if (hit) x = (hit as SoftSolution).x;
  else {
    const solved = solveX(sums, target);
    if (typeof solved !== 'number') {
      remember(key, solved);
      return solved;
    }
    x = solved;
  }
  const { mags, sum, participationRatio } = sums.profileAt(x);
  const solution: SoftSolution = { x, c: x / s, target, sum, participationRatio };
  if (!hit) remember(key, solution);
  return { solution, magnitudes: magnitudes ? mags : null };
}

function remember(key: string, v: SoftSolution | SoftUnreachable): void {
  if (cache.size >= 256) cache.delete(cache.keys().next().value!);
  cache.set(key, v);
}

/** Relative width at which the bisection on x stops (2^-46): the budget is then met to ~1e-13. */
const X_TOL = 1.4210854715202004e-14;

// sum_i ||V_i||^q rises from the pure power law at x = 1 (for x <= 1 the normalised profile is the
// same) to the flat value at x = d, continuously; bisection keeps sum(lo) <= target < sum(hi).
function solveX(sums: TailSums, target: number): number | SoftUnreachable {
  const d = sums.d;
  const floor = sums.budgetSum(1);
  if (target < floor) return { target, floor };
  let lo = 1,
    hi = d;
  let sLo = floor,
    sHi = sums.budgetSum(d);
  if (target >= sHi) return d; // flat: only at alpha = 1, where r not dividing d puts the target a little above
  for (let it = 0; it < 200 && hi - lo > X_TOL * hi; it++) {
    const mid = 0.5 * (lo + hi);
    const sMid = sums.budgetSum(mid);
    if (sMid <= target) {
      lo = mid;
      sLo = sMid;
    } else {
      hi = mid;
      sHi = sMid;
    }
  }
  return target - sLo <= sHi - target ? lo : hi;
}

/** i^(-2 gamma) and i^(-q gamma) for i = 1..d, and the column sums of the profile at any x. */
class TailSums {
  private readonly b2: Float64Array;
  private readonly bq: Float64Array;
  private readonly a2: Float64Array;
  private readonly aq: Float64Array;

  constructor(
    readonly d: number,
    readonly r: number,
    readonly q: number,
    readonly gamma: number,
  ) {
    this.b2 = new Float64Array(d);
    this.bq = new Float64Array(d);
    for (let i = 1; i <= d; i++) {
      const li = logd(i);
      this.b2[i - 1] = expd(-2 * gamma * li);
      this.bq[i - 1] = expd(-q * gamma * li);
    }
    this.a2 = new Float64Array(r);
    this.aq = new Float64Array(r);
  }

  // Fills a2[l] = sum_{i in column l} u_i^2 and aq[l] = sum u_i^q (unnormalised), the tail summed
  // from the last rank down (small terms first); returns the plateau end P = floor(x) and x^(2 gamma), x^(q gamma).
  private columns(x: number): { P: number; x2: number; xq: number } {
    const { d, r, q, gamma, b2, bq } = this;
    const P = Math.min(d, Math.floor(x));
    const lx = logd(x);
    const x2 = expd(2 * gamma * lx),
      xq = expd(q * gamma * lx);
    for (let l = 0; l < r; l++) {
      const n = P >= l + 1 ? Math.floor((P - l - 1) / r) + 1 : 0;
      let s2 = 0,
        sq = 0;
      for (let i = l + 1 + Math.floor((d - l - 1) / r) * r; i > P; i -= r) {
        s2 += b2[i - 1]!;
        sq += bq[i - 1]!;
      }
      this.a2[l] = n + x2 * s2;
      this.aq[l] = n + xq * sq;
    }
    return { P, x2, xq };
  }

  /** sum_i ||V_i||^q of the normalised profile at plateau end x (the function the bisection solves). */
  budgetSum(x: number): number {
    this.columns(x);
    let total = 0;
    for (let l = 0; l < this.r; l++) total += this.aq[l]! * expd(-0.5 * this.q * logd(this.a2[l]!));
    return total;
  }

  /** The normalised magnitudes at x as f32 in rank order, their f64 l_q sum, and PR of the f32 values. */
  profileAt(x: number): { mags: Float32Array; sum: number; participationRatio: number } {
    const { d, r, q, b2, bq } = this;
    const { P, x2, xq } = this.columns(x);
    const scaleQ = Float64Array.from(this.a2, (a) => expd(-0.5 * q * logd(a)));
    const mags = new Float32Array(d);
    let sum = 0,
      t2 = 0,
      t4 = 0;
    for (let i = 1; i <= d; i++) {
      const l = (i - 1) % r;
      const u2 = i <= P ? 1 : x2 * b2[i - 1]!;
      const uq = i <= P ? 1 : xq * bq[i - 1]!;
      const m = Math.fround(Math.sqrt(u2 / this.a2[l]!));
      mags[i - 1] = m;
      sum += uq * scaleQ[l]!;
      const m2 = m * m;
      t2 += m2;
      t4 += m2 * m2;
    }
    return { mags, sum, participationRatio: (t2 * t2) / t4 };
  }
}
