// The adaptive design's picture of the exponent (experiment/design-adaptive.ts): the joint model
// of stats/joint-fit.ts in its Gaussian form, cheap enough to evaluate for every candidate batch.
// Each d's threshold is summarised by its own data as N(mean_d, variance_d); μ_d = c + b·x_d + δ_d
// with δ_d ~ N(0, τ²), flat (c, b), and τ on the joint fit's grid under its prior. Given τ, b is
// the weighted least-squares slope (weights 1/(v_d + τ²)); τ's posterior comes from the
// residuals' marginal likelihood. So a d near the middle, which does not move the slope, is still
// worth measuring when it tells whether the line bends.
import { logd } from '../core/math.js';
import { expNeg } from '../stats/exp-neg.js';
import { JOINT_PRIOR, TAU_GRID } from '../stats/joint-fit.js';

export interface ThresholdSummary {
  /** log₂ x(d). */
  x: number;
  /** Centre and variance of log₂ n*₅₀ from this d's own trials. */
  mean: number;
  variance: number;
}

const TAU_RATE = logd(1 / JOINT_PRIOR.tauTail) / JOINT_PRIOR.tauScale;
const TAU_LOG_PRIOR = TAU_GRID.map((t, k) => {
  const lo = k === 0 ? 0 : (TAU_GRID[k - 1]! + t) / 2;
  const hi = k === TAU_GRID.length - 1 ? t : (t + TAU_GRID[k + 1]!) / 2;
  return -TAU_RATE * t + logd(hi - lo);
});

interface Line {
  /** Weighted means of x and μ, Σ w (x − x̄)², the slope, and the marginal log-likelihood of τ. */
  xm: number;
  mm: number;
  sxx: number;
  b: number;
  logLik: number;
}

function line(points: readonly ThresholdSummary[], tau2: number): Line | null {
  let sw = 0,
    swx = 0,
    swm = 0,
    slw = 0;
  for (const p of points) {
    const w = 1 / (p.variance + tau2);
    sw += w;
    swx += w * p.x;
    swm += w * p.mean;
    slw += logd(w);
  }
  const xm = swx / sw,
    mm = swm / sw;
  let sxx = 0,
    sxm = 0;
  for (const p of points) {
    const w = 1 / (p.variance + tau2);
    sxx += w * (p.x - xm) * (p.x - xm);
    sxm += w * (p.x - xm) * (p.mean - mm);
  }
  if (!(sxx > 0)) return null;
  const b = sxm / sxx;
  let rss = 0;
  for (const p of points) {
    const r = p.mean - mm - b * (p.x - xm);
    rss += (r * r) / (p.variance + tau2);
  }
  // flat (c, b): the likelihood of τ integrates both out, det(XᵀWX) = Σw·Sxx
  return { xm, mm, sxx, b, logLik: 0.5 * (slw - logd(sw) - logd(sxx) - rss) };
}

/** The posterior weights of τ on TAU_GRID (normalised), or null with fewer than two distinct x. */
function tauWeights(points: readonly ThresholdSummary[]): { lines: Line[]; w: number[] } | null {
  const lines: Line[] = [];
  for (const t of TAU_GRID) {
    const l = line(points, t * t);
    if (!l) return null;
    lines.push(l);
  }
  const logs = lines.map((l, k) => TAU_LOG_PRIOR[k]! + l.logLik);
  const top = Math.max(...logs);
  const w = logs.map((v) => expNeg(v - top));
  const z = w.reduce((a, b) => a + b, 0);
  return { lines, w: w.map((v) => v / z) };
}

/** The posterior variance of b, averaged over τ. Infinity with fewer than two distinct x. */
export function exponentVariance(points: readonly ThresholdSummary[]): number {
  const tw = tauWeights(points);
  if (!tw) return Infinity;
  let e1 = 0,
    e2 = 0;
  tw.lines.forEach((l, k) => {
    e1 += tw.w[k]! * l.b;
    e2 += tw.w[k]! * (1 / l.sxx + l.b * l.b);
  });
  return Math.max(0, e2 - e1 * e1);
}

/**
 * Var(b) of the weighted least-squares slope at a fixed τ: weights 1/(v_d + τ²). Infinity with
 * fewer than two distinct x. At a fixed τ a d at the weighted mean of x cannot move it: what such
 * a d tells about τ is what exponentVariance adds.
 */
export function slopeVariance(points: readonly { x: number; variance: number }[], tau: number): number {
  let sw = 0,
    swx = 0;
  for (const p of points) {
    const w = 1 / (p.variance + tau * tau);
    sw += w;
    swx += w * p.x;
  }
  const xm = swx / sw;
  let sxx = 0;
  for (const p of points) sxx += ((p.x - xm) * (p.x - xm)) / (p.variance + tau * tau);
  return sxx > 0 ? 1 / sxx : Infinity;
}

/** The prediction of μ_k from the other dimensions (the line ± τ, τ-averaged), or null when they cannot define a line. */
function predict(points: readonly ThresholdSummary[], k: number): { mean: number; variance: number } | null {
  const all = tauWeights(points);
  const others = points.filter((_, m) => m !== k);
  if (!all) return null;
  let e1 = 0,
    e2 = 0;
  for (let t = 0; t < TAU_GRID.length; t++) {
    const tau2 = TAU_GRID[t]! * TAU_GRID[t]!;
    const l = line(others, tau2);
    if (!l) return null;
    let sw = 0;
    for (const p of others) sw += 1 / (p.variance + tau2);
    const dx = points[k]!.x - l.xm;
    const mean = l.mm + l.b * dx;
    const variance = 1 / sw + (dx * dx) / l.sxx + tau2;
    e1 += all.w[t]! * mean;
    e2 += all.w[t]! * (variance + mean * mean);
  }
  return { mean: e1, variance: Math.max(1e-12, e2 - e1 * e1) };
}

/**
 * The τ-averaged Var(b) at the data a batch at dimension k is expected to bring: its own variance
 * down to v, and its own estimate moved to where it is expected to land given everything known now
 * (its own data combined with the line through the others). Certainty equivalence: the spread of
 * the batch's outcomes is left out, so a d on the line that sharpens lowers τ (and Var(b)), and a
 * d off the line is expected to come back towards it.
 */
export function plugInExponentVariance(points: readonly ThresholdSummary[], k: number, v: number): number {
  const now = points[k]!;
  const v1 = Math.min(v, now.variance);
  if (!(v1 < now.variance)) return exponentVariance(points);
  const u = 1 / (1 / v1 - 1 / now.variance); // the variance of the new trials' own estimate
  const pred = predict(points, k);
  const V = pred ? 1 / (1 / now.variance + 1 / pred.variance) : now.variance;
  const muHat = pred ? V * (now.mean / now.variance + pred.mean / pred.variance) : now.mean;
  const centre = v1 * (now.mean / now.variance + muHat / u);
  return exponentVariance(points.map((q, m) => (m === k ? { x: q.x, mean: centre, variance: v1 } : q)));
}
