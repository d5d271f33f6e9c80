// Local exponents (DESIGN §2.4 "Local exponents", issue 19): one line through all d hides a bend,
// so for each learner, as finite-size scaling does:
// - the slope between each pair of consecutive d, against log₂ d and against log₂ x(d) (the
//   learner's own regressor: with n ≈ d^b·log d the local slope against log d is about
//   b + 1/ln d, against log(d^b·log d) about 1);
// - the exponent refitted over d ≥ d_min for each d_min (the joint fit of stats/joint-fit.ts).
//
// The slopes come from the joint posterior of the thresholds WITHOUT the line: each μ_d free
// (flat over its own tested range padded by 4 octaves, as the per-d fit), σ shared across d under
// its prior (stats/psychometric-grid.ts). Not from the line model, whose δ_d would shrink every
// local slope towards the global b: the point of a local slope is to test the line, not to assume it.
// Given σ the μ_d are independent, so the distribution of μ_{k+1} − μ_k is an exact grid
// cross-correlation, mixed over σ's posterior.
//
// Neighbouring slopes share a threshold, so they are correlated (negatively: an error in μ_{k+1}
// raises one and lowers the other). Each slope reports its correlation with the next, from the
// same posterior; they must never be combined as if independent.
import { expd, log2, logd } from '../core/math.js';
import { expNeg } from './exp-neg.js';
import type { Summary } from './grid-summary.js';
import { type Interval, interval } from './interval.js';
import { type JointFit, type JointOptions, fitJoint } from './joint-fit.js';
import { type TrialCount, fitPsychometric, validateCounts } from './psychometric.js';
import {
  PSYCHOMETRIC_MODEL,
  type MuGrid,
  addTrials,
  muGridOverCells,
  sigmaGrid,
  successTables,
} from './psychometric-grid.js';

export interface LocalDimension {
  d: number;
  cells: readonly TrialCount[];
  /** log₂ of the learner's regressor x(d) (stats/theory.ts), when it has one. */
  regressor?: number;
}

export interface LocalSlope {
  dFrom: number;
  dTo: number;
  /** Posterior median of (μ(dTo) − μ(dFrom)) / (x(dTo) − x(dFrom)). */
  slope: number;
  interval: Interval;
  /** Its posterior correlation with the next slope (they share dTo); null for the last. */
  correlationWithNext: number | null;
  /** 'above' or 'below' when an end's threshold is censored that way by its own data: the slope is then only a bound. */
  censored: 'above' | 'below' | null;
}

export interface DMinFit {
  dMin: number;
  ds: number[];
  exponent: Summary;
  tau: Summary;
  /** The d whose line check fires in this refit. */
  misfit: number[];
}

export interface LocalExponents {
  /** Slopes against log₂ d. */
  vsD: LocalSlope[];
  /** Slopes against log₂ x(d), when every dimension has a regressor. */
  vsRegressor: LocalSlope[] | null;
  /** The joint fit against log₂ d refitted over d ≥ d_min, for each d_min that leaves two d or more. */
  fromDMin: DMinFit[];
  level: number;
  method: string;
}

export const LOCAL_METHOD =
  'credible: joint posterior of the per-d thresholds (mu_d free, flat over each tested range padded by 4 octaves; sigma shared, log-normal prior), exact difference distribution';

interface Saturated {
  grid: MuGrid;
  /** Per d and σ: the posterior of μ_d given σ (normalised, on the grid), its first two moments, and π(σ). */
  post: Float64Array[][];
  m1: number[][];
  m2: number[][];
  sigmaW: Float64Array;
}

