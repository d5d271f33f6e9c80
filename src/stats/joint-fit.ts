// One joint model per learner (DESIGN §2.4b): the scaling law inside the likelihood, as qCSF and
// Palamedes' shared-slope fits put it, so that every trial at every d informs the exponent:
//
//   P(success | n, d) = λ + (1 − 2λ)·Φ((log₂ n − a − b·x_d − δ_d)/σ),   δ_d ~ N(0, τ²),
//
// x_d = log₂ x(d) given by the caller (log₂ d, or log₂ of the learner's theory scaling, stats/theory.ts).
//
// Priors, stated once (the report and `fit --json` repeat them through JOINT_METHOD):
// - λ = 0.01 fixed, the σ grid and its log-normal prior (median 0.5 octave, sd of ln σ 1) are
//   those of the per-d fit (stats/psychometric-grid.ts). σ is SHARED across d: with a handful of
//   trials per d, a per-d σ is barely identified, and the transition width is a property of the
//   learner's noise more than of d. A d whose transition is much sharper or wider than the shared
//   σ shows up in the per-d cross-check fits printed beside this one.
// - a (as c, the line at the mean regressor x̄) flat over the μ grid; b flat on [-2, 6].
// - τ (octaves): exponential, P(τ > 0.5) = 0.05 (rate ln 20 / 0.5 ≈ 6), the penalised-complexity
//   prior of Simpson et al. (2017) for a random-effect sd: its mode is the straight line (τ = 0)
//   and it shrinks towards it at a constant rate; half an octave (one √2-grid step in n) is a large
//   deviation of one d from a scaling law. Per-d data more precise than a deviation override it.
//   With few d the data say little about τ (three d leave one degree of freedom), so b's interval
//   carries the prior's allowance for bends; that is the honest price of not assuming the line.
//
// Computation: per d, the likelihood L_d(μ, σ) on a common μ grid (step 0.05, the tested n of all
// d padded by 4 octaves, flat beyond); for each τ on an 8-point grid the δ-integral is L_d(·, σ)
// blurred by N(0, τ²) (stats/gaussian-blur.ts). Each (σ, τ) is a block whose posterior over
// (c, b) is a grid: a pilot (the most likely σ, every τ) scans the whole box coarsely (c every 0.2
// octave, b every 0.1) to find where the posterior lives; every block is then evaluated coarsely
// there, and finely (c every 0.1 octave, 81 values of b) on its own part of it. Blocks that cannot
// come within 25 nats of the best, or hold less than 1e-6 of the coarse mass, are skipped.
// Deterministic: our own exp/log, fixed grids, no host transcendental Math.
//
// Censoring: a d whose trials never succeed up to the cap has a likelihood that is flat above its
// tested range, so it pushes the line up without inventing a value, as in the per-d fit.
import { ConfigError, checkNumber } from '../core/errors.js';
import { expd, log2, logd, pow } from '../core/math.js';
import { type ExponentFit, fitExponent } from './exponent.js';
import { expNeg } from './exp-neg.js';
import { scratch } from './scratch.js';
import { gaussianBlur } from './gaussian-blur.js';
import { type Summary, summarise, summariseNodes, weightedQuantile } from './grid-summary.js';
import { type Interval, interval } from './interval.js';
import { evaluateLines, reachOf } from './line-grid.js';
import { type LineCheck, lineCheck } from './line-check.js';
import {
  type GridPosterior,
  type PsychometricFit,
  type PsychometricModel,
  PSYCHOMETRIC_MODEL,
  type TrialCount,
  fitPsychometric,
  validateCounts,
} from './psychometric.js';
import { type MuGrid, addTrials, muGridOverCells, sigmaGrid, successTables } from './psychometric-grid.js';

/** The trials of one learner at one d, with the log₂ regressor the line uses there. */
export interface JointDimension {
  d: number;
  /** log₂ x(d). */
  x: number;
  cells: readonly TrialCount[];
}

