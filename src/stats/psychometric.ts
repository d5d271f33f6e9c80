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
import { expd, log2, logd, normalCdf, pow } from '../core/math.js';
import { type Interval, interval } from './interval.js';

/** The estimator every per-d n*₅₀ interval names. */
export const PSYCHOMETRIC_METHOD = 'credible (psychometric grid posterior per d)';

export interface PsychometricModel {
  lapseLo: number;
  lapseHi: number;
  /** Prior of σ (octaves): log-normal with this median and this sd of ln σ. */
  sigmaMedian: number;
  sigmaLogSd: number;
  sigmaMin: number;
  sigmaMax: number;
  sigmaPoints: number;
  /** μ grid step and the padding beyond the tested range (octaves). */
  muStep: number;
  muPad: number;
}

export const PSYCHOMETRIC_MODEL: Readonly<PsychometricModel> = Object.freeze({
  lapseLo: 0.01,
  lapseHi: 0.01,
  sigmaMedian: 0.5,
  sigmaLogSd: 1,
  sigmaMin: 0.05,
  sigmaMax: 4,
  sigmaPoints: 16,
  muStep: 0.05,
  muPad: 4,
});

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

// ln P and ln(1 − P) as functions of z = (log₂ n − μ)/σ, tabulated once per lapse pair on a
// uniform z grid (step 1/1024 on [-9, 9], linear interpolation; beyond, Φ is 0 or 1 to 1e-19).
// Interpolation error: step²/8·max|f''| < 1e-6 per trial in the log-likelihood, far below what
// moves a posterior; it makes a fit about 20x cheaper than calling normalCdf and logd per cell.
const Z_MAX = 9,
  Z_STEP = 1 / 1024;
const Z_COUNT = 2 * Z_MAX * 1024 + 1;
const logTables = new Map<string, { ok: Float64Array; fail: Float64Array }>();

function logTable(lapseLo: number, lapseHi: number): { ok: Float64Array; fail: Float64Array } {
  const key = `${lapseLo},${lapseHi}`;
  let t = logTables.get(key);
  if (!t) {
    const ok = new Float64Array(Z_COUNT),
      fail = new Float64Array(Z_COUNT);
    for (let i = 0; i < Z_COUNT; i++) {
      const p = lapseLo + (1 - lapseLo - lapseHi) * normalCdf(-Z_MAX + i * Z_STEP);
      ok[i] = logd(p);
      fail[i] = logd(1 - p);
    }
    t = { ok, fail };
    logTables.set(key, t);
  }
  return t;
}

function lookup(table: Float64Array, z: number): number {
  const t = (z + Z_MAX) / Z_STEP;
  if (t <= 0) return table[0]!;
  if (t >= Z_COUNT - 1) return table[Z_COUNT - 1]!;
  const i = Math.floor(t);
  const f = t - i;
  return table[i]! + f * (table[i + 1]! - table[i]!);
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

function checkCounts(cells: readonly TrialCount[]): void {
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
  checkCounts(cells);
  const model = options.model ?? PSYCHOMETRIC_MODEL;
  const level = checkNumber('level', options.level ?? 0.9, 0, 1, { openLo: true, openHi: true });
  const weight = options.weight ?? 1;
  const xs = cells.map((c) => log2(c.n));
  const nMin = Math.min(...cells.map((c) => c.n));
  const nMax = Math.max(...cells.map((c) => c.n));
  const lo = log2(nMin) - model.muPad;
  const muCount = Math.ceil((log2(nMax) + model.muPad - lo) / model.muStep) + 1;
  const sigmas: number[] = [];
  const logSigmaPrior: number[] = [];
  const lsMin = logd(model.sigmaMin),
    lsMax = logd(model.sigmaMax),
    lsMed = logd(model.sigmaMedian);
  for (let j = 0; j < model.sigmaPoints; j++) {
    const ls = lsMin + ((lsMax - lsMin) * j) / (model.sigmaPoints - 1);
    sigmas.push(expd(ls));
    // log-normal density in ln σ on a uniform ln σ grid: the Jacobian is absorbed by the grid
    const u = (ls - lsMed) / model.sigmaLogSd;
    logSigmaPrior.push(-0.5 * u * u);
  }
  const table = logTable(model.lapseLo, model.lapseHi);
  const logLik = new Float64Array(muCount * model.sigmaPoints);
  let best = -Infinity;
  for (let i = 0; i < muCount; i++) {
    const mu = lo + i * model.muStep;
    for (let j = 0; j < model.sigmaPoints; j++) {
      const inv = 1 / sigmas[j]!;
      let ll = logSigmaPrior[j]!;
      for (let c = 0; c < cells.length; c++) {
        const cell = cells[c]!;
        const z = (xs[c]! - mu) * inv;
        const f = cell.trials - cell.successes;
        if (cell.successes > 0) ll += weight * cell.successes * lookup(table.ok, z);
        if (f > 0) ll += weight * f * lookup(table.fail, z);
      }
      logLik[i * model.sigmaPoints + j] = ll;
      if (ll > best) best = ll;
    }
  }
  const muMass = new Float64Array(muCount);
  const sigmaMass = new Float64Array(model.sigmaPoints);
  for (let i = 0; i < muCount; i++) {
    for (let j = 0; j < model.sigmaPoints; j++) {
      const w = expd(logLik[i * model.sigmaPoints + j]! - best);
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
  const sigma = expd(
    gridQuantile({ lo: lsMin, step: (lsMax - lsMin) / (model.sigmaPoints - 1), mass: sigmaMass }, 0.5),
  );
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
