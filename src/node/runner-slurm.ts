// Trials as Slurm job steps (DESIGN §3, "Adaptive designs on a cluster"). Inside an allocation
// (sbatch -n N, salloc -n N) the sweep process is the coordinator: it keeps the lock and the
// results file and decides every next trial, and each trial runs as a job step
// `srun -n1 --exact … prunelab trial --json`, at most --workers (default SLURM_NTASKS) at a time,
// so one adaptive sweep fills every core of an allocation that spans many nodes.
//
// A step that fails (non-zero exit, killed, cancelled with scancel, no record on stdout) is run
// again, up to `retries` times; then the sweep stops with an error naming the trial. A record that
// comes back from another build, or under another id, stops the sweep at once: retrying would not
// change it, and one results file never mixes builds.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.js';
import { AbortError } from '../experiment/pool/errors.js';
import type { PreparedTrial } from '../trial/prepare.js';
import type { TrialRequest } from '../experiment/design-search.js';
import type { TrialRunner } from '../experiment/sweep.js';
import type { TrialRecord } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { WASM_SHA256 } from '../wasm/index.js';
import { trialFlags } from './commands/trial.js';
import { RunFailure, UsageError } from './usage.js';

export const DEFAULT_STEP_RETRIES = 3;

/** The CLI every step runs: the same install as the coordinator (on a cluster, a shared file system). */
const BIN = fileURLToPath(new URL('../../../bin/prunelab.js', import.meta.url));

// the end of a failed step's stderr that its error message quotes
const STDERR_KEPT = 2000;

/** How `prunelab sweep` runs its trials: --runner and --retries. */
export interface RunnerChoice {
  runner: 'local' | 'slurm';
  retries?: number | undefined;
}

export const RUNNER_OPTIONS = { runner: { type: 'string' }, retries: { type: 'string' } } as const;

export const RUNNER_HELP = `  --runner R        local (default): worker threads on this machine | slurm: inside a Slurm allocation
                    (sbatch -n N, salloc -n N), every trial a job step (srun -n1 --exact), --workers
                    (default SLURM_NTASKS) at a time; this process keeps the lock and the results file
  --retries K       slurm: run a failed or killed job step again up to K times (default ${DEFAULT_STEP_RETRIES}), then stop`;

export function parseRunnerChoice(values: { runner?: string | undefined; retries?: string | undefined }): RunnerChoice {
  const runner = values.runner ?? 'local';
  if (runner !== 'local' && runner !== 'slurm') throw new ConfigError('runner', runner, 'local or slurm');
  if (values.retries === undefined) return { runner };
  if (runner !== 'slurm') throw new ConfigError('retries', values.retries, 'only with --runner slurm');
  const retries = Number(values.retries);
  if (values.retries.trim() === '' || !Number.isInteger(retries) || retries < 0 || retries > 100)
    throw new ConfigError('retries', values.retries, 'an integer in [0, 100]');
  return { runner, retries };
}

/** The allocation this process runs in; outside one the sweep is refused (exit 2). */
function allocation(env: NodeJS.ProcessEnv): string {
  if (!env.SLURM_JOB_ID)
    throw new UsageError(
      '--runner slurm runs every trial as a job step of a Slurm allocation: run the sweep inside one ' +
        '(sbatch -n N, or salloc -n N); SLURM_JOB_ID is not set here',
    );
  return env.SLURM_JOB_ID;
}

/** The concurrent steps an allocation holds: its task count (SLURM_NTASKS). */
export function slurmTasks(env: NodeJS.ProcessEnv = process.env): number {
  const job = allocation(env);
  const n = Number(env.SLURM_NTASKS ?? '');
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(
      `--runner slurm: the allocation ${job} has no task count (SLURM_NTASKS is ` +
        `${env.SLURM_NTASKS === undefined ? 'not set' : JSON.stringify(env.SLURM_NTASKS)}); submit with -n N, or give --workers`,
    );
  return n;
}

/** The concurrent steps of `--runner slurm`: --workers when given (at least 1), else the task count. */
export function slurmWorkers(given: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (given === undefined) return slurmTasks(env);
  allocation(env);
  if (!Number.isSafeInteger(given) || given < 1)
    throw new UsageError(`--runner slurm needs --workers of at least 1 (concurrent job steps), got ${given}`);
  return given;
}

export interface SlurmRunnerOptions {
  /** Job steps running at once. */
  workers: number;
  /** Times a failed step is run again before the sweep stops (default 3). */
  retries?: number | undefined;
  /** Where retries are told (default: stderr). */
  log?: (line: string) => void;
}

export interface SlurmTrialRunner extends TrialRunner {
  pool: { close(): Promise<void>; terminate(): Promise<void> };
}

interface StepOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** What a trial is called in messages: enough to find it in the results and in squeue. */
function describe(config: TrialRequest, id: string): string {
  return `${config.method} d=${config.d} n=${config.n} seed=${config.seed ?? 1} (id ${id})`;
}

function why(o: StepOutcome): string {
  if (o.error) return o.error.message;
  const tail = o.stderr.trim().split('\n').slice(-2).join(' | ');
  const how = o.signal ? `killed by ${o.signal}` : `exit ${o.code}`;
  return tail ? `${how}: ${tail}` : `${how}, nothing on stderr`;
}

/** The record a successful step printed: its last line of stdout. */
function recordOf(stdout: string): TrialRecord | null {
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    const r = JSON.parse(last) as TrialRecord;
    return r && typeof r === 'object' && typeof r.id === 'string' ? r : null;
  } catch {
    return null;
  }
}

