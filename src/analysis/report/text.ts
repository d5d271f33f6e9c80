// The few ways a fitted number is written, defined once for the CLI summary, the HTML report, the
// plots, the demo and the element: an exponent with its interval, an n*50 with its (possibly
// open) interval, a grid-rule slope, a grid-rule n* and a dense/pruned ratio. Levels are never
// written here; a label that needs one prints the level its interval carries (stats/interval.ts
// levelText).
import type { ExponentFit } from '../../stats/exponent.js';
import type { SlopeFit } from '../../stats/grid-rule-slope.js';
import type { PsychometricFit } from '../../stats/psychometric.js';
import { GRID_BASE } from '../../stats/n-grid.js';
import { formatInterval } from '../../stats/interval.js';
import type { JointFit, JointPoint } from '../../stats/joint-fit.js';
import type { LocalSlope } from '../../stats/local-exponents.js';

/** "0.63 [0.55, 0.71]", with "(unbounded)" when the interval reaches the prior's edge. */
export function exponentText(e: Pick<ExponentFit, 'exponent' | 'exponentCI' | 'unbounded'> | null): string {
  if (!e) return 'n/a (one d)';
  return `${formatInterval(e.exponent, e.exponentCI)}${e.unbounded ? ' (unbounded)' : ''}`;
}

function round(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n.toPrecision(2);
}

/**
 * "1024 [890, 1180]"; an interval the data do not close on one side shows that side as "> N"
 * (past the largest n tried) or "< N" (below the smallest), and the whole estimate reads "> N"
 * when even the median lies beyond the tried range.
 */
export function n50Text(f: Pick<PsychometricFit, 'n50' | 'n50CI' | 'censored' | 'nMin' | 'nMax'>): string {
  if (f.censored === 'above')
    return f.n50 > f.nMax ? `> ${f.nMax}` : `${round(f.n50)} [${round(f.n50CI.lo)}, > ${f.nMax}]`;
  if (f.censored === 'below')
    return f.n50 < f.nMin ? `< ${f.nMin}` : `${round(f.n50)} [< ${f.nMin}, ${round(f.n50CI.hi)}]`;
  return formatInterval(f.n50, f.n50CI, { format: round });
}

/** The grid rule's n*: "4096", "<= 32" at the floor, "> N" when censored. */
export function gridText(g: { nStar: number | null; censoredAbove: number | null } | undefined): string {
  if (!g) return '-';
  if (g.nStar !== null) return g.nStar <= GRID_BASE ? `<= ${g.nStar}` : String(g.nStar);
  return g.censoredAbove !== null ? `> ${g.censoredAbove}` : 'n/a';
}

/**
 * A ratio n*_dense / n*_pruned: one decimal from 1 up ("4.0", "32.0"), two significant digits
 * below, where pruning loses and one decimal would print a ratio of 0.027 as "0.0".
 */
export function ratioText(v: number): string {
  return v >= 1 ? v.toFixed(1) : v.toPrecision(2);
}

/** "0.62 [0.51, 0.74]", "0.62 (no interval)", or "n/a (one point)". */
export function slopeText(f: SlopeFit): string {
  if (!f.fit) {
    const why =
      f.usedD.length === 1
        ? 'one point'
        : f.usedD.length === 0 && f.censored.length > 0
          ? 'all censored'
          : f.usedD.length === 0
            ? 'no points'
            : 'degenerate';
    return `n/a (${why})`;
  }
  return f.interval ? formatInterval(f.fit.slope, f.interval) : `${f.fit.slope.toFixed(2)} (no interval)`;
}

/** The joint fit's exponent: "0.63 [0.55, 0.71]", "(unbounded)" at the prior's edge. */
export function jointExponentText(j: Pick<JointFit, 'exponent' | 'unbounded'> | null): string {
  if (!j) return 'n/a (one d)';
  return `${formatInterval(j.exponent.median, j.exponent.interval)}${j.unbounded ? ' (unbounded)' : ''}`;
}

/** The joint n*₅₀ of one d: as n50Text, the open side read from that d's own trials. */
export function jointN50Text(p: Pick<JointPoint, 'n50' | 'censored' | 'alone'>): string {
  return n50Text({
    n50: p.n50.median,
    n50CI: p.n50.interval,
    censored: p.censored,
    nMin: p.alone.nMin,
    nMax: p.alone.nMax,
  });
}

/** A local slope: "1.32 [1.10, 1.55]", with "≥"/"≤" when an end is censored, so the slope is a bound. */
export function localSlopeText(s: Pick<LocalSlope, 'slope' | 'interval' | 'censored'>): string {
  const text = formatInterval(s.slope, s.interval);
  return s.censored === 'above'
    ? `≥ ${s.interval.lo.toFixed(2)} (open above)`
    : s.censored === 'below'
      ? `${text} (an end open below)`
      : text;
}
