// The verdict rules of the paper's checklist (DESIGN §2.5), fixed before any data: a claim's
// prediction is a range, its measurement an interval, and
//   holds         when the interval lies inside the predicted range,
//   fails         when it lies wholly outside it,
//   inconclusive  otherwise: the interval straddles a bound (too wide for these data), or the
//                 measurement is censored (an n*50 or an exponent the data leave open).
// With 90% equal-tailed intervals, a truth inside the range is called `fails` at most 5% of the
// time whatever the design (the interval misses the truth on that side), and a truth outside is
// called `holds` at most 5% of the time; how often a truth inside reads `holds` is the rule's
// power, which depends on how narrow the design makes the interval (test/verdict.test.ts measures
// both on the synthetic learner).
//
// The crossing α_c (claim C4) is where Δb(α) = b_pruned(α) − b_dense crosses 0: a line through
// the Δb(α) of the α tried, with its interval from draws of every exponent's posterior.
import { ConfigError } from '../core/errors.js';
import { createPrng } from '../core/prng.js';
import { type Interval, interval } from './interval.js';
import type { GridPosterior } from './psychometric.js';
import { gridQuantile } from './psychometric.js';

export type Verdict = 'holds' | 'fails' | 'inconclusive';
export const VERDICTS: readonly Verdict[] = ['holds', 'fails', 'inconclusive'];

/** A predicted range [lo, hi] (either end may be infinite), with the words that state it. */
export interface PredictedRange {
  readonly lo: number;
  readonly hi: number;
  readonly text: string;
}

export function predictedRange(lo: number, hi: number, text: string): PredictedRange {
  if (!(lo <= hi)) throw new ConfigError('range', [lo, hi], 'lo <= hi');
  return { lo, hi, text };
}

export interface Judgement {
  verdict: Verdict;
  /** One sentence with the numbers: why this verdict. */
  reason: string;
}

const show = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : x > 0 ? '∞' : '−∞');

/** The rule on one interval. `censored` (an open measurement) is inconclusive whatever the interval says. */
export function judge(iv: Interval | null, range: PredictedRange, censored: string | null = null): Judgement {
  if (!iv) return { verdict: 'inconclusive', reason: 'no interval: too few dimensions or trials' };
  const where = `[${show(iv.lo)}, ${show(iv.hi)}] against ${range.text}`;
  if (censored) return { verdict: 'inconclusive', reason: `${where}, but censored: ${censored}` };
  if (iv.lo >= range.lo && iv.hi <= range.hi) return { verdict: 'holds', reason: `${where}: inside` };
  if (iv.hi < range.lo || iv.lo > range.hi) return { verdict: 'fails', reason: `${where}: wholly outside` };
  return { verdict: 'inconclusive', reason: `${where}: straddles a bound, too wide for these data` };
}

/** Several conditions of one claim: fails if any fails, holds if all hold, inconclusive otherwise. */
export function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) return 'inconclusive';
  if (verdicts.includes('fails')) return 'fails';
  return verdicts.every((v) => v === 'holds') ? 'holds' : 'inconclusive';
}

/**
 * The quantile function of a grid posterior, prepared once for many draws: the same
 * piecewise-linear quantiles as gridQuantile (the same running sums, so the same bits), found by
 * bisection instead of a scan.
 */
export function quantileFunction(g: GridPosterior): (u: number) => number {
  const cum = new Float64Array(g.mass.length + 1);
  for (let i = 0; i < g.mass.length; i++) cum[i + 1] = cum[i]! + g.mass[i]!;
  const total = cum[g.mass.length]!;
  return (u: number) => {
    const target = u * total;
    // the first cell i with cum[i+1] >= target and mass > 0, as gridQuantile scans for it
    let lo = 0,
      hi = g.mass.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    while (lo < g.mass.length && !(g.mass[lo]! > 0)) lo++;
    if (lo >= g.mass.length) return g.lo + (g.mass.length - 0.5) * g.step;
    return g.lo + (lo - 0.5 + (target - cum[lo]!) / g.mass[lo]!) * g.step;
  };
}

