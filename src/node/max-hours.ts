// --max-hours, shared by `trial` and `sweep`: the compute a trial may be estimated to need
// before it is refused up front (src/trial/cost.ts). One hour by default; `inf` lifts the limit.
import { ConfigError } from '../core/errors.js';

export const DEFAULT_MAX_HOURS = 1;

export function parseMaxHours(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_HOURS;
  if (/^(inf|infinity)$/i.test(text.trim())) return Infinity;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0)
    throw new ConfigError('max-hours', text, 'a number of hours > 0, or inf');
  return v;
}
