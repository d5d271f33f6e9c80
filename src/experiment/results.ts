// Result records as JSONL text, independent of any file system: parsing (with torn-tail
// detection), merging by id, and the n* table. File access lives in src/node/jsonl.ts.
import { ConfigError } from '../core/errors.js';
import type { TrialRecord } from '../core/types.js';
import { METHODS } from '../core/rules.js';

/**
 * A results file damaged somewhere other than a torn last line. It is a ConfigError (bad input:
 * the CLI exits 2 with one line) whose field names the file and line, e.g. "r.jsonl line 3: config.d".
 */
export class ResultsFileError extends ConfigError {
  constructor(
    readonly source: string,
    readonly line: number,
    value: unknown,
    allowed: string,
    field?: string,
  ) {
    super(`${source} line ${line}${field ? `: ${field}` : ''}`, value, allowed);
    this.name = 'ResultsFileError';
  }
}

export interface ParsedJsonl {
  records: TrialRecord[];
  /** The byte-free description of a torn last line: where the good text ends (in characters) and what was cut. */
  torn: { keep: number; text: string } | null;
  /** The last line is a complete record that lacks its newline. */
  missingNewline: boolean;
  /** What a reader should be told (a torn last line skipped), one sentence each. */
  warnings: string[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields every tool reads from a record, checked; throws a ResultsFileError naming the field. */
export function checkRecord(v: unknown, source: string, line: number): TrialRecord {
  const bad = (field: string, value: unknown, allowed: string): never => {
    throw new ResultsFileError(source, line, value, allowed, field);
  };
  if (!isObj(v)) bad('record', v, 'a JSON object (a trial record)');
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') bad('id', r.id, 'a non-empty string');
  if (typeof r.version !== 'string') bad('version', r.version, 'a string');
  if (typeof r.wasmSha !== 'string') bad('wasmSha', r.wasmSha, 'a string');
  if (typeof r.success !== 'boolean') bad('success', r.success, 'true or false');
  if (!isObj(r.config)) bad('config', r.config, 'an object');
  const c = r.config as Record<string, unknown>;
  const posInt = (k: string) => {
    if (typeof c[k] !== 'number' || !Number.isInteger(c[k]) || (c[k] as number) < 1)
      bad(`config.${k}`, c[k], 'an integer >= 1');
  };
  posInt('d');
  posInt('n');
  posInt('s');
  posInt('kStar');
  if (typeof c.seed !== 'number' || !Number.isInteger(c.seed)) bad('config.seed', c.seed, 'an integer');
  if (typeof c.method !== 'string' || !(METHODS as readonly string[]).includes(c.method))
    bad('config.method', c.method, `one of ${METHODS.join(', ')}`);
  if (typeof c.link !== 'string') bad('config.link', c.link, 'a string');
  if (!isObj(r.metrics)) bad('metrics', r.metrics, 'an object');
  if (c.sparsity === 'soft') checkSoftFields(c, r.metrics as Record<string, unknown>, bad);
  if (r.alignSuccess !== undefined && typeof r.alignSuccess !== 'boolean')
    bad('alignSuccess', r.alignSuccess, 'true or false');
  return v as unknown as TrialRecord;
}

// A soft record carries its tail exponent, V's participation ratio and the share of ||V||^2 on the
// mask (DESIGN §2.1); the fit's soft regressor reads them.
function checkSoftFields(
  c: Record<string, unknown>,
  m: Record<string, unknown>,
  bad: (field: string, value: unknown, allowed: string) => never,
): void {
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!num(c.gamma) || c.gamma <= 0) bad('config.gamma', c.gamma, 'a number > 0 (the soft tail exponent)');
  if (!num(m.participationRatio) || m.participationRatio < 1)
    bad('metrics.participationRatio', m.participationRatio, 'a number >= 1 (sparsity soft)');
  if (!num(m.massInMask) || m.massInMask < 0 || m.massInMask > 1)
    bad('metrics.massInMask', m.massInMask, 'a number in [0, 1] (sparsity soft)');
}

/**
 * Parses JSONL. A last line that is cut off (no newline and not valid JSON) is a torn write:
 * it is reported in `torn`, not returned. Any other bad line is an error naming its line.
 */
export function parseJsonl(text: string, source = 'results'): ParsedJsonl {
  const records: TrialRecord[] = [];
  let torn: ParsedJsonl['torn'] = null;
  let missingNewline = false;
  let pos = 0,
    line = 0;
  while (pos < text.length) {
    line++;
    const nl = text.indexOf('\n', pos);
    const last = nl < 0;
    const raw = text.slice(pos, last ? text.length : nl);
    const start = pos;
    pos = last ? text.length : nl + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      if (last) {
        torn = { keep: start, text: raw };
        break;
      }
      throw new ResultsFileError(
        source,
        line,
        raw.length > 60 ? `${raw.slice(0, 57)}...` : raw,
        'one JSON trial record per line',
      );
    }
    records.push(checkRecord(value, source, line));
    if (last) missingNewline = true;
  }
  const warnings = torn
    ? [
        `${source}: skipped a torn last line (line ${line}, ${torn.text.length} characters, no newline): the writer was probably interrupted`,
      ]
    : [];
  return { records, torn, missingNewline, warnings };
}

/** One JSONL line (with its newline) for a record. */
export function toJsonlLine(record: TrialRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The first path at which two records differ, ignoring `timings`; null when they agree. */
export function diffApartFromTimings(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return path || '(record)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    if (path === '' && k === 'timings') continue;
    const d = diffApartFromTimings(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      path ? `${path}.${k}` : k,
    );
    if (d !== null) return d;
  }
  return null;
}

export interface MergeConflict {
  id: string;
  /** The first field where the records differ. */
  field: string;
  kept: string;
  dropped: string;
}

export interface MergeResult {
  /** Every distinct id once, in order of first appearance (the first copy is kept). */
  records: TrialRecord[];
  duplicates: number;
  conflicts: MergeConflict[];
}

/** Joins record lists, dropping duplicate ids; copies that differ apart from timings are reported as conflicts. */
export function mergeRecords(sources: readonly { source: string; records: readonly TrialRecord[] }[]): MergeResult {
  const byId = new Map<string, { record: TrialRecord; source: string }>();
  const records: TrialRecord[] = [];
  const conflicts: MergeConflict[] = [];
  let duplicates = 0;
  for (const { source, records: list } of sources) {
    for (const r of list) {
      const first = byId.get(r.id);
      if (!first) {
        byId.set(r.id, { record: r, source });
        records.push(r);
        continue;
      }
      duplicates++;
      const field = diffApartFromTimings(first.record, r);
      if (field !== null) conflicts.push({ id: r.id, field, kept: first.source, dropped: source });
    }
  }
  return { records, duplicates, conflicts };
}
