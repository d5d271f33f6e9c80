// The scaling fit of DESIGN §2.4 for one learner: μ_d = a + b·log₂ x(d), where μ_d is the
// psychometric threshold (log₂ n*₅₀) at dimension d and x(d) is d or the learner's theory
// scaling (src/stats/theory.ts). The exponent b gets a 90% interval from the JOINT POSTERIOR:
// each d's marginal posterior of μ (flat prior, so it is that d's likelihood of μ, with σ
// integrated out) is evaluated at a + b·log₂ x(d), the product over d is the likelihood of (a, b),
// and (a, b) have a flat prior on a box wide enough to hold the data (b in [-2, 6]). The line is
// taken as exact (no extra scatter of μ_d around it); with the real learners that is the
// hypothesis being tested, and the fitted line is drawn with its band so a misfit shows.
//
// A censored d (its μ interval runs past the tested n) contributes a one-sided likelihood, which
// is honest: "n*₅₀ > N" pulls the line up without inventing a value.
//
// Δb between two learners: the two posteriors are independent (disjoint trials), so the
// distribution of b₁ − b₂ is the convolution of the two marginals of b, computed exactly on the grids.
import { ConfigError } from '../core/errors.js';
import { expd, logd } from '../core/math.js';
import { type Interval, interval } from './interval.js';

/** The estimator of the exponent's interval. */
export const EXPONENT_METHOD = 'credible (posterior of the line through the per-d μ likelihoods, flat prior)';
/** The estimator of Δb's interval. */
export const DIFFERENCE_METHOD = 'credible (convolution of the two independent posteriors of b)';
import { type GridPosterior, type PsychometricFit, gridDensityAt, gridQuantile } from './psychometric.js';

export interface ScalingPoint {
  d: number;
  /** log₂ of the regressor x(d). */
  x: number;
  fit: PsychometricFit;
}

export interface ExponentFit {
  /** Posterior median of b and its equal-tailed credible interval. */
  exponent: number;
  exponentCI: Interval;
  /** Posterior median of the intercept at the mean regressor (μ at x̄), and x̄. */
  center: number;
  xMean: number;
  /** The d used, ascending. */
  ds: number[];
  /** True when the interval reaches the prior box of b: the data do not bound the exponent there. */
  unbounded: boolean;
  /** The marginal posterior of b (for Δb). */
  posterior: GridPosterior;
  /** The band of the fitted line log₂ n = a + b·x at x (posterior quantiles (1±level)/2 and the median). */
  band(x: number): { lo: number; mid: number; hi: number };
}

const B_LO = -2,
  B_HI = 6;
// The coarse pass: b in steps of 0.1, the intercept in about 0.2-octave steps.
const COARSE_C = 81,
  COARSE_B = 81;

function evaluate(
  points: readonly { x: number; fit: { muPosterior: GridPosterior } }[],
  xMean: number,
  cLo: number,
  cHi: number,
  bLo: number,
  bHi: number,
  nc: number,
  nb: number,
): { w: Float64Array; cStep: number; bStep: number } {
  const cStep = (cHi - cLo) / (nc - 1),
    bStep = (bHi - bLo) / (nb - 1);
  const ll = new Float64Array(nc * nb);
  // log densities of each d's μ posterior, interpolated linearly in the log (floored at 1e-300)
  const logs = points.map((p) => {
    const m = p.fit.muPosterior;
    return { lo: m.lo, step: m.step, mass: m.mass.map((v) => logd(Math.max(1e-300, v))) };
  });
  let best = -Infinity;
  for (let i = 0; i < nc; i++) {
    const c = cLo + i * cStep;
    for (let j = 0; j < nb; j++) {
      const b = bLo + j * bStep;
      let s = 0;
      for (let k = 0; k < points.length; k++) s += gridDensityAt(logs[k]!, c + b * (points[k]!.x - xMean));
      ll[i * nb + j] = s;
      if (s > best) best = s;
    }
  }
  for (let k = 0; k < ll.length; k++) ll[k] = expd(ll[k]! - best);
  return { w: ll, cStep, bStep };
}

/** The line's posterior on the fine (c, b) grid: c is the intercept at x̄, weights unnormalised (max 1). */
export interface LineGrid {
  xMean: number;
  cLo: number;
  cStep: number;
  NC: number;
  bLo: number;
  bStep: number;
  NB: number;
  /** Weight of (c_i, b_j) at i·NB + j. */
  w: Float64Array;
  /** The coarse pass's b step (the unbounded test compares with it). */
  coarseBStep: number;
}

/**
 * The posterior of the line μ = c + b·(x − x̄) given each point's likelihood of μ (a grid
 * posterior under a flat μ prior), with a flat prior on (c, b), b in [-2, 6]: a coarse pass over
 * the whole box finds where it lives, a fine grid covers that region. Needs two distinct x.
 */
