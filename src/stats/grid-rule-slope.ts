// The cross-check estimator: slopes of the √2-grid rule's log n* against log d and against
// log(s^k* log d) (DESIGN §2.3), with a bootstrap over seeds for the interval. The regressors are
// theory.ts's (LOG_D and the pruned scaling's), logs base 2 from core/math.ts, so every published
// number is identical on every engine.
//
// Censored points ("> N") are excluded from the least-squares fit and returned in `censored`, so
// the report can show them. They are lower bounds: when they sit at the large-d end, the fitted
// slope is biased low, and the report says so. Too few usable points give `fit: null` and a
// `reason`, never a throw.
import { ConfigError, checkInt, checkNumber } from '../core/errors.js';
import { log2 } from '../core/math.js';
import { scoreCells, type NStarPoint } from './grid-rule.js';
import type { Prng } from '../core/prng.js';
import { createPrng } from '../core/prng.js';
import { type Interval, interval } from './interval.js';
import { LOG_D, type Regressor, scaling } from './theory.js';

/** The estimator of the grid rule's slope intervals. */
export const GRID_SLOPE_METHOD = 'percentile bootstrap (seeds resampled within each (d, n) cell)';

export interface LineFit {
  slope: number;
  intercept: number;
  /** Points used. */
  points: number;
  /** Coefficient of determination; null when the ys do not vary. */
  r2: number | null;
  /** OLS standard error of the slope; null with two points (no residual degrees of freedom). */
  slopeSe: number | null;
}

/** Ordinary least squares y = intercept + slope * x; null when fewer than 2 distinct xs. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): LineFit | null {
  if (xs.length !== ys.length) throw new ConfigError('ys', ys.length, `as many values as xs (${xs.length})`);
  const n = xs.length;
  if (n < 2) return null;
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx,
      dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = ys[i]! - (intercept + slope * xs[i]!);
    sse += e * e;
  }
  return {
    slope,
    intercept,
    points: n,
    r2: syy > 0 ? Math.max(0, 1 - sse / syy) : null,
    slopeSe: n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : null,
  };
}

/** The regressor log₂ x of a point, or null where it is undefined (d < 2 for s^k*·log d). */
export function regressorValue(p: Pick<NStarPoint, 'd' | 's' | 'kStar'>, against: Regressor): number | null {
  return against.log2(p.d, p.s, p.kStar);
}

export interface SlopeInterval extends Interval {
  replicates: number;
  /** Replicates that had at least two uncensored points with distinct x (the interval uses these). */
  usable: number;
  /** Total points censored across all replicates (each is excluded from its replicate's fit). */
  censoredDraws: number;
}

export interface SlopeFit {
  against: Regressor['id'];
  /** The least-squares line through the uncensored points, or null (see `reason`). */
  fit: LineFit | null;
  reason: string | null;
  /** d of the points in the fit, and of the censored points left out (with their "> N"). */
  usedD: number[];
  censored: { d: number; censoredAbove: number }[];
  /** The bootstrap interval, when asked for and possible. */
  interval: SlopeInterval | null;
  /** Why there is no interval, when there is a fit but no interval. */
  intervalReason: string | null;
}

export interface FitOptions {
  against?: Regressor;
  /** Bootstrap replicates; 0 skips the bootstrap. Default 1000. */
  replicates?: number;
  /** Interval coverage in (0, 1). Default 0.9. */
  level?: number;
  /** The PRNG for the bootstrap; or a seed for a fresh one (default seed 1). */
  prng?: Prng;
  seed?: number;
}

function checkOneSeries(points: readonly NStarPoint[]): void {
  const keys = new Set(points.map((p) => p.series));
  if (keys.size > 1)
    throw new ConfigError(
      'points',
      `${keys.size} series`,
      'the points of one series (one method and setting)',
      'fit each series on its own',
    );
  const ds = new Set(points.map((p) => p.d));
  if (ds.size !== points.length) throw new ConfigError('points', 'repeated d', 'one point per d');
}

