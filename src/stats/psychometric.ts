// The psychometric fit of DESIGN §2.4 for one (learner, setting, d): the success probability
//   P(success | n) = λ_lo + (1 − λ_lo − λ_hi)·Φ((log₂ n − μ)/σ)
// with a posterior over (μ, σ) on a grid, as psignifit does. From it: n*₅₀ = 2^μ with a credible
// interval.
//
// The model, stated once (the report and `prunelab fit --json` repeat it):
// - Lapses are held fixed at λ_lo = λ_hi = 0.01: a learner fails a trial well above its threshold
//   (or succeeds far below) about once in a hundred. Fixed lapses keep one odd trial from dragging
//   σ to infinity, and they bound every likelihood factor away from 0, so complete separation (all
//   failures below some n, all successes above) gives a finite, proper posterior.
// - μ: flat on the grid [log₂ n_min − 4, log₂ n_max + 4] (the tested range plus 4 octaves each
//   side; step 0.05). Beyond the data the likelihood is flat, so a point whose interval runs into
//   the padding is reported as censored on that side instead of being given a made-up bound.
// - σ (in octaves of n): log-normal, median 0.5, sd of ln σ 1 (90% prior mass in [0.1, 2.6]), on a
//   16-point log grid over [0.05, 4]: weakly informative; a steep transition needs data to show it.
// - Trials are independent Bernoulli draws given (μ, σ). The designs make this true by
//   construction: the fixed grid and the adaptive design give every trial its own seed (its own
//   teacher and data). Files from the older √2-grid search reuse seeds 1..K at every n; there the
//   outcomes of one seed at neighbouring n are positively correlated and the interval is somewhat
//   too narrow. The √2-grid rule is shown beside the fit as a cross-check in either case.
import { ConfigError, checkNumber } from '../core/errors.js';
import { expd, log2, normalCdf, pow } from '../core/math.js';
import {
  PSYCHOMETRIC_MODEL,
  type PsychometricModel,
  addTrials,
  muGridFor,
  sigmaGrid,
  successTables,
} from './psychometric-grid.js';
import { type Interval, interval } from './interval.js';

/** The estimator every per-d n*₅₀ interval names. */
export const PSYCHOMETRIC_METHOD = 'credible (psychometric grid posterior per d)';

export { PSYCHOMETRIC_MODEL, type PsychometricModel };

/** The trials of one (learner, setting, d) at one n. */
export interface TrialCount {
  n: number;
  successes: number;
  trials: number;
}

/** A one-dimensional posterior on a uniform grid (each mass spread evenly over its cell). */
export interface GridPosterior {
  lo: number;
  step: number;
  mass: Float64Array;
}

export interface PsychometricFit {
  /** Posterior median and equal-tailed credible interval of μ (log₂ n). */
  mu: number;
  muCI: Interval;
  /** n*₅₀ = 2^μ and its interval. */
  n50: number;
  n50CI: Interval;
  /** Posterior median of σ (octaves). */
  sigma: number;
  /** The marginal posterior of μ; with μ's flat prior it is also the likelihood of μ, which the scaling fit multiplies. */
  muPosterior: GridPosterior;
  /** The tested range of n. */
  nMin: number;
  nMax: number;
  trials: number;
  successes: number;
  /** 'above' when the interval runs past the largest tested n (n*₅₀ > the reported bound), 'below' past the smallest. */
  censored: 'above' | 'below' | null;
}

/** P(success | n) under the model at (μ, σ). */
export function psychometric(
  n: number,
  mu: number,
  sigma: number,
  model: PsychometricModel = PSYCHOMETRIC_MODEL,
): number {
  return model.lapseLo + (1 - model.lapseLo - model.lapseHi) * normalCdf((log2(n) - mu) / sigma);
}

/** The quantile p of a grid posterior (piecewise-linear CDF, so quantiles are continuous in the data). */
export function gridQuantile(g: GridPosterior, p: number): number {
  let total = 0;
  for (let i = 0; i < g.mass.length; i++) total += g.mass[i]!;
  const target = p * total;
  let acc = 0;
  for (let i = 0; i < g.mass.length; i++) {
    const m = g.mass[i]!;
    if (acc + m >= target && m > 0) return g.lo + (i - 0.5 + (target - acc) / m) * g.step;
    acc += m;
  }
  return g.lo + (g.mass.length - 0.5) * g.step;
}

