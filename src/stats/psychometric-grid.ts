// The one psychometric grid every fit and design shares (DESIGN §2.4): the model's constants, the
// σ grid with its prior, the tabulated success probabilities, and the likelihood update of a
// (σ, μ) grid by trials at one n. stats/psychometric.ts (one d), stats/joint-fit.ts (one learner)
// and experiment/design-adaptive.ts (where the next trials go) all build on it, so the posterior
// a design acts on is the posterior the fit reports, cell for cell.
//
// Layout: a grid log-likelihood is a Float64Array of S·G values, σ-major (index j·G + i for σ_j
// and μ_i = lo + i·step), so everything that works along μ (convolution, shifts) reads
// contiguous memory.
import { expd, log2, logd, normalCdf } from '../core/math.js';

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

/** The σ grid: uniform in ln σ, with the log prior density of each point (up to a constant). */
export interface SigmaGrid {
  readonly sigma: Float64Array;
  readonly inv: Float64Array;
  readonly logPrior: Float64Array;
  /** ln σ of the first point and the ln σ step, for quantiles of σ on its own grid. */
  readonly lnLo: number;
  readonly lnStep: number;
}

const sigmaGrids = new Map<string, SigmaGrid>();

export function sigmaGrid(model: PsychometricModel = PSYCHOMETRIC_MODEL): SigmaGrid {
  const key = `${model.sigmaMin},${model.sigmaMax},${model.sigmaPoints},${model.sigmaMedian},${model.sigmaLogSd}`;
  let g = sigmaGrids.get(key);
  if (!g) {
    const S = model.sigmaPoints;
    const lsMin = logd(model.sigmaMin),
      lsMax = logd(model.sigmaMax),
      lsMed = logd(model.sigmaMedian);
    const sigma = new Float64Array(S),
      inv = new Float64Array(S),
      logPrior = new Float64Array(S);
    for (let j = 0; j < S; j++) {
      const ls = lsMin + ((lsMax - lsMin) * j) / (S - 1);
      sigma[j] = expd(ls);
      inv[j] = 1 / sigma[j]!;
      // log-normal density in ln σ on a uniform ln σ grid: the Jacobian is absorbed by the grid
      const u = (ls - lsMed) / model.sigmaLogSd;
      logPrior[j] = -0.5 * u * u;
    }
    g = { sigma, inv, logPrior, lnLo: lsMin, lnStep: (lsMax - lsMin) / (S - 1) };
    sigmaGrids.set(key, g);
  }
  return g;
}

// ln P, ln(1 − P) and P as functions of z = (log₂ n − μ)/σ, tabulated once per lapse pair on a
// uniform z grid (step 1/1024 on [-9, 9], linear interpolation; beyond, Φ is 0 or 1 to 1e-19).
// Interpolation error: step²/8·max|f''| < 1e-6 per trial in the log-likelihood, far below what
// moves a posterior; it makes a fit about 20x cheaper than calling normalCdf and logd per cell.
const Z_MAX = 9,
  Z_PER = 1024;
const Z_COUNT = 2 * Z_MAX * Z_PER + 1;

export interface SuccessTables {
  readonly ok: Float64Array;
  readonly fail: Float64Array;
  readonly p: Float64Array;
}

const tables = new Map<string, SuccessTables>();

export function successTables(model: PsychometricModel = PSYCHOMETRIC_MODEL): SuccessTables {
  const key = `${model.lapseLo},${model.lapseHi}`;
  let t = tables.get(key);
  if (!t) {
    const ok = new Float64Array(Z_COUNT),
      fail = new Float64Array(Z_COUNT),
      p = new Float64Array(Z_COUNT);
    for (let i = 0; i < Z_COUNT; i++) {
      const q = model.lapseLo + (1 - model.lapseLo - model.lapseHi) * normalCdf(-Z_MAX + i / Z_PER);
      p[i] = q;
      ok[i] = logd(q);
      fail[i] = logd(1 - q);
    }
    t = { ok, fail, p };
    tables.set(key, t);
  }
  return t;
}

/** A table at z, linear between its points and constant beyond ±9. */
export function tableAt(table: Float64Array, z: number): number {
  const t = (z + Z_MAX) * Z_PER;
  if (t <= 0) return table[0]!;
  if (t >= Z_COUNT - 1) return table[Z_COUNT - 1]!;
  const i = Math.floor(t);
  const f = t - i;
  return table[i]! + f * (table[i + 1]! - table[i]!);
}

/** A uniform μ grid (log₂ n): μ_i = lo + i·step, i < count. */
export interface MuGrid {
  readonly lo: number;
  readonly step: number;
  readonly count: number;
}

/** The μ grid of a fit over the tested range [log₂ nMin, log₂ nMax], padded by model.muPad each side. */
export function muGridFor(log2NMin: number, log2NMax: number, model: PsychometricModel = PSYCHOMETRIC_MODEL): MuGrid {
  const lo = log2NMin - model.muPad;
  return { lo, step: model.muStep, count: Math.ceil((log2NMax + model.muPad - lo) / model.muStep) + 1 };
}

/** The μ grid shared by several d: over every n any of their cells tried, padded as muGridFor pads. */
export function muGridOverCells(
  dims: readonly { readonly cells: readonly { readonly n: number }[] }[],
  model: PsychometricModel = PSYCHOMETRIC_MODEL,
): MuGrid {
  let nLo = Infinity,
    nHi = -Infinity;
  for (const p of dims)
    for (const c of p.cells) {
      nLo = Math.min(nLo, c.n);
      nHi = Math.max(nHi, c.n);
    }
  return muGridFor(log2(nLo), log2(nHi), model);
}

/**
 * Adds the log-likelihood of `successes` and `failures` trials at log₂ n = x to every (σ, μ) cell
 * of `logLik` (σ-major, S·G). `weight` multiplies every term (1 for the model as stated; tests
 * use other values to show that a wrong likelihood fails them).
 */
export function addTrials(
  logLik: Float64Array,
  mu: MuGrid,
  sg: SigmaGrid,
  x: number,
  successes: number,
  failures: number,
  weight = 1,
  t: SuccessTables = successTables(),
): void {
  const G = mu.count,
    S = sg.sigma.length;
  const ws = weight * successes,
    wf = weight * failures;
  for (let j = 0; j < S; j++) {
    const inv = sg.inv[j]!;
    const row = j * G;
    for (let i = 0; i < G; i++) {
      const z = (x - (mu.lo + i * mu.step)) * inv;
      let ll = logLik[row + i]!;
      if (successes > 0) ll += ws * tableAt(t.ok, z);
      if (failures > 0) ll += wf * tableAt(t.fail, z);
      logLik[row + i] = ll;
    }
  }
}

/** P(success | z) with the model's lapses, from the shared table. */
export function successAt(z: number, t: SuccessTables = successTables()): number {
  return tableAt(t.p, z);
}
