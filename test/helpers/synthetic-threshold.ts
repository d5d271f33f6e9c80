// A synthetic learner with a known threshold, for testing the fits against the truth (it costs
// nothing to run): at dimension d its success probability at n is Φ((log₂ n − μ(d))/σ) with
// μ(d) = a + b·log₂ d, and every trial is an independent draw (its own seed).
import { normalCdf } from '../../src/core/math.js';
import { createPrng, type Prng } from '../../src/core/prng.js';
import type { TrialCount } from '../../src/stats/psychometric.js';
import { gridN } from '../../src/stats/n-grid.js';

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

/** A threshold curve μ(d) (log₂ n*₅₀), any shape: straight, bent by a log factor, kinked, scattered. */
export type MuCurve = (d: number) => number;

/** A standard normal draw (Box–Muller; tests only). */
export function gaussian(prng: Prng): number {
  let u = 0;
  while (u === 0) u = prng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.next());
}

/**
 * The trials of one learner over `ds` under the curve: at each √2-grid n within `half` octaves of
 * μ(d) (a design that brackets the threshold, as a search would), `trials` independent trials.
 */
export function curveDims(
  mu: MuCurve,
  sigma: number,
  ds: readonly number[],
  prng: Prng,
  options: { half?: number; trials?: number } = {},
): { d: number; cells: TrialCount[] }[] {
  const half = options.half ?? 2.5,
    trials = options.trials ?? 4;
  return ds.map((d) => {
    const m = mu(d);
    const cells: TrialCount[] = [];
    for (let j = 0; j <= 70; j++) {
      const n = gridN(j);
      if (Math.abs(Math.log2(n) - m) > half) continue;
      let k = 0;
      for (let i = 0; i < trials; i++) if (prng.next() < normalCdf((Math.log2(n) - m) / sigma)) k++;
      cells.push({ n, successes: k, trials });
    }
    return { d, cells };
  });
}

/** The least-squares slope of y on x: the exponent a bent curve "has" over the given points. */
export function olsSlope(xs: readonly number[], ys: readonly number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length,
    my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxy / sxx;
}