export interface JointPrior {
  /** τ's exponential prior: P(τ > tauScale) = tauTail. */
  tauScale: number;
  tauTail: number;
  /** The flat prior box of b. */
  bLo: number;
  bHi: number;
}

export const JOINT_PRIOR: Readonly<JointPrior> = Object.freeze({ tauScale: 0.5, tauTail: 0.05, bLo: -2, bHi: 6 });

/** The τ grid (octaves): 0, then roughly geometric up to 1.2, where the prior density is e^-7.2 of its mode. */
export const TAU_GRID: readonly number[] = Object.freeze([0, 0.05, 0.11, 0.19, 0.3, 0.47, 0.75, 1.2]);

export const JOINT_METHOD =
  'joint posterior: probit per d, mu_d = a + b·x_d + delta_d, delta_d ~ N(0, tau^2), sigma shared; lapses 0.01; flat (a, b), b in [-2, 6]; log-normal sigma (median 0.5); tau ~ Exponential, P(tau > 0.5) = 0.05';

export interface JointPoint {
  d: number;
  x: number;
  /** log₂ n*₅₀ = μ_d from the joint posterior (it borrows strength from the other d through the line). */
  mu: Summary;
  /** n*₅₀ = 2^μ_d with its interval. */
  n50: Summary;
  /** This d's trials alone (the per-d fit of stats/psychometric.ts), the cross-check. */
  alone: PsychometricFit;
  /** As the per-d fit says: 'above' when this d's own data leave n*₅₀ unbounded above (all failures), 'below' below. */
  censored: 'above' | 'below' | null;
  /** The line check at this d (null with fewer than three d, or when this d alone is censored). */
  check: LineCheck | null;
}

export interface JointFit {
  /** b: posterior median and interval. */
  exponent: Summary;
  /** The marginal posterior of b on a uniform grid (for Δb: two learners' posteriors are independent). */
  posterior: GridPosterior;
  /** The line's value at x̄ (the intercept c) and x̄. */
  center: Summary;
  xMean: number;
  sigma: Summary;
  tau: Summary;
  points: JointPoint[];
  /** The d whose line check fires (p below LINE_CHECK_LEVEL), ascending. */
  misfit: number[];
  /** True when b's interval reaches the prior box: the data do not bound the exponent. */
  unbounded: boolean;
  /** The band of the line a + b·x at x: posterior median and the interval at the fit's level. */
  band(x: number): { mid: number; interval: Interval };
  /** Today's fit on the same records, beside it: per-d μ likelihoods multiplied along a line with no δ_d (stats/exponent.ts). */
  crossCheck: ExponentFit | null;
  level: number;
  method: string;
}

export interface JointOptions {
  level?: number;
  model?: PsychometricModel;
  prior?: JointPrior;
  /** Fix τ at this value instead of estimating it (0: the line taken as exact; the power tests use it). */
  tau?: number;
  /** Multiplies every log-likelihood term (1 is the model; the power tests use 4). */
  weight?: number;
}

const COARSE_STRIDE = 4; // coarse c step and μ sampling: 4 μ cells (0.2 octave)
const COARSE_B_STEP = 0.1;
// Fine c step: 2 μ cells (0.1 octave). c is integrated out, and the trapezoid rule over a smooth
// unimodal posterior whose sd is about the step errs by less than 1e-4; the lines' values are
// still read at the full 0.05 resolution.
const FINE_STRIDE = 2;
const FINE_B = 81;
const PILOT_MASS = 1e-8; // the pilot's coarse cells above 1e-8 of its peak (and one cell more) are where every block is scanned
const REGION = 12; // a block's coarse cells within 12 nats of its best make its part of the fine grid
const REGION_MASS = 1e-6; // coarse cells of the marginal above 1e-6 of its peak make the fine region
const BLOCK_MASS = 1e-6; // blocks with less than 1e-6 of the coarse mass are left out of the fine pass
const PRUNE = 25; // blocks whose best possible value is 25 nats below the best found are skipped
const LOG_FLOOR = -690; // ln of the smallest likelihood kept after blurring (about 1e-300)

