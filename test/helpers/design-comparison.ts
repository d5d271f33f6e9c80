// The adaptive design against the √2-grid search, on a synthetic learner with known truth
// (test/helpers/synthetic-threshold.ts): μ(d) = a + b·log₂ d, probit width σ, and every trial an
// independent draw decided by a hash of (replication, d, n, seed). It costs nothing to run, so
// the comparison can be replicated hundreds of times.
//
// - Adaptive: AdaptiveChain over the dimensions; the exponent and n*₅₀ per d from the joint model
//   (stats/joint-fit.ts) on its trials, as `prunelab fit` reports them.
// - Search: SearchChain with seeds 1..K at every visited √2-grid n (DESIGN §2.3); the exponent is
//   the least-squares slope of log n* against log d, with a 90% percentile interval from a
//   bootstrap over whole seeds (resample K of the K seeds, with replacement, for every d at once;
//   re-score n* by the grid rule; refit).
// - Compute: Σ n·d over the trials each design ran.
// Beside each, for comparing like with like: the joint fit on the search's own records, and the
// τ = 0 cross-check (stats/exponent.ts) on the adaptive records.
import { AdaptiveChain, type AdaptiveOptions } from '../../src/experiment/design-adaptive.js';
import { quantileSorted } from '../../src/stats/grid-rule-slope.js';
import { scoreCells } from '../../src/stats/grid-rule.js';
import { fitJoint, fitJointExponent } from '../../src/stats/joint-fit.js';
import { normalCdf } from '../../src/core/math.js';
import { createPrng } from '../../src/core/prng.js';
import type { TrialRecord } from '../../src/core/types.js';
import type { TrialRequest } from '../../src/experiment/design-search.js';
import { SearchChain } from '../../src/experiment/design-search.js';
import { type ChainPlan, expandSweep } from '../../src/experiment/sweep.js';
import { fnv } from './fake-trial.js';
import { type Truth, trueMu } from './synthetic-threshold.js';

export interface ComparisonSetup {
  truth: Truth;
  ds: number[];
  /** The per-trial cap on n·d. */
  budget: number;
  /** Seeds per grid point of the search. */
  searchSeeds: number;
}

/** Success of one synthetic trial: independent across (rep, d, n, seed). */
export function syntheticSuccess(t: Truth, rep: number, c: TrialRequest): boolean {
  // FNV-1a alone maps neighbouring seeds to nearly equal values; murmur3's finaliser decorrelates them
  let h = fnv(`${rep}|${c.d}|${c.n}|${c.seed}`, fnv(`${c.method}`));
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  const u = h / 2 ** 32;
  return u < normalCdf((Math.log2(c.n!) - trueMu(t, c.d!)) / t.sigma);
}

export function plan(setup: ComparisonSetup): ChainPlan {
  return expandSweep({
    name: 'synthetic',
    summary: 'synthetic',
    settings: [{ alpha: 0.25, link: 'he2' }],
    methods: ['none'],
    d: setup.ds,
    seeds: setup.searchSeeds,
    budget: setup.budget,
  })[0]!;
}

export interface DesignOutcome {
  /** The point estimate of b (posterior median; least-squares slope of the grid-rule n*). */
  b: number;
  lo: number;
  hi: number;
  width: number;
  compute: number;
  trials: number;
  /** True when the interval was defined (enough uncensored points). */
  ok: boolean;
}

function drive(
  chain: { next(): TrialRequest[] | null; report(r: TrialRecord[]): void },
  succeed: (c: TrialRequest) => boolean,
): { compute: number; trials: number } {
  let compute = 0,
    trials = 0;
  for (let batch = chain.next(); batch; batch = chain.next()) {
    const records = batch.map((c) => {
      compute += c.n! * c.d!;
      trials++;
      return { success: succeed(c) } as TrialRecord;
    });
    chain.report(records);
  }
  return { compute, trials };
}

export interface AdaptiveRun {
  results: ReturnType<AdaptiveChain['results']>;
  compute: number;
  trials: number;
}

export function driveAdaptive(setup: ComparisonSetup, rep: number, options: AdaptiveOptions = {}): AdaptiveRun {
  const chain = new AdaptiveChain(plan(setup), options);
  const cost = drive(chain, (c) => syntheticSuccess(setup.truth, rep, c));
  return { results: chain.results(), ...cost };
}

