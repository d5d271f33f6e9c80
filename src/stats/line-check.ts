// The per-d check of fit of the scaling line (DESIGN §2.4b; the "conflict" check of Marshall and
// Spiegelhalter 2007, a deleted-residual test): is this d's threshold consistent with the line
// through the OTHER d?
//
// Statistic: from this d's trials alone, the likelihood of μ_d (σ integrated under its prior,
// flat μ prior: the per-d fit's posterior); from the other d, the posterior predictive of the
// line at x_d (flat (c, b), b in the prior box, no δ: the straight line is what is tested). The
// two are independent (disjoint trials), so F = P(μ_d(own) < line(x_d)) is computed exactly on
// the grids, and
//   p = 2·min(F, 1 − F).
// Under a straight line both are calibrated posteriors of the same number, so p is close to
// uniform: the check fires (p < LINE_CHECK_LEVEL = 0.01) at about 1% per d, at most D% per
// learner (test/joint-fit.test.ts measures the rate on a straight truth). With three d the three
// checks see one and the same curvature, so they fire together; it takes four or more d to say
// which one is off.
//
// Not checked (null): fewer than three d (two points always fit a line), a d whose own data leave
// n*₅₀ censored (its "μ" is only a bound), or one whose others cannot define a line.
import { expNeg } from './exp-neg.js';
import { scratch } from './scratch.js';
import { type Summary, weightedQuantile } from './grid-summary.js';
import { interval } from './interval.js';
import { evaluateLines } from './line-grid.js';
import type { MuGrid } from './psychometric-grid.js';

export const LINE_CHECK_LEVEL = 0.01;

export const LINE_CHECK_METHOD =
  'leave-one-out conflict: own per-d mu likelihood against the straight line through the other d; p = 2·min(F, 1 - F)';

export interface LineCheck {
  /** Two-sided p-value of this d's own threshold against the line through the other d. */
  p: number;
  /** p < LINE_CHECK_LEVEL. */
  flagged: boolean;
  /** This d's own log₂ n*₅₀ minus the line's predicted one (octaves, medians): which way it sits off the line. */
  offset: number;
  /** The line through the other d, predicted at this d (log₂ n), with its interval. */
  predicted: Summary;
  method: string;
}

export interface CheckPoint {
  d: number;
  x: number;
  /** The log-likelihood of μ on the grid, σ integrated out (any additive constant). */
  logLik: Float64Array;
  /** True when this d's own data leave its threshold censored. */
  censored: boolean;
}

const COARSE_STRIDE = 4,
  COARSE_B_STEP = 0.1,
  FINE_B = 81,
  REGION = 20;
const B_LO = -2,
  B_HI = 6;

/** The check at every d (null where not checked), in the order given. */
export function lineCheck(
  points: readonly CheckPoint[],
  grid: MuGrid,
  options: { level?: number } = {},
): (LineCheck | null)[] {
  const level = options.level ?? 0.9;
  if (points.length < 3) return points.map(() => null);
  const G = grid.count,
    h = grid.step;
  const nbC = Math.round((B_HI - B_LO) / COARSE_B_STEP) + 1;
  const ncC = Math.floor((G - 1) / COARSE_STRIDE) + 1;
  const coarse = scratch('checkCoarse', ncC * nbC);
  return points.map((p, k) => {
    if (p.censored) return null;
    const others = points.filter((_, j) => j !== k);
    if (new Set(others.map((o) => o.x)).size < 2) return null;
    const xMean = others.reduce((a, o) => a + o.x, 0) / others.length;
    const u = others.map((o) => o.x - xMean);
    const logs = others.map((o) => o.logLik);
    evaluateLines(logs, u, grid, grid.lo, COARSE_STRIDE, ncC, B_LO, COARSE_B_STEP, nbC, coarse);
    let best = -Infinity;
    for (const v of coarse) if (v > best) best = v;
    let i0 = ncC,
      i1 = -1,
      j0 = nbC,
      j1 = -1;
    for (let jb = 0; jb < nbC; jb++)
      for (let i = 0; i < ncC; i++)
        if (coarse[jb * ncC + i]! >= best - REGION) {
          i0 = Math.min(i0, i);
          i1 = Math.max(i1, i);
          j0 = Math.min(j0, jb);
          j1 = Math.max(j1, jb);
        }
    const cLo = grid.lo + Math.max(0, i0 - 1) * COARSE_STRIDE * h;
    const nc = (Math.min(ncC - 1, i1 + 1) - Math.max(0, i0 - 1)) * COARSE_STRIDE + 1;
    const bLo = B_LO + Math.max(0, j0 - 1) * COARSE_B_STEP;
    const bStep = ((Math.min(nbC - 1, j1 + 1) - Math.max(0, j0 - 1)) * COARSE_B_STEP) / (FINE_B - 1);
    const fine = scratch('checkFine', nc * FINE_B);
    evaluateLines(logs, u, grid, cLo, 1, nc, bLo, bStep, FINE_B, fine);
    let fineBest = -Infinity;
    for (const v of fine) if (v > fineBest) fineBest = v;
    // this d's own μ: its CDF on the grid, each cell's mass spread evenly over the cell
    let ownBest = -Infinity;
    for (const v of p.logLik) if (v > ownBest) ownBest = v;
    const cum = scratch('checkCum', G + 1);
    for (let i = 0; i < G; i++) cum[i + 1] = cum[i]! + expNeg(p.logLik[i]! - ownBest);
    const cdf = (v: number): number => {
      const t = (v - grid.lo) / h + 0.5;
      if (t <= 0) return 0;
      if (t >= G) return 1;
      const i = Math.floor(t);
      return (cum[i]! + (t - i) * (cum[i + 1]! - cum[i]!)) / cum[G]!;
    };
    const at = p.x - xMean;
    const items: { v: number; w: number }[] = [];
    let F = 0,
      W = 0;
    for (let jb = 0; jb < FINE_B; jb++)
      for (let i = 0; i < nc; i++) {
        const e = fine[jb * nc + i]! - fineBest;
        if (e < -40) continue;
        const w = expNeg(e);
        const v = cLo + i * h + (bLo + jb * bStep) * at;
        items.push({ v, w });
        F += w * cdf(v);
        W += w;
      }
    F /= W;
    items.sort((a, b) => a.v - b.v);
    const mid = weightedQuantile(items, 0.5);
    // own median, by the same piecewise-linear rule
    const half = cum[G]! / 2;
    let i = 0;
    while (i < G - 1 && cum[i + 1]! < half) i++;
    const cell = cum[i + 1]! - cum[i]!;
    const ownMedian = grid.lo + (i - 0.5 + (cell > 0 ? (half - cum[i]!) / cell : 0.5)) * h;
    const pv = Math.min(1, 2 * Math.min(F, 1 - F));
    return {
      p: pv,
      flagged: pv < LINE_CHECK_LEVEL,
      offset: ownMedian - mid,
      predicted: {
        median: mid,
        interval: interval(
          weightedQuantile(items, (1 - level) / 2),
          weightedQuantile(items, (1 + level) / 2),
          level,
          'credible (the straight line through the other d)',
        ),
      },
      method: LINE_CHECK_METHOD,
    };
  });
}
