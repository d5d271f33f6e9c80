// Reading result files (JSONL, one trial record per line) for the report, in Node and browsers.
// A torn last line (a writer killed mid-line) is skipped with a warning; anything else malformed
// is a ConfigError naming the line and the field.
import { ConfigError } from '../errors.js';
import type { TrialRecord } from '../types.js';

export interface ParsedRecords {
  records: TrialRecord[];
  warnings: string[];
}

const METHODS = ['none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Check the fields the report reads; returns the value typed, or throws naming the field. */
export function checkRecord(v: unknown, where: string): TrialRecord {
  const bad = (field: string, value: unknown, allowed: string): never => { throw new ConfigError(`${where}: ${field}`, value, allowed); };
  if (!isObj(v)) bad('record', v, 'a JSON object (a trial record)');
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') bad('id', r.id, 'a non-empty string');
  if (typeof r.version !== 'string') bad('version', r.version, 'a string');
  if (typeof r.wasmSha !== 'string') bad('wasmSha', r.wasmSha, 'a string');
  if (typeof r.success !== 'boolean') bad('success', r.success, 'true or false');
  if (!isObj(r.config)) bad('config', r.config, 'an object');
  const c = r.config as Record<string, unknown>;
  const posInt = (k: string) => { if (typeof c[k] !== 'number' || !Number.isInteger(c[k]) || (c[k] as number) < 1) bad(`config.${k}`, c[k], 'an integer >= 1'); };
  posInt('d'); posInt('n'); posInt('s'); posInt('kStar');
  if (typeof c.seed !== 'number' || !Number.isInteger(c.seed)) bad('config.seed', c.seed, 'an integer');
  if (typeof c.method !== 'string' || !METHODS.includes(c.method)) bad('config.method', c.method, `one of ${METHODS.join(', ')}`);
  if (typeof c.link !== 'string') bad('config.link', c.link, 'a string');
  if (!isObj(r.metrics)) bad('metrics', r.metrics, 'an object');
  if (r.alignSuccess !== undefined && typeof r.alignSuccess !== 'boolean') bad('alignSuccess', r.alignSuccess, 'true or false');
  return v as unknown as TrialRecord;
}

/** Parse JSONL text. Blank lines are ignored; a torn last line is skipped with a warning. */
export function parseJsonl(textIn: string, source = 'input'): ParsedRecords {
  const lines = textIn.split('\n');
  const records: TrialRecord[] = [];
  const warnings: string[] = [];
  const endsClean = textIn.endsWith('\n');
  let lastNonEmpty = -1;
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.trim() !== '') { lastNonEmpty = i; break; }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      if (i === lastNonEmpty && !endsClean) {
        warnings.push(`${source}: skipped a torn last line (line ${i + 1}, ${line.length} characters, no newline): the writer was probably interrupted`);
        continue;
      }
      throw new ConfigError(`${source} line ${i + 1}`, line.length > 60 ? `${line.slice(0, 57)}...` : line, 'one JSON trial record per line');
    }
    records.push(checkRecord(v, `${source} line ${i + 1}`));
  }
  return { records, warnings };
}