export interface Crossing {
  /** The median α_c over the draws, and its interval; null when the line does not cross 0 in the draws' majority. */
  alphaC: number | null;
  interval: Interval | null;
  /** Draws whose fitted line rises with α and crosses 0 (the others are counted as no crossing). */
  crossingShare: number;
  /** The fitted line Δb = c0 + c1·α at the posterior medians. */
  line: { c0: number; c1: number };
}

export const CROSSING_METHOD = 'draws of every exponent posterior; weighted least-squares line of Δb against α';

/**
 * α_c where Δb(α) = b_pruned(α) − b_dense(α) crosses 0, from the marginal posteriors of b (grid
 * posteriors, independent between learners and between α). `dense` is one posterior for every α
 * when the dense learner was run once (it is rotation invariant, so its sample complexity does
 * not depend on α), or one per α. Each draw takes one b per posterior, fits the line by least
 * squares weighted by the inverse variance of each Δb, and records −c0/c1 when c1 > 0. The
 * interval is the equal-tailed quantile interval of those α_c; draws without a rising crossing
 * count as +∞ (no crossing below it), so a flat line widens the interval instead of vanishing.
 */
export function crossing(
  alphas: readonly number[],
  pruned: readonly GridPosterior[],
  dense: GridPosterior | readonly GridPosterior[],
  options: { level?: number; draws?: number; seed?: number } = {},
): Crossing {
  const level = options.level ?? 0.9;
  const R = options.draws ?? 4000;
  if (alphas.length < 2 || pruned.length !== alphas.length)
    throw new ConfigError('alphas', alphas, 'at least two α, each with a pruned posterior');
  const denseAt = (i: number): GridPosterior =>
    Array.isArray(dense) ? (dense as GridPosterior[])[i]! : (dense as GridPosterior);
  const shared = !Array.isArray(dense);
  const prng = createPrng(options.seed ?? 1);
  const variance = (g: GridPosterior) => {
    const a = gridQuantile(g, 0.1587),
      b = gridQuantile(g, 0.8413);
    const h = (b - a) / 2;
    return Math.max(1e-6, h * h);
  };
  const w = alphas.map((_, i) => 1 / (variance(pruned[i]!) + variance(denseAt(i))));
  const fit = (db: readonly number[]) => {
    let sw = 0,
      sx = 0,
      sy = 0;
    for (let i = 0; i < db.length; i++) {
      sw += w[i]!;
      sx += w[i]! * alphas[i]!;
      sy += w[i]! * db[i]!;
    }
    const mx = sx / sw,
      my = sy / sw;
    let sxx = 0,
      sxy = 0;
    for (let i = 0; i < db.length; i++) {
      sxx += w[i]! * (alphas[i]! - mx) * (alphas[i]! - mx);
      sxy += w[i]! * (alphas[i]! - mx) * (db[i]! - my);
    }
    const c1 = sxy / sxx;
    return { c0: my - c1 * mx, c1 };
  };
  const qp = pruned.map(quantileFunction);
  const qd = alphas.map((_, i) => (shared && i > 0 ? null : quantileFunction(denseAt(i))));
  const dq = (i: number) => (shared ? qd[0]! : qd[i]!);
  const medians = alphas.map((_, i) => qp[i]!(0.5) - dq(i)(0.5));
  const line = fit(medians);
  const values: number[] = [];
  let crossings = 0;
  for (let r = 0; r < R; r++) {
    const d0 = shared ? dq(0)(prng.next()) : 0;
    const db = alphas.map((_, i) => qp[i]!(prng.next()) - (shared ? d0 : dq(i)(prng.next())));
    const { c0, c1 } = fit(db);
    if (c1 > 0) {
      crossings++;
      values.push(-c0 / c1);
    } else values.push(Infinity);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(p * (values.length - 1))))]!;
  const share = crossings / R;
  const median = q(0.5);
  return {
    alphaC: Number.isFinite(median) ? median : null,
    interval: Number.isFinite(median) ? interval(q((1 - level) / 2), q((1 + level) / 2), level, CROSSING_METHOD) : null,
    crossingShare: share,
    line,
  };
}