export async function createSlurmTrialRunner(opts: SlurmRunnerOptions): Promise<SlurmTrialRunner> {
  const workers = slurmWorkers(opts.workers);
  const retries = opts.retries ?? DEFAULT_STEP_RETRIES;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  let free = workers;
  let stopped = false,
    terminated = false;
  // trials waiting for a free step, first come first served
  const waiting: Array<{ signal: AbortSignal | undefined; grant: () => void; refuse: (e: Error) => void }> = [];
  const steps = new Set<ChildProcess>();
  const idle: Array<() => void> = [];
  const busy = () => free < workers || waiting.length > 0;
  const wake = () => {
    if (!busy()) for (const f of idle.splice(0)) f();
  };
  // one abort listener per signal, however many trials wait on it (a grid queues all its trials
  // on one signal; a listener each would trip Node's MaxListeners warning)
  const listened = new WeakSet<AbortSignal>();
  const listen = (signal: AbortSignal) => {
    if (listened.has(signal)) return;
    listened.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        for (let k = waiting.length - 1; k >= 0; k--)
          if (waiting[k]!.signal === signal) waiting.splice(k, 1)[0]!.refuse(new AbortError());
        wake();
      },
      { once: true },
    );
  };

  const acquire = (signal: AbortSignal | undefined): Promise<void> =>
    new Promise((resolve, reject) => {
      if (free > 0 && waiting.length === 0) {
        free--;
        resolve();
        return;
      }
      if (signal) listen(signal);
      waiting.push({ signal, grant: resolve, refuse: reject });
    });
  const release = () => {
    const next = waiting.shift();
    if (next) next.grant();
    else free++;
    wake();
  };

  const step = (trial: PreparedTrial, id: string): Promise<StepOutcome> =>
    new Promise((resolve) => {
      const args = [
        '--ntasks=1',
        '--exact',
        '--quiet',
        `--job-name=prunelab-${id}`,
        '--',
        process.execPath,
        BIN,
        'trial',
        '--json',
        '--progress=never',
        // the coordinator checked the trial's cost before it asked for it
        '--max-hours=inf',
        ...trialFlags(trial),
      ];
      // its own process group: a Ctrl-C at the terminal reaches the coordinator only, which lets
      // running steps finish (the first) or stops them (the second), as it does with worker threads
      const child = spawn('srun', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      steps.add(child);
      let stdout = '',
        stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
      });
      child.stderr!.setEncoding('utf8').on('data', (s: string) => {
        stderr = (stderr + s).slice(-STDERR_KEPT);
      });
      let error: Error | undefined;
      child.on('error', (e) => {
        error = (e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error('srun is not on PATH') : e;
      });
      child.on('close', (code, signal) => {
        steps.delete(child);
        resolve({ code, signal, stdout, stderr, ...(error ? { error } : {}) });
      });
    });

  const run = async (trial: PreparedTrial, o?: { signal?: AbortSignal }): Promise<TrialRecord> => {
    if (stopped) throw new AbortError('runner is closed');
    if (o?.signal?.aborted) throw new AbortError();
    const config = trial.spec.config;
    const want = trial.id;
    const name = describe(config, want);
    await acquire(o?.signal);
    try {
      for (let attempt = 0; ; attempt++) {
        if (terminated) throw new AbortError('runner terminated');
        const out = await step(trial, want);
        if (terminated) throw new AbortError('runner terminated');
        const record = out.code === 0 && !out.error ? recordOf(out.stdout) : null;
        if (record) {
          if (record.version !== VERSION || record.wasmSha !== WASM_SHA256)
            throw new RunFailure(
              `the job step for trial ${name} ran prunelab ${record.version} (wasm ${record.wasmSha.slice(0, 12)}), ` +
                `not this build, ${VERSION} (wasm ${WASM_SHA256.slice(0, 12)}): every node must run the coordinator's install`,
            );
          if (record.id !== want)
            throw new RunFailure(`the job step for trial ${name} printed a record with id ${record.id}`);
          return record;
        }
        const reason = out.code === 0 && !out.error ? 'exit 0 but no record on stdout' : why(out);
        if (out.error?.message === 'srun is not on PATH' || attempt >= retries)
          throw new RunFailure(
            `the job step for trial ${name} failed ${attempt + 1} time(s), the last with ${reason}; stopping ` +
              `(records written so far are kept: rerun with --resume to continue)`,
          );
        log(
          `prunelab sweep: the job step for trial ${name} failed (${reason}); running it again (retry ${attempt + 1} of ${retries})`,
        );
      }
    } finally {
      release();
    }
  };

  const settle = (): Promise<void> =>
    busy()
      ? new Promise((resolve) => {
          idle.push(resolve);
        })
      : Promise.resolve();

  return {
    run,
    pool: {
      async close() {
        stopped = true;
        await settle();
      },
      async terminate() {
        stopped = true;
        terminated = true;
        for (const w of waiting.splice(0)) w.refuse(new AbortError('runner terminated'));
        // srun passes SIGTERM on to the step's task and ends the step; one that hangs is killed
        const signal = (sig: NodeJS.Signals) => {
          for (const s of steps)
            try {
              if (s.pid !== undefined) process.kill(-s.pid, sig);
            } catch {
              // it exited meanwhile
            }
        };
        signal('SIGTERM');
        const kill = setTimeout(() => signal('SIGKILL'), 5000);
        kill.unref();
        await settle();
        clearTimeout(kill);
      },
    },
  };
}