/** ln of a blurred likelihood (in units exp(−off)) plus off, floored so that log(0) stays finite. */
function logOf(m: number, off: number): number {
  return (m > 0 ? Math.max(LOG_FLOOR, logd(m)) : LOG_FLOOR) + off;
}

interface CoarseBlock {
  sigma: number;
  tau: number;
  logPrior: number;
  /** Its coarse mass, in units of the running coarse reference (rescaled as that moves). */
  mass: number;
  /** Its coarse cells within REGION of its best: c from, c to, b from, b to (indices of the full coarse grid). */
  box: [number, number, number, number];
}

/** The exponent alone from the joint posterior: what the adaptive design's stopping rule reads. */
export interface JointExponent {
  exponent: Summary;
  posterior: GridPosterior;
  sigma: Summary;
  tau: Summary;
  unbounded: boolean;
}

/**
 * The joint posterior of one learner over its dimensions (at least two distinct x). Dimensions
 * with no trials are left out. Null when fewer than two distinct regressor values remain.
 */
export function fitJoint(dims: readonly JointDimension[], options: JointOptions = {}): JointFit | null {
  return jointPosterior(dims, options, true) as JointFit | null;
}

/** b's posterior from the joint model without the per-d posteriors and checks (a few times cheaper). */
export function fitJointExponent(dims: readonly JointDimension[], options: JointOptions = {}): JointExponent | null {
  return jointPosterior(dims, options, false);
}

