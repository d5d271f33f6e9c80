// One error type for every bad input: it names the field, the value and what is allowed, so a
// CLI can print it as one line and an API caller can branch on `field`.

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
    detail?: string,
  ) {
    super(`\`${field}\` must be ${allowed}, got ${show(value)}${detail ? ` (${detail})` : ''}`);
    this.name = 'ConfigError';
  }
}

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v === undefined) return 'nothing';
  if (typeof v === 'bigint') return `${v}n`;
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

/** A finite number in [lo, hi] (bounds inclusive unless open). */
export function checkNumber(
  field: string,
  v: unknown,
  lo: number,
  hi: number,
  opts: { openLo?: boolean; openHi?: boolean } = {},
): number {
  const allowed = `a number in ${opts.openLo ? '(' : '['}${lo}, ${hi}${opts.openHi ? ')' : ']'}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(field, v, allowed);
  if (v < lo || v > hi || (opts.openLo && v === lo) || (opts.openHi && v === hi))
    throw new ConfigError(field, v, allowed);
  return v;
}

/** An integer in [lo, hi]. */
export function checkInt(field: string, v: unknown, lo: number, hi: number): number {
  const allowed = `an integer in [${lo}, ${hi}]`;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new ConfigError(field, v, allowed);
  return v;
}

export function checkEnum<T extends string>(field: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v))
    throw new ConfigError(field, v, `one of ${options.join(', ')}`);
  return v as T;
}

/**
 * A resource the user asked for that is refused up front: memory beyond wasm32, compute beyond
 * the --max-hours limit, a results file another process holds; or one that ran out on the way
 * (a full disk). It is bad input, like a
 * ConfigError (the CLI exits 2 with its one-line message), but it names a resource, not a field.
 */
export class ResourceError extends RangeError {
  constructor(
    readonly resource: 'memory' | 'compute' | 'file' | 'disk',
    message: string,
  ) {
    super(message);
    this.name = 'ResourceError';
  }
}
