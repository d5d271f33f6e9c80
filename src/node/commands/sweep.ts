// `prunelab sweep`: runs a preset's design (adaptive by default, the fixed grid, or the √2-grid
// searches) on worker threads, appending every trial to a JSONL file as it finishes, then prints
// the fitted summary.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../core/errors.js';
import { ResultsFileError } from '../../experiment/results.js';
import { analyze } from '../../analysis/report/analyze.js';
import { summarize } from '../../analysis/report/summary.js';
import { METHODS, PRESETS, PRESET_NAMES, expandSweep, selectShard, type TrialRunner } from '../../experiment/sweep.js';
import { runDesign } from '../../experiment/design.js';
import { parseInteger, parseSweepRequest, sweepOf, type SweepRequestValues } from '../../experiment/sweep-request.js';
import type { TaskPool } from '../../experiment/pool/pool.js';
import type { TrialRecord } from '../../core/types.js';
import { UsageError } from '../usage.js';
import { parseMaxHours } from '../max-hours.js';
import { guardedRun } from '../guarded-run.js';
import { JsonlWriter, readResults } from '../jsonl.js';
import { acceptBuilds, inProcessReplay } from '../builds-note.js';
import type { Build, Replay } from '../../experiment/build-compat.js';
import { lockResultsFile, type ResultsLock } from '../results-lock.js';
import { VERSION } from '../../core/version.js';
import { WASM_SHA256 } from '../../wasm/index.js';
import { createNodeTrialRunner, defaultWorkers, oversubscription } from '../pool-node.js';
import {
  RUNNER_HELP,
  RUNNER_OPTIONS,
  type RunnerChoice,
  createSlurmTrialRunner,
  parseRunnerChoice,
  slurmWorkers,
} from '../runner-slurm.js';
import { formatDuration } from '../progress.js';
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
  design: { type: 'string' },
  'n-min': { type: 'string' },
  'n-max': { type: 'string' },
  'target-width': { type: 'string' },
  'max-trials': { type: 'string' },
  'search-budget': { type: 'string' },
  'max-hours': { type: 'string' },
  ...RUNNER_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `usage: prunelab sweep [--preset NAME] [flags]

Measures n*(d) for each (setting, method) of a preset (DESIGN §2.4, §2.4b). The default, adaptive
design first brackets each d's threshold on the sqrt(2) grid (n_j = round(32*2^(j/2))), then places
each next pair of trials at the (d, n) that narrows the joint posterior of the exponent b most per
unit of compute; a chain stops when the 90% interval of b is at most --target-width (a learner with
d of its own, such as the pruned learner's extras, also over the d it shares with the others, where
Δb is taken), when no pair would narrow it further, at --max-trials or --search-budget per d, or
censored at --budget.
Every trial has its own seed. Every trial is appended to --out as one JSON line the moment it finishes.

  --preset NAME     ${PRESET_NAMES.join(' | ')} (default separation)
${PRESET_NAMES.map((n) => `                      ${n}: ${PRESETS[n].summary}`).join('\n')}
  --d LIST          dimensions for every method, e.g. 256,1024 (drops the preset's pruned-only extras)
  --methods LIST    ${METHODS.join(',')}
  --seeds K         search: seeds 1..K per grid point (a point succeeds when at least half succeed);
                    grid: replicates per n. Without --design, --seeds (or --start) selects the search:
                    the adaptive design gives every trial its own seed
  --alpha LIST      replaces the preset's alpha (a list runs each)
  --link LIST       replaces the preset's link, e.g. he2,he3
  --sim S           auto | direct | subspace | compact for every trial (e.g. direct to cross-check the compact path)
  --budget N        cap on n*d; a search that needs more is censored and shown as "> N" (default 2^32)
  --start N         search: the n where each chain's first search starts (default 32)
  --workers N       worker threads (default: the number of cores, here ${defaultWorkers()}); 0 runs in this thread;
                    more than the cores is allowed, with a warning (no faster, ~18 MB more per worker)
  --out FILE        results file (default results/<preset>.jsonl)
  --resume          continue --out: reuse its records by id, run only what is missing, repair a torn last line;
                    records of another build (version or wasm) are kept only when this build replays 3 of
                    their cheapest trials byte for byte (noted in FILE.builds.json); otherwise refused
  --design D        adaptive (default, one machine) | grid: every (setting, method, d, n, replicate) trial
                    fixed up front (n on the sqrt(2) grid from --n-min to --n-max, capped by --budget/d;
                    --seeds replicates per n, each with its own seed), for clusters | search: the older
                    sqrt(2)-grid walk of DESIGN §2.3 with seeds 1..K at every visited n
  --target-width W  adaptive: stop a chain when the 90% interval of its exponent b (the joint fit, against
                    log d) is at most W wide (default 0.3); for a width W of Δb between two learners give W/√2
  --max-trials N    adaptive: at most N trials per d (default 64)
  --search-budget C adaptive: at most C = sum of n*d over one d's trials (default: no cap)
  --n-min N, --n-max N   the n range of --design grid (default 32 and 2^17)
  --shard i/N       grid: run only trials k with k mod N = i; adaptive and search: only chains k with
                    k mod N = i (0 <= i < N); merge the N files with prunelab merge
  --max-hours H     refuse (exit 2) any trial of the sweep estimated to take longer than H hours, checked
                    before it starts (default 1; inf: no limit); records written so far are kept
${RUNNER_HELP}

One process writes a results file at a time: a second sweep on the same --out is refused (exit 2,
naming the pid that holds it); the lock of a killed sweep is taken over within seconds.

Ctrl-C stops cleanly: no new trials start, running ones finish and are written (Ctrl-C again
abandons them). Rerun with --resume to continue.`;

