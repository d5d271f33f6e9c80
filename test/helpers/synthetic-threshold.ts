// A synthetic learner with a known threshold, for testing the fits against the truth (it costs
// nothing to run): at dimension d its success probability at n is Φ((log₂ n − μ(d))/σ) with
// μ(d) = a + b·log₂ d, and every trial is an independent draw (its own seed).
import { normalCdf } from '../../src/core/math.js';
import { createPrng, type Prng } from '../../src/core/prng.js';
import type { TrialCount } from '../../src/stats/psychometric.js';

export interface Truth {
  a: number;
  b: number;
  sigma: number;
}

export function trueMu(t: Truth, d: number): number {
  return t.a + t.b * Math.log2(d);
}

/** One trial's outcome at (d, n). */
export function syntheticTrial(t: Truth, d: number, n: number, prng: Prng): boolean {
  return prng.next() < normalCdf((Math.log2(n) - trueMu(t, d)) / t.sigma);
}

/** `trials` independent trials at each n. */
export function syntheticCells(t: Truth, d: number, ns: readonly number[], trials: number, prng: Prng): TrialCount[] {
  return ns.map((n) => {
    let k = 0;
    for (let i = 0; i < trials; i++) if (syntheticTrial(t, d, n, prng)) k++;
    return { n, successes: k, trials };
  });
}

export { createPrng };

/**
 * The acceptance band for a coverage count out of `reps` intervals, for the hypothesis "the true
 * coverage is in [pLo, pHi]": reject below the `alpha` lower quantile of Binomial(reps, pLo) or
 * above the upper one of Binomial(reps, pHi). Each side's false-alarm rate is at most `alpha`.
 */
export function coverageBand(reps: number, pLo: number, pHi: number, alpha: number): { lo: number; hi: number } {
  const pmf = (p: number) => {
    const out = new Float64Array(reps + 1);
    let lp = reps * Math.log(1 - p);
    out[0] = Math.exp(lp);
    for (let k = 1; k <= reps; k++) {
      lp += Math.log((reps - k + 1) / k) + Math.log(p / (1 - p));
      out[k] = Math.exp(lp);
    }
    return out;
  };
  const a = pmf(pLo);
  let lo = 0,
    acc = 0;
  // smallest lo with P(X < lo) <= alpha < P(X <= lo)
  while (lo <= reps && acc + a[lo]! <= alpha) acc += a[lo++]!;
  const b = pmf(pHi);
  let hi = reps;
  acc = 0;
  while (hi >= 0 && acc + b[hi]! <= alpha) acc += b[hi--]!;
  return { lo, hi };
}
