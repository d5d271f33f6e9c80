// `prunelab sweep`: runs a preset's n* searches on worker threads, appending every trial to a
// JSONL file as it finishes, then prints the n* table.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../core/errors.js';
import { ResultsFileError } from '../../experiment/results.js';
import { analyze } from '../../analysis/report/analyze.js';
import { summarize } from '../../analysis/report/summary.js';
import {
  METHODS,
  PRESETS,
  PRESET_NAMES,
  applyOverrides,
  expandSweep,
  parseShard,
  presetSpec,
  runSweep,
  selectShard,
  type SweepOverrides,
  type SweepResult,
  type TrialRunner,
} from '../../experiment/sweep.js';
import type { TaskPool } from '../../experiment/pool/pool.js';
import type { Method, TrialRecord } from '../../core/types.js';
import { UsageError } from '../usage.js';
import { JsonlWriter, readResults } from '../jsonl.js';
import { createNodeTrialRunner, defaultWorkers } from '../pool-node.js';
import { ProgressBar, formatDuration } from '../progress.js';
import type { Command } from './index.js';

const OPTIONS = {
  preset: { type: 'string' },
  d: { type: 'string' },
  methods: { type: 'string' },
  seeds: { type: 'string' },
  alpha: { type: 'string' },
  link: { type: 'string' },
  sim: { type: 'string' },
  budget: { type: 'string' },
  start: { type: 'string' },
  workers: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `usage: prunelab sweep [--preset NAME] [flags]

Runs the n* searches of a preset (DESIGN §2.3): for each (setting, method) a chain of searches
over increasing d, each on the sqrt(2) grid n_j = round(32*2^(j/2)) with a majority over seeds.
Every trial is appended to --out as one JSON line the moment it finishes.

  --preset NAME     ${PRESET_NAMES.join(' | ')} (default separation)
${PRESET_NAMES.map((n) => `                      ${n}: ${PRESETS[n].summary}`).join('\n')}
  --d LIST          dimensions for every method, e.g. 256,1024 (drops the preset's pruned-only extras)
  --methods LIST    ${METHODS.join(',')}
  --seeds K         seeds 1..K per grid point (a point succeeds when at least half succeed)
  --alpha LIST      replaces the preset's alpha (a list runs each)
  --link LIST       replaces the preset's link, e.g. he2,he3
  --sim S           auto | direct | subspace for every trial (e.g. direct to cross-check the subspace path)
  --budget N        cap on n*d; a search that needs more is censored and shown as "> N" (default 2^32)
  --start N         the n where each chain's first search starts (default 32)
  --workers N       worker threads (default: the number of cores, here ${defaultWorkers()}); 0 runs in this thread
  --out FILE        results file (default results/<preset>.jsonl)
  --resume          continue --out: reuse its records by id, run only what is missing, repair a torn last line
  --shard i/N       run only chains k with k mod N = i (0 <= i < N); merge the N files with prunelab merge

Ctrl-C stops cleanly: no new trials start, running ones finish and are written (Ctrl-C again
abandons them). Rerun with --resume to continue.`;

export interface SweepCommandDeps {
  /** Creates what runs trials; by default worker threads running the real trial pipeline. */
  createRunner(opts: { workers: number }): Promise<TrialRunner & { pool: Pick<TaskPool, 'close' | 'terminate'> }>;
}

const defaultDeps: SweepCommandDeps = {
  createRunner: ({ workers }) => createNodeTrialRunner({ workers }),
};

function list(field: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new ConfigError(field, text, 'a comma-separated list with no empty items');
  return items;
}

function num(field: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new ConfigError(field, text, 'a number');
  return v;
}

/** Integers may be written as 2^k. */
function int(field: string, text: string): number {
  const pow = /^2\^(\d+)$/.exec(text.trim());
  const v = pow ? 2 ** Number(pow[1]) : Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(v)) throw new ConfigError(field, text, 'an integer');
  return v;
}

