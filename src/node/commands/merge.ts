// `prunelab merge a.jsonl b.jsonl ... --out all.jsonl`: joins result files (shards, reruns),
// keeping each trial id once. Copies of an id must be identical apart from timings; any that
// are not are reported (the first copy is kept).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ResultsFileError, mergeRecords } from '../../experiment/results.js';
import { readResults, writeResultsAtomic } from '../jsonl.js';
import { describeBuild, recordsByBuild, sameBuild } from '../../experiment/build-compat.js';
import { VERSION } from '../../core/version.js';
import { WASM_SHA256 } from '../../wasm/index.js';
import {
  type NotedCheck,
  describeCheck,
  inProcessReplay,
  judgeBuilds,
  readBuildsNote,
  writeBuildsNote,
} from '../builds-note.js';
import { UsageError } from '../usage.js';
import type { Command } from './index.js';

const HELP = `usage: prunelab merge a.jsonl b.jsonl ... --out all.jsonl

Joins result files and drops duplicate trials by id, keeping the first copy (in argument order).
Copies whose records differ apart from timings are reported as warnings. A torn last line in an
input (an interrupted write) is skipped with a warning; inputs are never modified. The output is
written atomically and may be one of the inputs.

Records of different builds (version or wasm) are merged only when this build replays 3 of the
cheapest trials of each build other than itself byte for byte (noted in OUT.builds.json, with the
notes of the inputs); otherwise the merge is refused, naming both builds.`;

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
  const build = { version: VERSION, wasmSha: WASM_SHA256 };
  const checks: NotedCheck[] = sources.flatMap(({ source }) => readBuildsNote(source)?.checks ?? []);
  if (recordsByBuild(merged.records).length > 1) {
    const v = await judgeBuilds(merged.records, build, inProcessReplay(), (line) =>
      err.write(`prunelab merge: ${line}\n`),
    );
    if (!v.ok) {
      const from = sources.filter((s) => s.records.some((r) => sameBuild(r, v.of))).map((s) => s.source);
      throw new UsageError(
        `cannot merge: ${v.records} of the ${v.total} records (in ${from.join(', ')}) were made by ${describeBuild(v.of)}, ` +
          `and this is ${describeBuild(build)}; ${v.reason}; records of two builds are merged only when this build reproduces them`,
      );
    }
    const at = new Date().toISOString();
    for (const c of v.checks) {
      err.write(`prunelab merge: ${describeCheck(c)}\n`);
      checks.push({ ...c, at, command: 'prunelab merge' });
    }
  }
  writeResultsAtomic(values.out, merged.records);
  writeBuildsNote(values.out, merged.records, checks, { keep: false });
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
