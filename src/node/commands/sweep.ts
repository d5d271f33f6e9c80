// `prunelab sweep`: runs a preset's design (adaptive by default, the fixed grid, or the √2-grid
// searches) on worker threads, appending every trial to a JSONL file as it finishes, then prints
// the fitted summary.
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
  type SweepProgress,
  type SweepResult,
  type TrialRunner,
} from '../../experiment/sweep.js';
import { type GridDesign, expandGrid, runGrid, selectGridShard } from '../../experiment/design-grid.js';
import { type AdaptiveOptions, runAdaptiveSweep, validateAdaptiveOptions } from '../../experiment/design-adaptive.js';
import type { TaskPool } from '../../experiment/pool/pool.js';
import type { Method, TrialRecord } from '../../core/types.js';
import { UsageError } from '../usage.js';
import { parseMaxHours } from '../max-hours.js';
import { checkCompute, measureRates, type Rates } from '../../trial/cost.js';
import { validateConfig } from '../../trial/config.js';
import { checkMemory } from '../../trial/pipeline.js';
import { loadWasm } from '../../wasm/index.js';
import { JsonlWriter, readResults } from '../jsonl.js';
import { lockResultsFile, type ResultsLock } from '../results-lock.js';
import { VERSION } from '../../core/version.js';
import { WASM_SHA256 } from '../../wasm/index.js';
import { createNodeTrialRunner, defaultWorkers } from '../pool-node.js';
import { ProgressBar, formatDuration } from '../progress.js';
import { RunningTrials } from '../trial-progress.js';
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
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `usage: prunelab sweep [--preset NAME] [flags]

Measures n*(d) for each (setting, method) of a preset (DESIGN §2.4). The default, adaptive design
places each next pair of trials, for one d at a time, at the sqrt(2)-grid n (n_j = round(32*2^(j/2)))
that narrows the posterior of log2 n*50 most per unit of compute, with the prior taken from the
smaller d and the learner's theory slope; a search stops when the 90% interval of log2 n*50 is
narrow enough (--target-width), at --max-trials or --search-budget, or censored at --budget.
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
  --workers N       worker threads (default: the number of cores, here ${defaultWorkers()}); 0 runs in this thread
  --out FILE        results file (default results/<preset>.jsonl)
  --resume          continue --out: reuse its records by id, run only what is missing, repair a torn last line;
                    a file made by another build (version or wasm) is refused: records of two builds never mix
  --design D        adaptive (default, one machine) | grid: every (setting, method, d, n, replicate) trial
                    fixed up front (n on the sqrt(2) grid from --n-min to --n-max, capped by --budget/d;
                    --seeds replicates per n, each with its own seed), for clusters | search: the older
                    sqrt(2)-grid walk of DESIGN §2.3 with seeds 1..K at every visited n
  --target-width W  adaptive: stop a d at a 90% interval of log2 n*50 this wide, in octaves (default 0.5 at
                    the chain's cheapest d; widened as (cost ratio)^(1/4), at most 4x, where trials cost more)
  --max-trials N    adaptive: at most N trials per d (default 48)
  --search-budget C adaptive: at most C = sum of n*d over one d's trials (default: no cap)
  --n-min N, --n-max N   the n range of --design grid (default 32 and 2^17)
  --shard i/N       grid: run only trials k with k mod N = i; adaptive and search: only chains k with
                    k mod N = i (0 <= i < N); merge the N files with prunelab merge
  --max-hours H     refuse (exit 2) any trial of the sweep estimated to take longer than H hours, checked
                    before it starts (default 1; inf: no limit); records written so far are kept

One process writes a results file at a time: a second sweep on the same --out is refused (exit 2,
naming the pid that holds it); the lock of a killed sweep is taken over within seconds.

Ctrl-C stops cleanly: no new trials start, running ones finish and are written (Ctrl-C again
abandons them). Rerun with --resume to continue.`;

export interface SweepCommandDeps {
  /** Creates what runs trials; by default worker threads running the real trial pipeline. */
  createRunner(opts: { workers: number }): Promise<TrialRunner & { pool: Pick<TaskPool, 'close' | 'terminate'> }>;
  /** The build the runner's records carry; a resumed file must hold records of this build only. */
  build: { version: string; wasmSha: string };
}

const defaultDeps: SweepCommandDeps = {
  createRunner: ({ workers }) => createNodeTrialRunner({ workers }),
  build: { version: VERSION, wasmSha: WASM_SHA256 },
};