/** The joint dimensions (against log₂ d) of a design's results. */
export function dimsOf(results: readonly { d: number; points: { n: number; successes: number; seeds: number }[] }[]) {
  return results
    .filter((r) => r.points.length > 0)
    .map((r) => ({
      d: r.d,
      x: Math.log2(r.d),
      cells: r.points.map((p) => ({ n: p.n, successes: p.successes, trials: p.seeds })),
    }));
}

/**
 * The joint fit of an adaptive run. `weight` multiplies the analysis likelihood (1 is the model;
 * 4 is a deliberately overconfident fit), `tau` fixes τ (0: the line taken as exact).
 */
export function analyseAdaptive(
  run: AdaptiveRun,
  weight = 1,
  tau?: number,
): DesignOutcome & { perD: { d: number; n50CI: [number, number] }[]; crossWidth: number } {
  const options = { weight, ...(tau !== undefined ? { tau } : {}) };
  const cost = { compute: run.compute, trials: run.trials };
  if (tau !== undefined) {
    // b alone (the power variant with τ fixed needs no per-d posteriors)
    const e = fitJointExponent(dimsOf(run.results), options);
    if (!e) return { b: NaN, lo: NaN, hi: NaN, width: Infinity, ok: false, perD: [], crossWidth: Infinity, ...cost };
    const iv = e.exponent.interval;
    return {
      perD: [],
      b: e.exponent.median,
      lo: iv.lo,
      hi: iv.hi,
      width: iv.hi - iv.lo,
      ok: true,
      crossWidth: Infinity,
      ...cost,
    };
  }
  const f = fitJoint(dimsOf(run.results), options);
  if (!f) return { b: NaN, lo: NaN, hi: NaN, width: Infinity, ok: false, perD: [], crossWidth: Infinity, ...cost };
  const iv = f.exponent.interval;
  return {
    perD: f.points.map((p) => ({ d: p.d, n50CI: [p.n50.interval.lo, p.n50.interval.hi] })),
    b: f.exponent.median,
    lo: iv.lo,
    hi: iv.hi,
    width: iv.hi - iv.lo,
    ok: true,
    crossWidth: f.crossCheck ? f.crossCheck.exponentCI.hi - f.crossCheck.exponentCI.lo : Infinity,
    ...cost,
  };
}

export function runAdaptive(setup: ComparisonSetup, rep: number, options: AdaptiveOptions = {}, weight = 1) {
  return analyseAdaptive(driveAdaptive(setup, rep, options), weight);
}