/** The joint posterior of the thresholds with μ_d free and σ shared. */
function saturated(dims: readonly LocalDimension[], weight: number): Saturated {
  const model = PSYCHOMETRIC_MODEL;
  const grid = muGridOverCells(dims, model);
  const lo = grid.lo;
  const G = grid.count,
    h = grid.step;
  const sg = sigmaGrid(model),
    S = sg.sigma.length,
    tables = successTables(model);
  const logZ = new Float64Array(S);
  const post: Float64Array[][] = [],
    m1: number[][] = [],
    m2: number[][] = [];
  for (const p of dims) {
    const ll = new Float64Array(S * G);
    for (const c of p.cells) addTrials(ll, grid, sg, log2(c.n), c.successes, c.trials - c.successes, weight, tables);
    // this d's flat μ prior: its own tested range padded by muPad, as the per-d fit has it
    const ns = p.cells.map((c) => c.n);
    const from = Math.max(0, Math.round((log2(Math.min(...ns)) - model.muPad - lo) / h));
    const to = Math.min(G - 1, Math.round((log2(Math.max(...ns)) + model.muPad - lo) / h));
    const rows: Float64Array[] = [],
      r1: number[] = [],
      r2: number[] = [];
    for (let j = 0; j < S; j++) {
      let m = -Infinity;
      for (let i = from; i <= to; i++) m = Math.max(m, ll[j * G + i]!);
      const row = new Float64Array(G);
      let z = 0,
        s1 = 0,
        s2 = 0;
      for (let i = from; i <= to; i++) {
        const w = expNeg(ll[j * G + i]! - m);
        row[i] = w;
        z += w;
        const mu = lo + i * h;
        s1 += w * mu;
        s2 += w * mu * mu;
      }
      for (let i = from; i <= to; i++) row[i]! /= z;
      rows.push(row);
      r1.push(s1 / z);
      r2.push(s2 / z);
      logZ[j]! += m + logd(z);
    }
    post.push(rows);
    m1.push(r1);
    m2.push(r2);
  }
  let top = -Infinity;
  for (let j = 0; j < S; j++) top = Math.max(top, sg.logPrior[j]! + logZ[j]!);
  const sigmaW = new Float64Array(S);
  let t = 0;
  for (let j = 0; j < S; j++) {
    sigmaW[j] = expd(sg.logPrior[j]! + logZ[j]! - top);
    t += sigmaW[j]!;
  }
  for (let j = 0; j < S; j++) sigmaW[j]! /= t;
  return { grid, post, m1, m2, sigmaW };
}

/** The distribution of μ_b − μ_a on the grid of differences (index i_b − i_a + G − 1), mixed over σ. */
function difference(sat: Saturated, a: number, b: number): Float64Array {
  const G = sat.grid.count;
  const out = new Float64Array(2 * G - 1);
  sat.sigmaW.forEach((ws, j) => {
    if (ws < 1e-12) return;
    const pa = sat.post[a]![j]!,
      pb = sat.post[b]![j]!;
    // the bulk of each (mass above 1e-14 of the cell's share)
    const bulk = (p: Float64Array) => {
      let l = 0,
        r = G - 1;
      while (l < r && p[l]! < 1e-14) l++;
      while (r > l && p[r]! < 1e-14) r--;
      return [l, r] as const;
    };
    const [al, ar] = bulk(pa),
      [bl, br] = bulk(pb);
    for (let i = al; i <= ar; i++) {
      const wa = ws * pa[i]!;
      if (wa < 1e-300) continue;
      for (let k = bl; k <= br; k++) out[k - i + G - 1]! += wa * pb[k]!;
    }
  });
  return out;
}

/** Quantile p of a grid distribution (mass spread evenly over each cell). */
function quantile(mass: Float64Array, lo: number, step: number, p: number): number {
  let total = 0;
  for (const m of mass) total += m;
  const target = p * total;
  let acc = 0;
  for (let i = 0; i < mass.length; i++) {
    const m = mass[i]!;
    if (acc + m >= target && m > 0) return lo + (i - 0.5 + (target - acc) / m) * step;
    acc += m;
  }
  return lo + (mass.length - 0.5) * step;
}