export function linePosterior(points: readonly { x: number; fit: { muPosterior: GridPosterior } }[]): LineGrid {
  const xs = points.map((p) => p.x);
  const xMean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const muLo = Math.min(...points.map((p) => p.fit.muPosterior.lo));
  const muHi = Math.max(
    ...points.map((p) => p.fit.muPosterior.lo + (p.fit.muPosterior.mass.length - 1) * p.fit.muPosterior.step),
  );
  // Pass 1: a coarse grid over the whole prior box finds where the posterior lives.
  let cLo = muLo,
    cHi = muHi,
    bLo = B_LO,
    bHi = B_HI;
  const coarse = evaluate(points, xMean, cLo, cHi, bLo, bHi, COARSE_C, COARSE_B);
  let iMin = COARSE_C - 1,
    iMax = 0,
    jMin = COARSE_B - 1,
    jMax = 0;
  for (let i = 0; i < COARSE_C; i++)
    for (let j = 0; j < COARSE_B; j++)
      if (coarse.w[i * COARSE_B + j]! > 1e-7) {
        iMin = Math.min(iMin, i);
        iMax = Math.max(iMax, i);
        jMin = Math.min(jMin, j);
        jMax = Math.max(jMax, j);
      }
  // Pass 2: a fine grid over that region (one coarse cell of margin each side).
  cLo = muLo + Math.max(0, iMin - 1) * coarse.cStep;
  cHi = muLo + Math.min(COARSE_C - 1, iMax + 1) * coarse.cStep;
  bLo = B_LO + Math.max(0, jMin - 1) * coarse.bStep;
  bHi = B_LO + Math.min(COARSE_B - 1, jMax + 1) * coarse.bStep;
  const NC = 121,
    NB = 161;
  const fine = evaluate(points, xMean, cLo, cHi, bLo, bHi, NC, NB);
  return { xMean, cLo, cStep: fine.cStep, NC, bLo, bStep: fine.bStep, NB, w: fine.w, coarseBStep: coarse.bStep };
}

/** The exponent fit over the given points (at least two distinct regressor values). */
export function fitExponent(points: readonly ScalingPoint[], options: { level?: number } = {}): ExponentFit | null {
  const level = options.level ?? 0.9;
  const xs = points.map((p) => p.x);
  if (new Set(xs).size < 2) return null;
  if (points.some((p) => !Number.isFinite(p.x)))
    throw new ConfigError('x', xs, 'finite log2 regressor values (x(d) > 0)');
  const line = linePosterior(points);
  const { xMean, cLo, bLo, NC, NB } = line;
  const fine = { w: line.w, cStep: line.cStep, bStep: line.bStep };
  const coarse = { bStep: line.coarseBStep };
  const bMass = new Float64Array(NB);
  const cMass = new Float64Array(NC);
  let total = 0;
  for (let i = 0; i < NC; i++)
    for (let j = 0; j < NB; j++) {
      const w = fine.w[i * NB + j]!;
      bMass[j]! += w;
      cMass[i]! += w;
      total += w;
    }
  for (let j = 0; j < NB; j++) bMass[j]! /= total;
  const posterior: GridPosterior = { lo: bLo, step: fine.bStep, mass: bMass };
  const q = (p: number) => gridQuantile(posterior, p);
  const exponentCI = interval(q((1 - level) / 2), q((1 + level) / 2), level, EXPONENT_METHOD);
  const band = (x: number) => {
    // weighted quantiles of c + b (x - x̄) over the fine grid
    const vals: { v: number; w: number }[] = [];
    for (let i = 0; i < NC; i++)
      for (let j = 0; j < NB; j++) {
        const w = fine.w[i * NB + j]!;
        if (w > 1e-9) vals.push({ v: cLo + i * fine.cStep + (bLo + j * fine.bStep) * (x - xMean), w });
      }
    vals.sort((a, b) => a.v - b.v);
    const sum = vals.reduce((k, e) => k + e.w, 0);
    const at = (p: number) => {
      let acc = 0;
      for (const e of vals) {
        acc += e.w;
        if (acc >= p * sum) return e.v;
      }
      return vals[vals.length - 1]!.v;
    };
    return { lo: at((1 - level) / 2), mid: at(0.5), hi: at((1 + level) / 2) };
  };
  return {
    exponent: q(0.5),
    exponentCI,
    center: gridQuantile({ lo: cLo, step: fine.cStep, mass: cMass }, 0.5),
    xMean,
    ds: points.map((p) => p.d).sort((a, b) => a - b),
    unbounded: exponentCI.lo <= B_LO + 2 * coarse.bStep || exponentCI.hi >= B_HI - 2 * coarse.bStep,
    posterior,
    band,
  };
}

export interface ExponentDifference {
  /** Posterior median of b₁ − b₂ and its credible interval. */
  delta: number;
  deltaCI: Interval;
  /** True when the interval contains 0: the data do not tell the two exponents apart. */
  containsZero: boolean;
}

/** The distribution of b₁ − b₂ for independent posteriors of b₁ and b₂, by exact convolution of the grids. */
export function exponentDifference(a: GridPosterior, b: GridPosterior, level = 0.9): ExponentDifference {
  const items: { v: number; w: number }[] = [];
  for (let i = 0; i < a.mass.length; i++) {
    const wa = a.mass[i]!;
    if (wa < 1e-12) continue;
    for (let j = 0; j < b.mass.length; j++) {
      const w = wa * b.mass[j]!;
      if (w > 1e-15) items.push({ v: a.lo + i * a.step - (b.lo + j * b.step), w });
    }
  }
  items.sort((x, y) => x.v - y.v);
  const sum = items.reduce((k, e) => k + e.w, 0);
  const at = (p: number) => {
    let acc = 0;
    for (let k = 0; k < items.length; k++) {
      const e = items[k]!;
      if (acc + e.w >= p * sum) {
        // interpolate towards the next support point so the quantile is continuous
        const next = items[k + 1]?.v ?? e.v;
        return e.v + ((p * sum - acc) / e.w) * (next - e.v);
      }
      acc += e.w;
    }
    return items[items.length - 1]!.v;
  };
  const deltaCI = interval(at((1 - level) / 2), at((1 + level) / 2), level, DIFFERENCE_METHOD);
  return { delta: at(0.5), deltaCI, containsZero: deltaCI.lo <= 0 && deltaCI.hi >= 0 };
}