function slope(xs: number[], ys: number[]): number | null {
  if (xs.length < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : null;
}

export function runSearch(
  setup: ComparisonSetup,
  rep: number,
  replicates = 1000,
): DesignOutcome & { jointWidth: number; jointCovers: boolean } {
  const p = plan(setup);
  const chain = new SearchChain(p.chain);
  // outcome[d][n][seedIndex]
  const outcomes = new Map<number, Map<number, boolean[]>>();
  const cost = drive(chain, (c) => {
    const ok = syntheticSuccess(setup.truth, rep, c);
    const byN = outcomes.get(c.d!) ?? new Map<number, boolean[]>();
    outcomes.set(c.d!, byN);
    const list = byN.get(c.n!) ?? [];
    byN.set(c.n!, list);
    list[c.seed! - 1] = ok;
    return ok;
  });
  const K = setup.searchSeeds;
  const point = (pickOf: (k: number) => number): number | null => {
    const xs: number[] = [],
      ys: number[] = [];
    for (const d of setup.ds) {
      const byN = outcomes.get(d);
      if (!byN) continue;
      const cells = [...byN.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([n, list]) => {
          let successes = 0;
          for (let k = 0; k < K; k++) if (list[pickOf(k)]) successes++;
          return { n, seeds: K, successes };
        });
      const sc = scoreCells(cells);
      if (sc.nStar === null) continue;
      xs.push(Math.log2(d));
      ys.push(Math.log2(sc.nStar));
    }
    return slope(xs, ys);
  };
  const b0 = point((k) => k);
  const prng = createPrng(1000 + rep);
  const slopes: number[] = [];
  const pick = new Array<number>(K);
  for (let r = 0; r < replicates; r++) {
    for (let k = 0; k < K; k++) pick[k] = prng.int(K);
    const b = point((k) => pick[k]!);
    if (b !== null) slopes.push(b);
  }
  // the joint model on the same records: the search's data analysed as the adaptive design's are
  const joint = fitJoint(
    [...outcomes.entries()].map(([d, byN]) => ({
      d,
      x: Math.log2(d),
      cells: [...byN.entries()].map(([n, list]) => ({
        n,
        successes: list.filter(Boolean).length,
        trials: list.length,
      })),
    })),
  );
  const jointWidth = joint ? joint.exponent.interval.hi - joint.exponent.interval.lo : Infinity;
  const jointCovers =
    joint !== null && joint.exponent.interval.lo <= setup.truth.b && setup.truth.b <= joint.exponent.interval.hi;
  if (b0 === null || slopes.length < replicates / 2)
    return { b: NaN, lo: NaN, hi: NaN, width: Infinity, ok: false, jointWidth, jointCovers, ...cost };
  slopes.sort((a, b) => a - b);
  const lo = quantileSorted(slopes, 0.05),
    hi = quantileSorted(slopes, 0.95);
  return { b: b0, lo, hi, width: hi - lo, ok: true, jointWidth, jointCovers, ...cost };
}

export interface DesignSummary {
  meanWidth: number;
  meanCompute: number;
  meanTrials: number;
  /** Intervals that contain the true b. */
  covered: number;
  /** Root mean square error of the point estimate of b: the precision the design really reached. */
  rmse: number;
}

export interface ComparisonSummary {
  reps: number;
  adaptive: DesignSummary;
  search: DesignSummary;
  /** Mean width of the τ = 0 cross-check on the adaptive records, and of the joint fit on the search's. */
  adaptiveCrossWidth: number;
  searchJointWidth: number;
  searchJointCovered: number;
  /** Mean compute of adaptive over mean compute of search. */
  computeRatio: number;
  widthRatio: number;
  /** Replications where adaptive's interval was no wider, and where it used less compute. */
  adaptiveNarrower: number;
  adaptiveCheaper: number;
}

export function compareDesigns(
  setup: ComparisonSetup,
  reps: number,
  options: AdaptiveOptions = {},
  firstRep = 0,
): ComparisonSummary {
  const acc = (xs: DesignOutcome[]) => ({
    meanWidth: xs.reduce((k, x) => k + x.width, 0) / xs.length,
    meanCompute: xs.reduce((k, x) => k + x.compute, 0) / xs.length,
    meanTrials: xs.reduce((k, x) => k + x.trials, 0) / xs.length,
    covered: xs.filter((x) => x.ok && x.lo <= setup.truth.b && setup.truth.b <= x.hi).length,
    rmse: Math.sqrt(
      xs.reduce((k, x) => k + (x.ok ? (x.b - setup.truth.b) ** 2 : 0), 0) / xs.filter((x) => x.ok).length,
    ),
  });
  const a: ReturnType<typeof runAdaptive>[] = [],
    s: ReturnType<typeof runSearch>[] = [];
  let narrower = 0,
    cheaper = 0;
  for (let r = firstRep; r < firstRep + reps; r++) {
    const x = runAdaptive(setup, r, options),
      y = runSearch(setup, r);
    a.push(x);
    s.push(y);
    if (x.width <= y.width) narrower++;
    if (x.compute < y.compute) cheaper++;
  }
  const A = acc(a),
    S = acc(s);
  return {
    reps,
    adaptive: A,
    search: S,
    adaptiveCrossWidth: a.reduce((k, x) => k + x.crossWidth, 0) / a.length,
    searchJointWidth: s.reduce((k, x) => k + x.jointWidth, 0) / s.length,
    searchJointCovered: s.filter((x) => x.jointCovers).length,
    computeRatio: A.meanCompute / S.meanCompute,
    widthRatio: A.meanWidth / S.meanWidth,
    adaptiveNarrower: narrower,
    adaptiveCheaper: cheaper,
  };
}
