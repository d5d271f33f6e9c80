// `prunelab merge a.jsonl b.jsonl ... --out all.jsonl`: joins result files (shards, reruns),
// keeping each trial id once. Copies of an id must be identical apart from timings; any that
// are not are reported (the first copy is kept).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ResultsFileError, mergeRecords } from '../../experiment/results.js';
import { readResults, writeResultsAtomic } from '../jsonl.js';
import { UsageError } from '../usage.js';
import type { Command } from './index.js';

const HELP = `usage: prunelab merge a.jsonl b.jsonl ... --out all.jsonl

Joins result files and drops duplicate trials by id, keeping the first copy (in argument order).
Copies whose records differ apart from timings are reported as warnings. A torn last line in an
input (an interrupted write) is skipped with a warning; inputs are never modified. The output is
written atomically and may be one of the inputs.`;

export async function runMergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length === 0)
    throw new UsageError('no input files; usage: prunelab merge a.jsonl b.jsonl ... --out all.jsonl');
  if (values.out === undefined)
    throw new UsageError('--out is required; usage: prunelab merge a.jsonl b.jsonl ... --out all.jsonl');
  const err = process.stderr;
  const sources = positionals.map((source) => {
    if (!existsSync(source)) throw new UsageError(`no such file: ${source}`);
    try {
      const read = readResults(source);
      if (read.torn)
        err.write(`prunelab merge: warning: ${source} ends in a torn line (${read.torn.bytes} bytes); skipped it\n`);
      return { source, records: read.records };
    } catch (e) {
      if (e instanceof ResultsFileError) throw new UsageError(e.message);
      throw e;
    }
  });
  const merged = mergeRecords(sources);
  for (const c of merged.conflicts.slice(0, 5)) {
    err.write(
      `prunelab merge: warning: trial ${c.id} differs between ${c.kept} and ${c.dropped} at ${c.field} (apart from timings); kept the copy from ${c.kept}\n`,
    );
  }
  if (merged.conflicts.length > 5)
    err.write(`prunelab merge: warning: ${merged.conflicts.length - 5} more conflicting id(s)\n`);
  writeResultsAtomic(values.out, merged.records);
  err.write(
    `prunelab merge: ${sources.length} file(s), ${merged.records.length} record(s), ${merged.duplicates} duplicate(s) dropped` +
      `${merged.conflicts.length ? `, ${merged.conflicts.length} conflict(s)` : ''} -> ${values.out}\n`,
  );
  return 0;
}

export const merge: Command = {
  summary: 'join JSONL result files, dropping duplicate trial ids',
  run: runMergeCommand,
};