/**
 * --resume on a file from another build is refused, naming both builds: its records could differ
 * in their bits from what this build makes, and one file must not mix them (DESIGN §3: every
 * result records its wasm SHA). `prunelab start` moves such a file aside by itself.
 */
export function checkSameBuild(out: string, records: readonly TrialRecord[], build: SweepCommandDeps['build']): void {
  const other = records.find((r) => r.version !== build.version || r.wasmSha !== build.wasmSha);
  if (!other) return;
  const count = records.filter((r) => r.version === other.version && r.wasmSha === other.wasmSha).length;
  throw new UsageError(
    `cannot resume ${out}: ${count} of its ${records.length} records were made by prunelab ${other.version} ` +
      `(wasm ${other.wasmSha.slice(0, 12)}), and this is prunelab ${build.version} (wasm ${build.wasmSha.slice(0, 12)}); ` +
      'records of two builds are never mixed in one file: choose another --out, or move the file away',
  );
}

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
  // --seeds or --start without --design keep meaning what they always meant: the √2-grid search
  const implied = values.design === undefined && (values.seeds !== undefined || values.start !== undefined);
  const design = values.design ?? (implied ? 'search' : 'adaptive');
  if (design !== 'adaptive' && design !== 'search' && design !== 'grid')
    throw new ConfigError('design', design, 'adaptive, grid or search');
  if (design === 'adaptive' && values.seeds !== undefined)
    throw new ConfigError(
      'seeds',
      values.seeds,
      'only with --design grid or search (the adaptive design gives every trial its own seed)',
    );
  if (design === 'adaptive' && values.start !== undefined)
    throw new ConfigError('start', values.start, 'only with --design search (the adaptive design places every trial)');
  const adaptive: AdaptiveOptions = {};
  if (values['target-width'] !== undefined) adaptive.targetWidth = num('target-width', values['target-width']);
  if (values['max-trials'] !== undefined) adaptive.maxTrials = int('max-trials', values['max-trials']);
  if (values['search-budget'] !== undefined) adaptive.searchBudget = int('search-budget', values['search-budget']);
  for (const f of ['target-width', 'max-trials', 'search-budget'] as const)
    if (design !== 'adaptive' && values[f] !== undefined)
      throw new ConfigError(f, values[f], 'only with --design adaptive');
  validateAdaptiveOptions(adaptive);
  const grid: GridDesign = {};
  if (values['n-min'] !== undefined) grid.nMin = int('n-min', values['n-min']);
  if (values['n-max'] !== undefined) grid.nMax = int('n-max', values['n-max']);
  if (design !== 'grid' && (grid.nMin !== undefined || grid.nMax !== undefined))
    throw new ConfigError('n-min', values['n-min'] ?? values['n-max'], 'only with --design grid');
  if (design === 'grid') expandGrid(spec, grid); // validates the range before anything runs
  const out =
    values.out ?? (shard ? `results/${name}.shard-${shard.index}-of-${shard.count}.jsonl` : `results/${name}.jsonl`);
  const maxHours = parseMaxHours(values['max-hours']);
  return {
    help: values.help === true,
    name,
    spec,
    shard,
    workers,
    out,
    resume: values.resume === true,
    design,
    grid,
    adaptive,
    designImplied: implied,
    maxHours,
  };
}

/**
 * `whileLocked` runs once the results file is locked and before it is read, so a caller can move
 * the file aside without racing another writer; it returns whether to resume the file.
 */