function jointPosterior(
  dims: readonly JointDimension[],
  options: JointOptions,
  withPoints: boolean,
): JointFit | JointExponent | null {
  const level = checkNumber('level', options.level ?? 0.9, 0, 1, { openLo: true, openHi: true });
  const model = options.model ?? PSYCHOMETRIC_MODEL;
  const prior = options.prior ?? JOINT_PRIOR;
  const weight = options.weight ?? 1;
  const used = [...dims].filter((p) => p.cells.length > 0).sort((a, b) => a.d - b.d || a.x - b.x);
  for (const p of used) {
    if (!Number.isFinite(p.x)) throw new ConfigError('x', p.x, `a finite log2 regressor at d = ${p.d} (x(d) > 0)`);
    validateCounts(p.cells);
  }
  if (new Set(used.map((p) => p.x)).size < 2) return null;
  if (options.tau !== undefined) checkNumber('tau', options.tau, 0, 10);
  const D = used.length;
  const xMean = used.reduce((k, p) => k + p.x, 0) / D;
  const u = used.map((p) => p.x - xMean);

  // The common μ grid and each d's likelihood on (σ, μ).
  const grid = muGridOverCells(used, model);
  const gLo = grid.lo;
  const G = grid.count,
    h = grid.step;
  const coarseGrid: MuGrid = { lo: gLo, step: COARSE_STRIDE * h, count: Math.floor((G - 1) / COARSE_STRIDE) + 1 };
  const Gc = coarseGrid.count;
  const sg = sigmaGrid(model);
  const S = sg.sigma.length;
  const tables = successTables(model);
  const ll = used.map((p, d) => {
    const a = scratch(`ll${d}`, S * G);
    for (const c of p.cells) addTrials(a, grid, sg, log2(c.n), c.successes, c.trials - c.successes, weight, tables);
    return a;
  });
  // off[d][σ]: the row maximum; lin[d][σ]: the row in linear units exp(ll − off)
  const off = ll.map((a) => {
    const o = new Float64Array(S);
    for (let j = 0; j < S; j++) {
      let m = -Infinity;
      for (let i = 0; i < G; i++) if (a[j * G + i]! > m) m = a[j * G + i]!;
      o[j] = m;
    }
    return o;
  });
  const lin = ll.map((a, d) => {
    const l = scratch(`lin${d}`, S * G);
    for (let j = 0; j < S; j++) for (let i = 0; i < G; i++) l[j * G + i] = expNeg(a[j * G + i]! - off[d]![j]!);
    return l;
  });
  const row = (a: Float64Array, j: number) => a.subarray(j * G, (j + 1) * G);

  // τ nodes and their log prior weights (density × cell width, cells as nodeQuantile spreads them)
  const taus = options.tau !== undefined ? [options.tau] : [...TAU_GRID];
  const rate = logd(1 / prior.tauTail) / prior.tauScale;
  const tauLogW = taus.map((t, k) => {
    if (taus.length === 1) return 0;
    const lo = k === 0 ? taus[0]! : (taus[k - 1]! + t) / 2;
    const hi = k === taus.length - 1 ? t : (t + taus[k + 1]!) / 2;
    return -rate * t + logd(hi - lo);
  });
  const bestTauW = Math.max(...tauLogW);

  // σ in order of their bound on the joint (the best each d can do alone), best first
  const bound = Array.from(sg.sigma, (_, j) => {
    let s = sg.logPrior[j]! + bestTauW;
    for (let d = 0; d < D; d++) s += off[d]![j]!;
    return { j, s };
  }).sort((a, b) => b.s - a.s || a.j - b.j);

  // Each d's log M on the coarse samples the lines of the box (c0..c1, b0..b1) reach.
  const nbC = Math.round((prior.bHi - prior.bLo) / COARSE_B_STEP) + 1;
  // The coarse pass samples each likelihood row every COARSE_STRIDE points and blurs it on that
  // grid: it only has to find where the posterior lives and roughly how much of it each block holds.
  const Gcs = Gc;
  const linC = lin.map((l, d) => {
    const c = scratch(`linC${d}`, S * Gcs);
    for (let j = 0; j < S; j++) for (let k = 0; k < Gcs; k++) c[j * Gcs + k] = l[j * G + k * COARSE_STRIDE]!;
    return c;
  });
  const coarseBufs = used.map((_, d) => scratch(`coarse${d}`, Gcs));
  const coarseLin = scratch('coarseLin', Gcs);
  /** Each d's coarse log M where the lines of the box (c0..c1, b0..b1) reach it, and at the ends. */
  const coarseLogM = (j: number, tau: number, c0: number, c1: number, b0: number, b1: number) =>
    coarseBufs.map((m, d) => {
      const [kFrom, kTo] = reachOf(coarseGrid, c0, c1, b0, b1, u[d]!);
      const src = linC[d]!.subarray(j * Gcs, (j + 1) * Gcs);
      gaussianBlur(src, coarseGrid.step, tau, 'clamp', coarseLin, 0, 0);
      gaussianBlur(src, coarseGrid.step, tau, 'clamp', coarseLin, Gcs - 1, Gcs - 1);
      gaussianBlur(src, coarseGrid.step, tau, 'clamp', coarseLin, kFrom, kTo);
      const o = off[d]![j]!;
      m[0] = logOf(coarseLin[0]!, o);
      m[Gcs - 1] = logOf(coarseLin[Gcs - 1]!, o);
      for (let k = kFrom; k <= kTo; k++) m[k] = logOf(coarseLin[k]!, o);
      return m;
    });

  // Pilot: the most likely σ at every τ, over the whole box. Where its marginal (summed over τ)
  // exceeds 1e-8 of its peak, plus one cell, is the box every block is then scanned in.
  const full = scratch('full', Gc * nbC);
  const pilotW = scratch('pilotW', Gc * nbC);
  const bBoxHi = prior.bLo + (nbC - 1) * COARSE_B_STEP;
  let pilotMax = -Infinity;
  for (let t = 0; t < taus.length; t++) {
    const j = bound[0]!.j;
    const logM = coarseLogM(j, taus[t]!, gLo, gLo + (Gc - 1) * coarseGrid.step, prior.bLo, bBoxHi);
    evaluateLines(logM, u, coarseGrid, gLo, 1, Gc, prior.bLo, COARSE_B_STEP, nbC, full);
    const lp = sg.logPrior[j]! + tauLogW[t]!;
    let bm = -Infinity;
    for (let k = 0; k < full.length; k++) if (full[k]! + lp > bm) bm = full[k]! + lp;
    if (bm > pilotMax) {
      if (pilotMax > -Infinity) {
        const f = expd(pilotMax - bm);
        for (let k = 0; k < pilotW.length; k++) pilotW[k]! *= f;
      }
      pilotMax = bm;
    }
    for (let k = 0; k < full.length; k++) {
      const v = full[k]! + lp - pilotMax;
      if (v > -40) pilotW[k]! += expNeg(v);
    }
  }
  let pilotPeak = 0;
  for (const v of pilotW) if (v > pilotPeak) pilotPeak = v;
  let pi0 = Gc,
    pi1 = -1,
    pj0 = nbC,
    pj1 = -1;
  for (let jb = 0; jb < nbC; jb++)
    for (let i = 0; i < Gc; i++)
      if (pilotW[jb * Gc + i]! >= pilotPeak * PILOT_MASS) {
        pi0 = Math.min(pi0, i);
        pi1 = Math.max(pi1, i);
        pj0 = Math.min(pj0, jb);
        pj1 = Math.max(pj1, jb);
      }
  pi0 = Math.max(0, pi0 - 1);
  pi1 = Math.min(Gc - 1, pi1 + 1);
  pj0 = Math.max(0, pj0 - 1);
  pj1 = Math.min(nbC - 1, pj1 + 1);
  const ncB = pi1 - pi0 + 1,
    nbB = pj1 - pj0 + 1;
  const cB0 = gLo + pi0 * coarseGrid.step,
    cB1 = gLo + pi1 * coarseGrid.step,
    bB0 = prior.bLo + pj0 * COARSE_B_STEP,
    bB1 = prior.bLo + pj1 * COARSE_B_STEP;

  // Pass 1: every block that can matter, coarsely over the pilot's box. The coarse marginal (summed
  // over blocks) decides the fine region; each block's own coarse cells the part of it that block
  // is evaluated on, and its coarse mass whether it is evaluated at all.
  const marg = scratch('marg', ncB * nbB);
  let margRef = -Infinity;
  const cells = scratch('cells', ncB * nbB);
  let best = pilotMax;
  const blocks: CoarseBlock[] = [];
  for (const { j, s } of bound) {
    if (s < best - PRUNE) break;
    for (let t = 0; t < taus.length; t++) {
      if (s - bestTauW + tauLogW[t]! < best - PRUNE) continue;
      const logPrior = sg.logPrior[j]! + tauLogW[t]!;
      const logM = coarseLogM(j, taus[t]!, cB0, cB1, bB0, bB1);
      evaluateLines(logM, u, coarseGrid, cB0, 1, ncB, bB0, COARSE_B_STEP, nbB, cells);
      let bm = -Infinity;
      for (let k = 0; k < ncB * nbB; k++) {
        cells[k]! += logPrior;
        if (cells[k]! > bm) bm = cells[k]!;
      }
      if (bm < best - PRUNE) continue;
      if (bm > best) best = bm;
      if (bm > margRef) {
        if (margRef > -Infinity) {
          const f = expd(margRef - bm);
          for (let k = 0; k < marg.length; k++) marg[k]! *= f;
          for (const e of blocks) e.mass *= f;
        }
        margRef = bm;
      }
      let mass = 0,
        i0 = ncB,
        i1 = -1,
        j0 = nbB,
        j1 = -1;
      for (let jb = 0; jb < nbB; jb++)
        for (let i = 0; i < ncB; i++) {
          const v = cells[jb * ncB + i]!;
          if (v >= bm - REGION) {
            i0 = Math.min(i0, i);
            i1 = Math.max(i1, i);
            j0 = Math.min(j0, jb);
            j1 = Math.max(j1, jb);
          }
          if (v < bm - PRUNE) continue;
          const w = expNeg(v - margRef);
          marg[jb * ncB + i]! += w;
          mass += w;
        }
      blocks.push({ sigma: j, tau: t, logPrior, mass, box: [pi0 + i0, pi0 + i1, pj0 + j0, pj0 + j1] });
    }
  }
  let margMax = 0,
    margTotal = 0;
  for (let k = 0; k < marg.length; k++) {
    margTotal += marg[k]!;
    if (marg[k]! > margMax) margMax = marg[k]!;
  }
  let iMin = ncB,
    iMax = -1,
    jMin = nbB,
    jMax = -1;
  for (let jb = 0; jb < nbB; jb++)
    for (let i = 0; i < ncB; i++)
      if (marg[jb * ncB + i]! >= margMax * REGION_MASS) {
        iMin = Math.min(iMin, i);
        iMax = Math.max(iMax, i);
        jMin = Math.min(jMin, jb);
        jMax = Math.max(jMax, jb);
      }
  // Pass 2: the fine grid over that region, one coarse cell of margin each side.
  const cStep = FINE_STRIDE * h;
  const cLo = gLo + Math.max(0, pi0 + iMin - 1) * coarseGrid.step;
  const cHi = gLo + Math.min(Gc - 1, pi0 + iMax + 1) * coarseGrid.step;
  const nc = Math.round((cHi - cLo) / cStep) + 1;
  const bLo = prior.bLo + Math.max(0, pj0 + jMin - 1) * COARSE_B_STEP;
  const bHi = prior.bLo + Math.min(nbC - 1, pj0 + jMax + 1) * COARSE_B_STEP;
  const nb = FINE_B;
  const bStep = (bHi - bLo) / (nb - 1);
  const fine = scratch('fine', nc * nb);
  const bMass = new Float64Array(nb),
    cMass = new Float64Array(nc),
    cb = scratch('cb', nc * nb),
    sigmaMass = new Float64Array(S),
    tauMass = new Float64Array(taus.length);
  const muMass = used.map(() => new Float64Array(G));
  const hist = scratch('hist', G),
    blurred = scratch('blurred', G);
  const logM = used.map((_, d) => scratch(`logM${d}`, G)),
    linM = used.map((_, d) => scratch(`linM${d}`, G));
  let ref = -Infinity;
  const rescale = (factor: number) => {
    for (const a of [bMass, cMass, cb, sigmaMass, tauMass, ...muMass])
      for (let k = 0; k < a.length; k++) a[k]! *= factor;
  };
  for (const block of blocks) {
    if (block.mass < margTotal * BLOCK_MASS) continue;
    const { box } = block;
    // its own region in fine-grid indices (one coarse cell of margin), inside the fine region
    const ia = Math.max(0, Math.floor((gLo + (box[0] - 1) * coarseGrid.step - cLo) / cStep));
    const ib = Math.min(nc - 1, Math.ceil((gLo + (box[1] + 1) * coarseGrid.step - cLo) / cStep));
    const ja = Math.max(0, Math.floor((prior.bLo + (box[2] - 1) * COARSE_B_STEP - bLo) / bStep));
    const jc = Math.min(nb - 1, Math.ceil((prior.bLo + (box[3] + 1) * COARSE_B_STEP - bLo) / bStep));
    if (ia > ib || ja > jc) continue;
    const w0 = ib - ia + 1,
      h0 = jc - ja + 1;
    const c0 = cLo + ia * cStep,
      b0 = bLo + ja * bStep;
    const tau = taus[block.tau]!;
    // each d's blurred likelihood at full resolution where this block's lines reach it, and at the ends
    const reach = used.map((_, d) => {
      const [kLo, kHi] = reachOf(grid, c0, c0 + (w0 - 1) * cStep, b0, b0 + (h0 - 1) * bStep, u[d]!);
      const src = row(lin[d]!, block.sigma);
      const lm = linM[d]!,
        o = off[d]![block.sigma]!;
      gaussianBlur(src, h, tau, 'clamp', lm, 0, 0);
      gaussianBlur(src, h, tau, 'clamp', lm, G - 1, G - 1);
      gaussianBlur(src, h, tau, 'clamp', lm, kLo, kHi);
      const out = logM[d]!;
      out[0] = logOf(lm[0]!, o);
      out[G - 1] = logOf(lm[G - 1]!, o);
      for (let k = kLo; k <= kHi; k++) out[k] = logOf(lm[k]!, o);
      return [kLo, kHi] as const;
    });
    evaluateLines(logM, u, grid, c0, FINE_STRIDE, w0, b0, bStep, h0, fine);
    let bm = -Infinity;
    for (let k = 0; k < w0 * h0; k++) {
      fine[k]! += block.logPrior;
      if (fine[k]! > bm) bm = fine[k]!;
    }
    if (bm > ref) {
      if (ref > -Infinity) rescale(expd(ref - bm));
      ref = bm;
    }
    const scale = expd(bm - ref);
    let total = 0;
    for (let jb = 0; jb < h0; jb++) {
      let rowSum = 0;
      for (let i = 0; i < w0; i++) {
        const k = jb * w0 + i;
        const v = fine[k]! - bm;
        const w = v > -50 ? expNeg(v) : 0;
        fine[k] = w; // from here on `fine` holds the block's weights
        rowSum += w;
        cMass[ia + i]! += scale * w;
        cb[(ja + jb) * nc + ia + i]! += scale * w;
      }
      bMass[ja + jb]! += scale * rowSum;
      total += rowSum;
    }
    sigmaMass[block.sigma]! += scale * total;
    tauMass[block.tau]! += scale * total;
    if (!withPoints) continue;
    // μ_d | (c, b, σ, τ) ∝ L_d(μ, σ)·N(μ; c + b·u_d, τ²): deposit each cell's weight at its line
    // value over M_d there (the normaliser), blur by τ, multiply by L_d.
    for (let d = 0; d < D; d++) {
      const [kLo, kHi] = reach[d]!;
      hist.fill(0);
      const lm = linM[d]!;
      const exact = tau === 0;
      let edgeLo = 0,
        edgeHi = 0,
        intended = 0;
      for (let jb = 0; jb < h0; jb++) {
        const s0 = (c0 + (b0 + jb * bStep) * u[d]! - gLo) / h;
        for (let i = 0; i < w0; i++) {
          const w = fine[jb * w0 + i]!;
          if (w === 0) continue;
          const s = s0 + i * FINE_STRIDE;
          intended += w;
          if (s <= 0) {
            edgeLo += w;
            hist[0]! += exact ? w : w / lm[0]!;
          } else if (s >= G - 1) {
            edgeHi += w;
            hist[G - 1]! += exact ? w : w / lm[G - 1]!;
          } else {
            const k = Math.floor(s);
            const f = s - k;
            hist[k]! += exact ? (1 - f) * w : ((1 - f) * w) / lm[k]!;
            hist[k + 1]! += exact ? f * w : (f * w) / lm[k + 1]!;
          }
        }
      }
      const out = muMass[d]!;
      if (exact) {
        for (let i = 0; i < G; i++) out[i]! += scale * hist[i]!;
        continue;
      }
      // the histogram lives on [kLo, kHi] and the two ends; its blur reaches 3.5τ beyond
      const r = Math.ceil((3.5 * tau) / h) + 1;
      const from = edgeLo > 0 ? 0 : Math.max(0, kLo - r),
        to = edgeHi > 0 ? G - 1 : Math.min(G - 1, kHi + r);
      gaussianBlur(hist, h, tau, 'zero', blurred, from, to);
      const L = row(lin[d]!, block.sigma);
      let real = 0;
      for (let i = from; i <= to; i++) {
        const v = L[i]! * blurred[i]!;
        out[i]! += scale * v;
        real += v;
      }
      // mass whose line value lies beyond the grid and whose δ keeps it there: put it at that end
      const lost = intended - real;
      if (lost > 0 && edgeLo + edgeHi > 0) {
        out[0]! += (scale * lost * edgeLo) / (edgeLo + edgeHi);
        out[G - 1]! += (scale * lost * edgeHi) / (edgeLo + edgeHi);
      }
    }
  }

  const posterior: GridPosterior = { lo: bLo, step: bStep, mass: normalise(bMass) };
  const exponent = summarise(posterior, level, `credible (${JOINT_METHOD})`);
  const center = summarise({ lo: cLo, step: cStep, mass: cMass }, level, `credible (${JOINT_METHOD})`);
  const sigma = summarise(
    { lo: sg.lnLo, step: sg.lnStep, mass: sigmaMass },
    level,
    'credible (joint posterior of the shared sigma)',
    expd,
  );
  const tau =
    taus.length === 1
      ? { median: taus[0]!, interval: interval(taus[0]!, taus[0]!, level, 'fixed') }
      : summariseNodes(taus, tauMass, level, 'credible (joint posterior of tau)');
  const bounded = (lo: number, hi: number) =>
    lo <= prior.bLo + 2 * COARSE_B_STEP || hi >= prior.bHi - 2 * COARSE_B_STEP;
  if (!withPoints)
    return {
      exponent,
      posterior,
      sigma,
      tau,
      unbounded: bounded(exponent.interval.lo, exponent.interval.hi),
    };

  const alone = used.map((p) => fitPsychometric(p.cells, { level, model, weight }));
  const checks = lineCheck(
    used.map((p, d) => {
      // the per-d likelihood of μ with σ integrated under its prior
      let m = -Infinity;
      for (let j = 0; j < S; j++) m = Math.max(m, sg.logPrior[j]! + off[d]![j]!);
      const wj = Array.from(sg.logPrior, (lp, j) => expd(lp + off[d]![j]! - m));
      const logLik = new Float64Array(G);
      for (let i = 0; i < G; i++) {
        let v = 0;
        for (let j = 0; j < S; j++) v += wj[j]! * lin[d]![j * G + i]!;
        logLik[i] = (v > 0 ? logd(v) : LOG_FLOOR) + m;
      }
      return { d: p.d, x: p.x, logLik, censored: alone[d]!.censored !== null };
    }),
    grid,
    { level },
  );
  const points: JointPoint[] = used.map((p, d) => {
    const mu = summarise({ lo: gLo, step: h, mass: muMass[d]! }, level, `credible (${JOINT_METHOD})`);
    return {
      d: p.d,
      x: p.x,
      mu,
      n50: {
        median: pow(2, mu.median),
        interval: interval(pow(2, mu.interval.lo), pow(2, mu.interval.hi), level, mu.interval.method),
      },
      alone: alone[d]!,
      censored: alone[d]!.censored,
      check: checks[d] ?? null,
    };
  });
  let cbMax = 0;
  for (const w of cb) if (w > cbMax) cbMax = w;
  const band = (x: number) => {
    const items: { v: number; w: number }[] = [];
    for (let jb = 0; jb < nb; jb++)
      for (let i = 0; i < nc; i++) {
        const w = cb[jb * nc + i]!;
        if (w > 1e-12 * cbMax) items.push({ v: cLo + i * cStep + (bLo + jb * bStep) * (x - xMean), w });
      }
    items.sort((a, b) => a.v - b.v);
    return {
      mid: weightedQuantile(items, 0.5),
      interval: interval(
        weightedQuantile(items, (1 - level) / 2),
        weightedQuantile(items, (1 + level) / 2),
        level,
        `credible band of the line (${JOINT_METHOD})`,
      ),
    };
  };
  const iv = exponent.interval;
  return {
    exponent,
    posterior,
    center,
    xMean,
    sigma,
    tau,
    points,
    misfit: points.filter((p) => p.check?.flagged).map((p) => p.d),
    unbounded: bounded(iv.lo, iv.hi),
    band,
    crossCheck: fitExponent(
      used.map((p, k) => ({ d: p.d, x: p.x, fit: alone[k]! })),
      { level },
    ),
    level,
    method: options.tau !== undefined ? `${JOINT_METHOD} [tau fixed at ${options.tau}]` : JOINT_METHOD,
  };
}

function normalise(a: Float64Array): Float64Array {
  let t = 0;
  for (let k = 0; k < a.length; k++) t += a[k]!;
  for (let k = 0; k < a.length; k++) a[k]! /= t;
  return a;
}