/** The density of a grid posterior at x, linear between grid points and flat beyond the ends. */
export function gridDensityAt(g: GridPosterior, x: number): number {
  const t = (x - g.lo) / g.step;
  const last = g.mass.length - 1;
  if (t <= 0) return g.mass[0]!;
  if (t >= last) return g.mass[last]!;
  const i = Math.floor(t);
  const f = t - i;
  return g.mass[i]! * (1 - f) + g.mass[i + 1]! * f;
}

/** Rejects cells that are not (n >= 1, trials >= 1, 0 <= successes <= trials). */
export function validateCounts(cells: readonly TrialCount[]): void {
  if (!Array.isArray(cells) || cells.length === 0) throw new ConfigError('cells', cells, 'at least one (n, trials)');
  for (const c of cells) {
    checkNumber('n', c.n, 1, Number.MAX_SAFE_INTEGER);
    if (!Number.isInteger(c.trials) || c.trials < 1) throw new ConfigError('trials', c.trials, 'an integer >= 1');
    if (!Number.isInteger(c.successes) || c.successes < 0 || c.successes > c.trials)
      throw new ConfigError('successes', c.successes, `an integer in [0, trials = ${c.trials}]`);
  }
}

/**
 * The grid posterior of one (learner, setting, d). `weight` multiplies every log-likelihood term
 * (1 for the model as stated; tests use other values to show that a wrong likelihood fails them).
 */
export function fitPsychometric(
  cells: readonly TrialCount[],
  options: { level?: number; model?: PsychometricModel; weight?: number } = {},
): PsychometricFit {
  validateCounts(cells);
  const model = options.model ?? PSYCHOMETRIC_MODEL;
  const level = checkNumber('level', options.level ?? 0.9, 0, 1, { openLo: true, openHi: true });
  const weight = options.weight ?? 1;
  const nMin = Math.min(...cells.map((c) => c.n));
  const nMax = Math.max(...cells.map((c) => c.n));
  const grid = muGridFor(log2(nMin), log2(nMax), model);
  const { lo, count: muCount } = grid;
  const sg = sigmaGrid(model);
  const S = sg.sigma.length;
  const table = successTables(model);
  const logLik = new Float64Array(muCount * S);
  for (let j = 0; j < S; j++) logLik.fill(sg.logPrior[j]!, j * muCount, (j + 1) * muCount);
  for (const cell of cells)
    addTrials(logLik, grid, sg, log2(cell.n), cell.successes, cell.trials - cell.successes, weight, table);
  let best = -Infinity;
  for (let k = 0; k < logLik.length; k++) if (logLik[k]! > best) best = logLik[k]!;
  const muMass = new Float64Array(muCount);
  const sigmaMass = new Float64Array(S);
  for (let i = 0; i < muCount; i++) {
    for (let j = 0; j < S; j++) {
      const w = expd(logLik[j * muCount + i]! - best);
      muMass[i]! += w;
      sigmaMass[j]! += w;
    }
  }
  let total = 0;
  for (let i = 0; i < muCount; i++) total += muMass[i]!;
  for (let i = 0; i < muCount; i++) muMass[i]! /= total;
  const muPosterior: GridPosterior = { lo, step: model.muStep, mass: muMass };
  const mu = gridQuantile(muPosterior, 0.5);
  const muLo = gridQuantile(muPosterior, (1 - level) / 2),
    muHi = gridQuantile(muPosterior, (1 + level) / 2);
  // σ's median on its log grid, by the same piecewise-linear rule
  const sigma = expd(gridQuantile({ lo: sg.lnLo, step: sg.lnStep, mass: sigmaMass }, 0.5));
  const trials = cells.reduce((k, c) => k + c.trials, 0);
  const successes = cells.reduce((k, c) => k + c.successes, 0);
  return {
    mu,
    muCI: interval(muLo, muHi, level, PSYCHOMETRIC_METHOD),
    n50: pow(2, mu),
    n50CI: interval(pow(2, muLo), pow(2, muHi), level, PSYCHOMETRIC_METHOD),
    sigma,
    muPosterior,
    nMin,
    nMax,
    trials,
    successes,
    censored: muHi > log2(nMax) + 0.5 ? 'above' : muLo < log2(nMin) - 0.5 ? 'below' : null,
  };
}