export async function runSweepCommand(
  argv: string[],
  deps: SweepCommandDeps = defaultDeps,
  whileLocked?: () => boolean,
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
    return await sweepLocked(whileLocked ? { ...flags, resume: whileLocked() } : flags, deps, lock);
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
    checkSameBuild(out, existing, deps.build);
  }

  const chains = shard ? selectShard(expandSweep(spec), shard) : expandSweep(spec);
  const searches = chains.reduce((k, c) => k + c.chain.ds.length, 0);
  const gridTrials = flags.design === 'grid' ? expandGrid(spec, flags.grid) : [];
  const shardTrials = shard ? selectGridShard(gridTrials, shard) : gridTrials;
  err.write(
    `prunelab sweep ${spec.name}: ` +
      (flags.design === 'grid'
        ? `grid design, ${shardTrials.length} of ${gridTrials.length} trial(s), ${spec.seeds} replicate(s) per n, `
        : flags.design === 'adaptive'
          ? `adaptive design, ${chains.length} chain(s), ${searches} dimension(s), target width ${validateAdaptiveOptions(flags.adaptive).targetWidth} octave(s), `
          : `${chains.length} chain(s), ${searches} searches, ${spec.seeds} seed(s), `) +
      `${workers === 0 ? 'in-process' : `${workers} worker(s)`}${shard ? `, shard ${shard.index}/${shard.count}` : ''}` +
      `${existing.length ? `, resuming ${existing.length} record(s)` : ''} -> ${out}\n`,
  );
  if (flags.design !== 'grid' && shard && chains.length === 0) {
    err.write(
      `prunelab sweep: shard ${shard.index}/${shard.count} has no work: this sweep has ${expandSweep(spec).length} chain(s), and chains are the unit of sharding\n`,
    );
  }

  if (flags.designImplied)
    err.write(
      'prunelab sweep: --seeds/--start without --design run the sqrt(2)-grid search (--design search); the default, adaptive design gives every trial its own seed\n',
    );
  const trials = new RunningTrials();
  const runner = watchingTrials(refusingTooCostly(await deps.createRunner({ workers }), flags.maxHours), trials);
  const writer = JsonlWriter.open(out);
  const bar = new ProgressBar(err, err.isTTY === true, () => trials.note());
  const redraw = setInterval(() => bar.refresh(), 1000);
  redraw.unref();
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
  let result: Pick<SweepResult, 'trialsRun' | 'trialsResumed' | 'aborted'> & { undecided?: string };
  try {
    const run = {
      runner,
      existing,
      signal: stop.signal,
      ...(shard ? { shard } : {}),
      onResult: (record: TrialRecord) => {
        lock.check();
        writer.write(record);
      },
      onProgress: (p: SweepProgress) => bar.update(p),
    };
    if (flags.design === 'grid') {
      const g = await runGrid(spec, { ...run, design: flags.grid });
      result = { ...g, undecided: `${g.trialsRun + g.trialsResumed}/${g.trials.length} trials done` };
    } else {
      const r =
        flags.design === 'adaptive'
          ? await runAdaptiveSweep(spec, { ...run, adaptive: flags.adaptive })
          : await runSweep(spec, run);
      result = {
        ...r,
        undecided: `${r.searches.filter((s) => s.complete).length}/${r.searches.length} searches decided`,
      };
    }
  } finally {
    clearInterval(redraw);
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
    err.write(`prunelab sweep: stopped with ${result.undecided}; rerun with --resume to continue\n`);
    return 130;
  }
  return 0;
}

/** The runner, telling `trials` which trials run and how far each is. */
function watchingTrials<R extends TrialRunner>(runner: R, trials: RunningTrials): R {
  return {
    ...runner,
    id: (config) => runner.id(config),
    run: async (config, opts) => {
      const t = trials.start(`${config.method} d=${config.d} n=${config.n}`);
      try {
        return await runner.run(config, { ...opts, onProgress: t.onProgress });
      } finally {
        t.end();
      }
    },
  };
}

/**
 * The runner, with every trial checked before it starts: memory beyond wasm32 and compute beyond
 * --max-hours are refused (a ResourceError: the sweep stops, exit 2, keeping what it wrote). The
 * kernel rates are measured on this thread, once per GEMM shape, when an estimate comes near the limit.
 */
function refusingTooCostly<R extends TrialRunner>(runner: R, maxHours: number): R {
  const rates = new Map<string, Rates>();
  let wasm: Awaited<ReturnType<typeof loadWasm>> | null = null;
  return {
    ...runner,
    id: (config) => runner.id(config),
    run: async (config, opts) => {
      const valid = validateConfig(config);
      checkMemory(valid);
      if (maxHours !== Infinity) wasm ??= await loadWasm();
      checkCompute(valid, maxHours, (shape) => {
        const key = `${shape.k}x${shape.m}${shape.span ? ' span' : ''}`;
        if (!rates.has(key)) rates.set(key, measureRates(wasm!, shape));
        return rates.get(key)!;
      });
      return runner.run(config, opts);
    },
  };
}

export const sweep: Command = {
  summary: 'run the n* searches of a preset on worker threads (JSONL out, --resume, --shard)',
  run: (argv) => runSweepCommand(argv),
};