function lineOf(
  points: readonly NStarPoint[],
  nStars: readonly (number | null)[],
  against: Regressor,
): { fit: LineFit | null; reason: string | null; usedD: number[] } {
  const xs: number[] = [],
    ys: number[] = [],
    usedD: number[] = [];
  let undefinedX = 0;
  for (let i = 0; i < points.length; i++) {
    const n = nStars[i];
    if (n === null || n === undefined) continue;
    const x = regressorValue(points[i]!, against);
    if (x === null) {
      undefinedX++;
      continue;
    }
    xs.push(x);
    ys.push(log2(n));
    usedD.push(points[i]!.d);
  }
  const censored = nStars.filter((n) => n === null).length;
  if (xs.length === 0) {
    const why =
      points.length === 0
        ? 'no points'
        : censored === points.length
          ? `all ${censored} points are censored`
          : 'no point has a defined regressor';
    return { fit: null, reason: why, usedD };
  }
  if (xs.length === 1) {
    return {
      fit: null,
      reason: `only one uncensored point (d = ${usedD[0]})${censored ? `, ${censored} censored` : ''}${undefinedX ? `, ${undefinedX} with d < 2` : ''}`,
      usedD,
    };
  }
  const fit = leastSquares(xs, ys);
  return fit
    ? { fit, reason: null, usedD }
    : { fit: null, reason: 'all uncensored points share one regressor value', usedD };
}

/** Percentile by linear interpolation between order statistics (type 7), of sorted values. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const f = h - i;
  return i + 1 < sorted.length ? sorted[i]! + f * (sorted[i + 1]! - sorted[i]!) : sorted[i]!;
}

/**
 * Fit one series: the least-squares slope and, unless `replicates` is 0, a bootstrap interval.
 * The bootstrap resamples seeds with replacement within every (d, n) cell (so a cell with k of
 * m successes draws its new count from the m outcomes), re-scores n* with the same rule, drops
 * points censored in that replicate, and refits. The interval is the percentile interval of the
 * usable replicates' slopes.
 */
export function fitSlope(points: readonly NStarPoint[], options: FitOptions = {}): SlopeFit {
  const against = options.against ?? LOG_D;
  const replicates = checkInt('replicates', options.replicates ?? 1000, 0, 1_000_000);
  const level = checkNumber('level', options.level ?? 0.9, 0, 1, { openLo: true, openHi: true });
  checkOneSeries(points);
  const pts = [...points].sort((a, b) => a.d - b.d);
  const { fit, reason, usedD } = lineOf(
    pts,
    pts.map((p) => p.nStar),
    against,
  );
  const censored = pts
    .filter((p) => p.nStar === null && p.censoredAbove !== null)
    .map((p) => ({ d: p.d, censoredAbove: p.censoredAbove! }));
  const out: SlopeFit = { against: against.id, fit, reason, usedD, censored, interval: null, intervalReason: null };
  if (!fit) return out;
  if (replicates === 0) {
    out.intervalReason = 'bootstrap not run';
    return out;
  }

  const prng = options.prng ?? createPrng(options.seed ?? 1);
  const slopes: number[] = [];
  let censoredDraws = 0;
  const nStars: (number | null)[] = new Array(pts.length);
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < pts.length; i++) {
      const cells = pts[i]!.perN.map((c) => {
        let k = 0;
        for (let t = 0; t < c.seeds; t++) if (prng.int(c.seeds) < c.successes) k++;
        return { n: c.n, successes: k, seeds: c.seeds };
      });
      const sc = scoreCells(cells);
      nStars[i] = sc.nStar;
      if (sc.nStar === null) censoredDraws++;
    }
    const line = lineOf(pts, nStars, against).fit;
    if (line) slopes.push(line.slope);
  }
  if (slopes.length < 10) {
    out.intervalReason = `only ${slopes.length} of ${replicates} bootstrap replicates had two uncensored points`;
    return out;
  }
  slopes.sort((a, b) => a - b);
  out.interval = {
    ...interval(
      quantileSorted(slopes, (1 - level) / 2),
      quantileSorted(slopes, (1 + level) / 2),
      level,
      GRID_SLOPE_METHOD,
    ),
    replicates,
    usable: slopes.length,
    censoredDraws,
  };
  return out;
}

/** Both fits of one series, sharing one PRNG stream: against log d, then against log(s^k*·log d). */
export function fitSeries(
  points: readonly NStarPoint[],
  options: Omit<FitOptions, 'against'> = {},
): { d: SlopeFit; skLogd: SlopeFit } {
  const prng = options.prng ?? createPrng(options.seed ?? 1);
  return {
    d: fitSlope(points, { ...options, prng, against: LOG_D }),
    skLogd: fitSlope(points, { ...options, prng, against: scaling('pruned').regressor }),
  };
}
