// The sample-size grid of DESIGN §2.3: n_j = round(32 * 2^(j/2)), j = 0, 1, 2, ... (a sqrt(2) grid).
// Every method and every search uses the same grid, so n* values are comparable across methods.
import { ConfigError } from '../core/errors.js';
import { log2, pow } from '../core/math.js';

export const GRID_BASE = 32;
/** The largest index we serve: n_80 = 32 * 2^40, far beyond any budget, well inside 2^53. */
export const GRID_MAX_INDEX = 80;
const SQRT2 = 1.4142135623730951; // the double nearest sqrt(2); scaling it by 2^h is exact

/** n_j = round(32 * 2^(j/2)) for an integer j in [0, GRID_MAX_INDEX]. */
export function gridN(j: number): number {
  if (!Number.isInteger(j) || j < 0 || j > GRID_MAX_INDEX) {
    throw new ConfigError(
      'j',
      j,
      `an integer in [0, ${GRID_MAX_INDEX}]`,
      'the grid index of n_j = round(32 * 2^(j/2))',
    );
  }
  const h = j >> 1;
  const p = GRID_BASE * pow(2, h); // exact
  return j % 2 === 0 ? p : Math.round(p * SQRT2);
}

/** The index j with gridN(j) === n, or null when n is not on the grid. */
export function gridIndex(n: number): number | null {
  if (!Number.isFinite(n) || n < GRID_BASE) return null;
  const j0 = Math.round(2 * log2(n / GRID_BASE));
  for (const j of [j0, j0 - 1, j0 + 1]) {
    if (j >= 0 && j <= GRID_MAX_INDEX && gridN(j) === n) return j;
  }
  return null;
}

export type SnapMode = 'down' | 'up' | 'nearest';

/**
 * The grid index for an arbitrary n > 0: `down` is the largest j with n_j <= n (null below 32),
 * `up` the smallest j with n_j >= n (null above the last grid point), `nearest` the closest in
 * log n (ties go up), clamped to the grid.
 */
export function snapGrid(n: number, mode: SnapMode = 'nearest'): number | null {
  if (typeof n !== 'number' || !(n > 0) || n === Infinity) throw new ConfigError('n', n, 'a finite number > 0');
  let j = Math.max(0, Math.min(GRID_MAX_INDEX, Math.floor(2 * log2(n / GRID_BASE))));
  // Fix the estimate so that n_j <= n < n_{j+1} where the grid allows.
  while (j > 0 && gridN(j) > n) j--;
  while (j < GRID_MAX_INDEX && gridN(j + 1) <= n) j++;
  const lo = gridN(j);
  if (mode === 'down') return lo <= n ? j : null;
  if (lo >= n) return j; // n at or below the floor, or exactly on the grid
  if (j === GRID_MAX_INDEX) return mode === 'up' ? null : j;
  if (mode === 'up') return j + 1;
  // nearest in log space: compare n/n_j with n_{j+1}/n, i.e. n^2 against n_j * n_{j+1}.
  return n * n >= lo * gridN(j + 1) ? j + 1 : j;
}

/** The grid values n_j with lo <= n_j <= hi, ascending. */
export function gridBetween(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let j = 0; j <= GRID_MAX_INDEX; j++) {
    const n = gridN(j);
    if (n > hi) break;
    if (n >= lo) out.push(n);
  }
  return out;
}