export function parseSweepFlags(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  const overrides: SweepOverrides = {};
  if (values.d !== undefined) overrides.d = list('d', values.d).map((x) => int('d', x));
  if (values.methods !== undefined) overrides.methods = list('methods', values.methods) as Method[];
  if (values.seeds !== undefined) overrides.seeds = int('seeds', values.seeds);
  if (values.alpha !== undefined) overrides.alpha = list('alpha', values.alpha).map((x) => num('alpha', x));
  if (values.link !== undefined) overrides.link = list('link', values.link);
  if (values.sim !== undefined) overrides.sim = values.sim as SweepOverrides['sim'];
  if (values.budget !== undefined) overrides.budget = int('budget', values.budget);
  if (values.start !== undefined) overrides.start = int('start', values.start);
  const name = values.preset ?? 'separation';
  const spec = applyOverrides(presetSpec(name), overrides);
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  let workers = defaultWorkers();
  if (values.workers !== undefined) {
    workers = int('workers', values.workers);
    if (workers < 0 || workers > 1024) throw new ConfigError('workers', workers, 'an integer in [0, 1024]');
  }
  const out =
    values.out ?? (shard ? `results/${name}.shard-${shard.index}-of-${shard.count}.jsonl` : `results/${name}.jsonl`);
  return { help: values.help === true, name, spec, shard, workers, out, resume: values.resume === true };
}

export async function runSweepCommand(argv: string[], deps: SweepCommandDeps = defaultDeps): Promise<number> {
  const flags = parseSweepFlags(argv);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { spec, shard, workers, out } = flags;
  const err = process.stderr;

  let existing: TrialRecord[] = [];
  if (existsSync(out) && statSync(out).size > 0) {
    if (!flags.resume)
      throw new UsageError(`${out} already holds results; pass --resume to continue it, or choose another --out`);
    let read: ReturnType<typeof readResults>;
    try {
      read = readResults(out, { repair: true });
    } catch (e) {
      if (e instanceof ResultsFileError) throw new UsageError(`cannot resume: ${e.message}`);
      throw e;
    }
    if (read.torn)
      err.write(
        `prunelab sweep: warning: ${out} ended in a torn line (${read.torn.bytes} bytes, an interrupted write); truncated it\n`,
      );
    existing = read.records;
  }

  const chains = shard ? selectShard(expandSweep(spec), shard) : expandSweep(spec);
  const searches = chains.reduce((k, c) => k + c.chain.ds.length, 0);
  err.write(
    `prunelab sweep ${spec.name}: ${chains.length} chain(s), ${searches} searches, ${spec.seeds} seed(s), ` +
      `${workers === 0 ? 'in-process' : `${workers} worker(s)`}${shard ? `, shard ${shard.index}/${shard.count}` : ''}` +
      `${existing.length ? `, resuming ${existing.length} record(s)` : ''} -> ${out}\n`,
  );
  if (shard && chains.length === 0) {
    err.write(
      `prunelab sweep: shard ${shard.index}/${shard.count} has no work: this sweep has ${expandSweep(spec).length} chain(s), and chains are the unit of sharding\n`,
    );
  }

  const runner = await deps.createRunner({ workers });
  const writer = JsonlWriter.open(out);
  const bar = new ProgressBar(err);
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      bar.log(
        'prunelab sweep: stopping: no new trials start; running trials finish and are written (Ctrl-C again to abandon them)',
      );
      stop.abort();
    } else {
      bar.log('prunelab sweep: abandoning the running trials');
      void runner.pool.terminate();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = Date.now();
  let result: SweepResult;
  try {
    result = await runSweep(spec, {
      runner,
      existing,
      signal: stop.signal,
      ...(shard ? { shard } : {}),
      onResult: (record) => writer.write(record),
      onProgress: (p) => bar.update(p),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.clear();
    writer.close();
    if (interrupts > 1) await runner.pool.terminate();
    else await runner.pool.close();
  }

  // the summary is scored from the file, so it covers resumed records and re-scores n* the way
  // anyone reading the raw records would
  const { records } = readResults(out, { repair: false });
  process.stdout.write(`${summarize(analyze(records))}\n`);
  err.write(
    `prunelab sweep: ${result.trialsRun} trial(s) run${result.trialsResumed ? `, ${result.trialsResumed} reused from ${out}` : ''} ` +
      `in ${formatDuration(Date.now() - t0)}; records in ${out}\n`,
  );
  if (result.aborted) {
    const decided = result.searches.filter((s) => s.complete).length;
    err.write(
      `prunelab sweep: stopped with ${decided}/${result.searches.length} searches decided; rerun with --resume to continue\n`,
    );
    return 130;
  }
  return 0;
}

export const sweep: Command = {
  summary: 'run the n* searches of a preset on worker threads (JSONL out, --resume, --shard)',
  run: (argv) => runSweepCommand(argv),
};