export interface SweepCommandDeps {
  /** Creates what runs trials; by default worker threads running the real trial pipeline. */
  createRunner(
    opts: { workers: number } & RunnerChoice,
  ): Promise<TrialRunner & { pool: Pick<TaskPool, 'close' | 'terminate'> }>;
  /** The build the runner's records carry; a resumed file's records of other builds must replay to the same bytes. */
  build: Build;
  /** Runs a recorded trial on this build, to check records of another (by default a lab in this thread). */
  replay?: Replay;
}

const defaultDeps: SweepCommandDeps = {
  createRunner: (o) =>
    o.runner === 'slurm' ? createSlurmTrialRunner(o) : createNodeTrialRunner({ workers: o.workers }),
  build: { version: VERSION, wasmSha: WASM_SHA256 },
};

export function parseSweepFlags(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  const request = parseSweepRequest(values as SweepRequestValues);
  const { spec, design } = sweepOf(request);
  let workers = defaultWorkers();
  if (values.workers !== undefined) {
    workers = parseInteger('workers', values.workers);
    if (workers < 0 || workers > 1024) throw new ConfigError('workers', workers, 'an integer in [0, 1024]');
  }
  const choice = parseRunnerChoice(values);
  if (choice.runner === 'slurm') workers = slurmWorkers(values.workers === undefined ? undefined : workers);
  const { shard } = request;
  const name = request.preset;
  const out =
    values.out ?? (shard ? `results/${name}.shard-${shard.index}-of-${shard.count}.jsonl` : `results/${name}.jsonl`);
  return {
    help: values.help === true,
    request,
    spec,
    design,
    shard,
    workers,
    out,
    resume: values.resume === true,
    maxHours: parseMaxHours(values['max-hours']),
    ...choice,
  };
}

/**
 * `whileLocked` runs once the results file is locked and before it is read, so a caller can move
 * the file aside without racing another writer; it returns whether to resume the file.
 */
export async function runSweepCommand(
  argv: string[],
  deps: SweepCommandDeps = defaultDeps,
  whileLocked?: () => boolean | Promise<boolean>,
): Promise<number> {
  const flags = parseSweepFlags(argv);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { out } = flags;
  const err = process.stderr;

  const lock = await lockResultsFile(out, { command: 'prunelab sweep' });
  try {
    if (lock.tookOverFrom)
      err.write(
        `prunelab sweep: took over the lock on ${out} left by pid ${lock.tookOverFrom.pid} (${lock.tookOverFrom.command}), which is no longer running\n`,
      );
    return await sweepLocked(whileLocked ? { ...flags, resume: await whileLocked() } : flags, deps, lock);
  } finally {
    await lock.release();
  }
}

async function sweepLocked(
  flags: ReturnType<typeof parseSweepFlags>,
  deps: SweepCommandDeps,
  lock: ResultsLock,
): Promise<number> {
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
  await acceptBuilds(
    out,
    existing,
    deps.build,
    deps.replay ?? inProcessReplay(),
    (line) => err.write(`prunelab sweep: ${out}: ${line}\n`),
    (why) =>
      new UsageError(
        `cannot resume ${out}: ${why}; records of two builds share a file only when this build reproduces them: choose another --out, or move the file away`,
      ),
    'prunelab sweep --resume',
  );

  const { design } = flags;
  err.write(
    `prunelab sweep ${spec.name}: ${design.describe(spec, shard)}, ` +
      `${workers === 0 ? 'in-process' : `${workers} worker(s)`}${shard ? `, shard ${shard.index}/${shard.count}` : ''}` +
      `${existing.length ? `, resuming ${existing.length} record(s)` : ''} -> ${out}\n`,
  );
  // worker threads beyond the cores only cost memory; job steps are not local cores
  const crowded = flags.runner === 'local' ? oversubscription(workers) : null;
  if (crowded) err.write(`prunelab sweep: warning: ${crowded}\n`);
  if (design.name !== 'grid' && shard && selectShard(expandSweep(spec), shard).length === 0) {
    err.write(
      `prunelab sweep: shard ${shard.index}/${shard.count} has no work: this sweep has ${expandSweep(spec).length} chain(s), and chains are the unit of sharding\n`,
    );
  }

  if (flags.request.designImplied)
    err.write(
      'prunelab sweep: --seeds/--start without --design run the sqrt(2)-grid search (--design search); the default, adaptive design gives every trial its own seed\n',
    );
  const writer = JsonlWriter.open(out, existing.length);
  const t0 = Date.now();
  let result: Awaited<ReturnType<typeof runDesign>>;
  try {
    result = await guardedRun(
      'prunelab sweep',
      await deps.createRunner({ workers, runner: flags.runner, retries: flags.retries }),
      flags.maxHours,
      (run) =>
        runDesign(design, spec, {
          ...run,
          existing,
          ...(shard ? { shard } : {}),
          onResult: (record: TrialRecord) => {
            lock.check();
            writer.write(record);
          },
        }),
    );
  } finally {
    writer.close();
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
    const decided = result.searches.filter((x) => x.complete).length;
    err.write(
      `prunelab sweep: stopped with ${decided}/${result.searches.length} (learner, d) points decided; rerun with --resume to continue\n`,
    );
    return 130;
  }
  return 0;
}

export const sweep: Command = {
  summary: 'run the n* searches of a preset on worker threads (JSONL out, --resume, --shard)',
  run: (argv) => runSweepCommand(argv),
};
