// n* from raw trial records (DESIGN §2.3). The search writes every trial it runs, so anyone can
// re-score n* from the file with this function, and the report and the bootstrap do exactly that.
//
// The rule: for one (series, d), n* is the smallest visited n from which every visited n' >= n
// succeeds in at least half of its seeds (2 * successes >= seeds). If the largest visited n fails
// that test, no n qualifies and the point is censored "> N" at the largest visited n; it is kept,
// never dropped. Only visited n count: the designs visit grid n (n-grid.ts), and records made
// off the grid (a hand-run `prunelab trial --n 5000`) are treated like any other visited n.
import { canonicalJson } from '../core/hash.js';
import type { Method, RecordedConfig, TrialRecord } from '../core/types.js';
import { GRID_BASE } from './n-grid.js';

// ---------------------------------------------------------------------------------------------
// The rule on visited points: shared by the live search and anyone re-scoring n* from raw records.

/** A grid point succeeds when at least half of its seeds succeed (DESIGN §2.3; 3 of 5, 1 of 2). */
export function pointSucceeds(successes: number, seeds: number): boolean {
  return seeds > 0 && 2 * successes >= seeds;
}

export interface PointOutcome {
  n: number;
  /** Seeds that succeeded, out of `seeds`. */
  successes: number;
  seeds: number;
  success: boolean;
}

export interface NStar {
  /** The smallest visited n from which every visited larger n succeeds; null when censored. */
  nStar: number | null;
  /** True when no visited n succeeded up to the n*d cap: n* > bound. */
  censored: boolean;
  /** For a censored point, the largest n run (all failed): n* > bound. Null when the cap allowed no trial at all. */
  bound: number | null;
  /** n* is the grid floor (32): the true n* may be smaller. */
  atFloor: boolean;
}

/**
 * n* from any set of visited points (not necessarily contiguous): the smallest visited n such
 * that every visited n' >= n succeeds. If the largest visited n fails, the point is censored.
 */
export function nStarOfPoints(points: readonly { n: number; success: boolean }[]): NStar {
  const sorted = [...points].sort((a, b) => a.n - b.n);
  if (sorted.length === 0) return { nStar: null, censored: true, bound: null, atFloor: false };
  const top = sorted[sorted.length - 1]!;
  if (!top.success) return { nStar: null, censored: true, bound: top.n, atFloor: false };
  let i = sorted.length - 1;
  while (i > 0 && sorted[i - 1]!.success) i--;
  const nStar = sorted[i]!.n;
  return { nStar, censored: false, bound: null, atFloor: nStar <= GRID_BASE };
}

/** The trials of one (series, d) at one sample size n. */
export interface NCell {
  n: number;
  /** Seeds whose trial succeeded under the chosen criterion. */
  successes: number;
  /** Seeds run (distinct trial ids). */
  seeds: number;
}

/** Everything a series shares: the recorded config without d, n, n1, n2, seed (and s when alpha sets it). */
export type SeriesSetting = Omit<RecordedConfig, 'd' | 's' | 'n' | 'n1' | 'n2' | 'seed'> & { s?: number };

/** One n*(d) point of one series (a method and the rest of the teacher and learner setting). */
export interface NStarPoint {
  method: Method;
  d: number;
  s: number;
  kStar: number;
  /** The series key: canonical JSON of `setting`. Points with one key form one n*(d) curve. */
  series: string;
  setting: SeriesSetting;
  /** The smallest qualifying n, or null when censored. */
  nStar: number | null;
  /** The largest visited n when no n qualifies (the point reads "> censoredAbove"); else null. */
  censoredAbove: number | null;
  /** Every visited n, ascending. */
  perN: NCell[];
}

/** Which per-trial flag counts as success: relMse < 0.2 (the default) or alignMax > 0.95. */
export type Criterion = 'success' | 'alignSuccess';

export interface ScoreOptions {
  criterion?: Criterion;
}

/** True when a cell passes the majority rule: at least half of its seeds succeed (nStarOfPoints above). */
export function cellPasses(c: NCell): boolean {
  return pointSucceeds(c.successes, c.seeds);
}

/** The rule on the cells of one (series, d), ascending in n. Pure; the bootstrap reuses it. The rule itself is nStarOfPoints above, which the live search uses too. */
export function scoreCells(perN: readonly NCell[]): { nStar: number | null; censoredAbove: number | null } {
  const r = nStarOfPoints(perN.map((c) => ({ n: c.n, success: cellPasses(c) })));
  return { nStar: r.nStar, censoredAbove: r.bound };
}

// sim is how a trial was computed, not what it measures: the direct and subspace paths give the
// same distribution of records (test/subspace.test.ts), so a dense fresh-batch learner is one
// series across the d where `auto` switches paths. Cross-check the paths by fitting files apart.
const CANONICAL_DROP = new Set(['d', 'n', 'n1', 'n2', 'seed', 'sim']);

/** The series setting of a record: its config minus the per-point and per-trial fields. */
export function seriesSetting(config: RecordedConfig): SeriesSetting {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(config).sort()) {
    if (CANONICAL_DROP.has(k)) continue;
    // s follows d when alpha is set; with s given directly it is part of the setting.
    if (k === 's' && config.alpha !== null && config.alpha !== undefined) continue;
    out[k] = (config as unknown as Record<string, unknown>)[k];
  }
  return out as SeriesSetting;
}

/**
 * Re-score n* from raw trial records: one point per (series, d), sorted by series key then d.
 * Records repeated with the same id (a file resumed or concatenated twice) count once.
 */
export function scoreNStar(records: readonly TrialRecord[], options: ScoreOptions = {}): NStarPoint[] {
  const criterion = options.criterion ?? 'success';
  const seen = new Set<string>();
  interface Acc {
    setting: SeriesSetting;
    series: string;
    config: RecordedConfig;
    cells: Map<number, NCell>;
  }
  const groups = new Map<string, Acc>();
  for (const r of records) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const setting = seriesSetting(r.config);
    const series = canonicalJson(setting);
    const key = `${series}|${r.config.d}`;
    let g = groups.get(key);
    if (!g) {
      g = { setting, series, config: r.config, cells: new Map() };
      groups.set(key, g);
    }
    let c = g.cells.get(r.config.n);
    if (!c) {
      c = { n: r.config.n, successes: 0, seeds: 0 };
      g.cells.set(r.config.n, c);
    }
    c.seeds++;
    if (r[criterion] === true) c.successes++;
  }
  const points: NStarPoint[] = [];
  for (const g of groups.values()) {
    const perN = [...g.cells.values()].sort((a, b) => a.n - b.n);
    points.push({
      method: g.config.method,
      d: g.config.d,
      s: g.config.s,
      kStar: g.config.kStar,
      series: g.series,
      setting: g.setting,
      ...scoreCells(perN),
      perN,
    });
  }
  return points.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.d - b.d));
}

/** Points grouped by series, each group sorted by d; series in first-appearance order. */
export function groupSeries(points: readonly NStarPoint[]): NStarPoint[][] {
  const bySeries = new Map<string, NStarPoint[]>();
  for (const p of points) {
    let g = bySeries.get(p.series);
    if (!g) bySeries.set(p.series, (g = []));
    g.push(p);
  }
  return [...bySeries.values()].map((g) => g.sort((a, b) => a.d - b.d));
}