function slopes(
  dims: readonly LocalDimension[],
  sat: Saturated,
  xs: readonly number[],
  diffs: readonly Float64Array[],
  censoredAt: readonly ('above' | 'below' | null)[],
  level: number,
  against: string,
): LocalSlope[] {
  const G = sat.grid.count,
    h = sat.grid.step;
  // per σ: E and Var of each difference, and the covariance of neighbours (they share a threshold)
  const K = dims.length - 1;
  const mean = new Array<number>(K).fill(0),
    second = new Array<number>(K).fill(0),
    cross = new Array<number>(Math.max(0, K - 1)).fill(0);
  sat.sigmaW.forEach((w, j) => {
    const e = (d: number) => sat.m1[d]![j]!,
      e2 = (d: number) => sat.m2[d]![j]!;
    for (let k = 0; k < K; k++) {
      const dm = e(k + 1) - e(k);
      const v = e2(k + 1) - e(k + 1) * e(k + 1) + e2(k) - e(k) * e(k);
      mean[k]! += w * dm;
      second[k]! += w * (v + dm * dm);
      if (k < K - 1) {
        // E[(B − A)(C − B) | σ] = E[B − A]·E[C − B] − Var(B), A, B, C independent given σ
        const cov = -(e2(k + 1) - e(k + 1) * e(k + 1));
        cross[k]! += w * (cov + dm * (e(k + 2) - e(k + 1)));
      }
    }
  });
  const variance = mean.map((m, k) => second[k]! - m * m);
  return diffs.map((diff, k) => {
    const dx = xs[k + 1]! - xs[k]!;
    const dLo = -(G - 1) * h;
    const q = (p: number) => quantile(diff, dLo, h, p) / dx;
    const [a, b] = dx > 0 ? [q((1 - level) / 2), q((1 + level) / 2)] : [q((1 + level) / 2), q((1 - level) / 2)];
    const corr = k < K - 1 ? (cross[k]! - mean[k]! * mean[k + 1]!) / Math.sqrt(variance[k]! * variance[k + 1]!) : null;
    const cA = censoredAt[k],
      cB = censoredAt[k + 1];
    // a later threshold censored above, or an earlier one below, leaves only a lower bound; and vice versa
    const up = cB === 'above' || cA === 'below',
      down = cB === 'below' || cA === 'above';
    return {
      dFrom: dims[k]!.d,
      dTo: dims[k + 1]!.d,
      slope: q(0.5),
      interval: interval(a, b, level, `${LOCAL_METHOD}; against ${against}`),
      correlationWithNext: corr === null || !Number.isFinite(corr) ? null : Math.max(-1, Math.min(1, corr)),
      censored: up && !down ? 'above' : down && !up ? 'below' : up && down ? 'above' : null,
    };
  });
}

/** The joint fit against log₂ d over the dimensions d ≥ dMin (null when fewer than two remain). */
export function fitFromDMin(dims: readonly LocalDimension[], dMin: number, options: JointOptions = {}): DMinFit | null {
  const sub = [...dims].filter((p) => p.d >= dMin && p.cells.length > 0).sort((a, b) => a.d - b.d);
  const fit: JointFit | null = fitJoint(
    sub.map((p) => ({ d: p.d, x: log2(p.d), cells: p.cells })),
    options,
  );
  return fit
    ? { dMin: sub[0]!.d, ds: sub.map((p) => p.d), exponent: fit.exponent, tau: fit.tau, misfit: fit.misfit }
    : null;
}

/**
 * The local exponents of one learner from its trials per d (at least two d with trials; fewer
 * give empty lists). `weight` multiplies every log-likelihood term (1 is the model; tests use 4);
 * `sweep: false` leaves out the d_min refits (each is a joint fit).
 */
export function localExponents(
  dims: readonly LocalDimension[],
  options: { level?: number; weight?: number; joint?: JointOptions; sweep?: boolean } = {},
): LocalExponents {
  const level = options.level ?? 0.9;
  const weight = options.weight ?? 1;
  const used = [...dims].filter((p) => p.cells.length > 0).sort((a, b) => a.d - b.d);
  for (const p of used) validateCounts(p.cells);
  if (new Set(used.map((p) => p.d)).size < used.length)
    throw new Error('localExponents: one entry per dimension (merge the cells of a repeated d)');
  if (used.length < 2) return { vsD: [], vsRegressor: null, fromDMin: [], level, method: LOCAL_METHOD };
  const sat = saturated(used, weight);
  const diffs = used.slice(1).map((_, k) => difference(sat, k, k + 1));
  const censoredAt = used.map((p) => fitPsychometric(p.cells, { level, weight }).censored);
  const vsD = slopes(
    used,
    sat,
    used.map((p) => log2(p.d)),
    diffs,
    censoredAt,
    level,
    'log2 d',
  );
  const regs = used.map((p) => p.regressor);
  const vsRegressor = regs.every((r): r is number => r !== undefined && Number.isFinite(r))
    ? slopes(used, sat, regs, diffs, censoredAt, level, 'log2 x(d)')
    : null;
  const fromDMin: DMinFit[] = [];
  if (options.sweep !== false)
    for (let k = 0; k + 1 < used.length; k++) {
      const f = fitFromDMin(used, used[k]!.d, { ...options.joint, level, weight });
      if (f) fromDMin.push(f);
    }
  return { vsD, vsRegressor, fromDMin, level, method: LOCAL_METHOD };
}
