// One shape for every interval prunelab reports (an n*50, an exponent, a Δb, a local slope, a
// crossing α_c), as scipy.stats results carry theirs: the bounds, the level they were computed at
// and the estimator that made them. Every label is printed from `level`, so a 50% interval is never
// called a 90% one.
import { ConfigError } from '../core/errors.js';

export interface Interval {
  readonly lo: number;
  readonly hi: number;
  /** The coverage asked for, in (0, 1): 0.9 for a 90% interval. */
  readonly level: number;
  /** The estimator that made it, e.g. 'credible (joint posterior)' or 'bootstrap (cells)'. */
  readonly method: string;
}

export function interval(lo: number, hi: number, level: number, method: string): Interval {
  if (!(level > 0 && level < 1)) throw new ConfigError('level', level, 'a number in (0, 1)');
  if (!(lo <= hi) && !(Number.isNaN(lo) && Number.isNaN(hi))) throw new ConfigError('interval', [lo, hi], 'lo <= hi');
  return { lo, hi, level, method };
}

/** "90%" for 0.9, "50%" for 0.5, "99.5%" for 0.995: the level an interval carries, as people write it. */
export function levelText(level: number): string {
  const pct = level * 100;
  const rounded = Math.round(pct);
  return `${Math.abs(pct - rounded) < 1e-9 ? String(rounded) : String(Number(pct.toFixed(2)))}%`;
}

/** True when x lies inside the interval (bounds included). */
export function covers(iv: Pick<Interval, 'lo' | 'hi'>, x: number): boolean {
  return iv.lo <= x && x <= iv.hi;
}

export const width = (iv: Pick<Interval, 'lo' | 'hi'>): number => iv.hi - iv.lo;

/** [lo, hi] rounded to `digits` decimals, the JSON form DESIGN §4 names (exponentCI, ci). */
export function bounds(iv: Pick<Interval, 'lo' | 'hi'>, digits = 4): [number, number] {
  return [Number(iv.lo.toFixed(digits)), Number(iv.hi.toFixed(digits))];
}

/**
 * "0.56 [0.47, 0.64]" with the value; `label: true` appends the level ("… (90%)"), for lines that do
 * not say the level in a header already.
 */
export function formatInterval(
  value: number,
  iv: Interval,
  options: { digits?: number; label?: boolean; format?: (x: number) => string } = {},
): string {
  const f = options.format ?? ((x: number) => x.toFixed(options.digits ?? 2));
  return `${f(value)} [${f(iv.lo)}, ${f(iv.hi)}]${options.label ? ` (${levelText(iv.level)})` : ''}`;
}
