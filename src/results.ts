// Result records as JSONL text, independent of any file system: parsing (with torn-tail
// detection), merging by id, and the n* table. File access lives in src/node/jsonl.ts.
import { formatNStar, type NStar } from './search.js';
import type { TrialRecord } from './types.js';

/** Raised for a results file that is damaged somewhere other than a torn last line. */
export class ResultsFileError extends Error {
  constructor(readonly source: string, readonly line: number, detail: string) {
    super(`${source}:${line}: ${detail}`);
    this.name = 'ResultsFileError';
  }
}

export interface ParsedJsonl {
  records: TrialRecord[];
  /** The byte-free description of a torn last line: where the good text ends (in characters) and what was cut. */
  torn: { keep: number; text: string } | null;
  /** The last line is a complete record that lacks its newline. */
  missingNewline: boolean;
}

/** A record as read from a file: only the fields every tool relies on are checked. */
export function isTrialRecord(v: unknown): v is TrialRecord {
  const r = v as Partial<TrialRecord> | null;
  return !!r && typeof r === 'object' && typeof r.id === 'string' && r.id.length > 0 && typeof r.success === 'boolean' && !!r.config && typeof r.config === 'object';
}

/**
 * Parses JSONL. A last line that is cut off (no newline and not valid JSON) is a torn write:
 * it is reported in `torn`, not returned. Any other bad line is an error naming its line.
 */
export function parseJsonl(text: string, source = 'results'): ParsedJsonl {
  const records: TrialRecord[] = [];
  let torn: ParsedJsonl['torn'] = null;
  let missingNewline = false;
  let pos = 0, line = 0;
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
      if (last) { torn = { keep: start, text: raw }; break; }
      throw new ResultsFileError(source, line, `not valid JSON: ${raw.length > 60 ? `${raw.slice(0, 57)}...` : raw}`);
    }
    if (!isTrialRecord(value)) throw new ResultsFileError(source, line, 'not a trial record (needs id, config and success)');
    records.push(value);
    if (last) missingNewline = true;
  }
  return { records, torn, missingNewline };
}

/** One JSONL line (with its newline) for a record. */
export function toJsonlLine(record: TrialRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]]))
    : x));
}

/** The first path at which two records differ, ignoring `timings`; null when they agree. */
export function diffApartFromTimings(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path || '(record)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    if (path === '' && k === 'timings') continue;
    const d = diffApartFromTimings((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
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
      if (!first) { byId.set(r.id, { record: r, source }); records.push(r); continue; }
      duplicates++;
      const field = diffApartFromTimings(first.record, r);
      if (field !== null) conflicts.push({ id: r.id, field, kept: first.source, dropped: source });
    }
  }
  return { records, duplicates, conflicts };
}

/** A plain-text table: one row per (setting, method), one column per d; censored points show as "> N". */
export function formatNStarTable(searches: readonly (NStar & { method: string; label: string; d: number; complete: boolean })[]): string {
  const ds = [...new Set(searches.map((s) => s.d))].sort((a, b) => a - b);
  const rows = new Map<string, Map<number, string>>();
  for (const s of searches) {
    const key = `${s.method}${s.label ? `  (${s.label})` : ''}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)!.set(s.d, formatNStar(s));
  }
  const header = ['n*', ...ds.map((d) => `d=${d}`)];
  const body = [...rows].map(([key, cells]) => [key, ...ds.map((d) => cells.get(d) ?? '')]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ').trimEnd();
  return [fmt(header), ...body.map(fmt)].join('\n');
}
