// What every command that runs trials on this machine shares (`sweep`, `paper`): the runner with
// each trial checked before it starts (memory beyond wasm32, compute beyond --max-hours), a
// progress bar that names the longest-running trial, and Ctrl-C handling (the first stops new
// trials and lets running ones finish and be written; the second abandons them).
import type { SweepProgress, TrialRunner } from '../experiment/sweep.js';
import type { TaskPool } from '../experiment/pool/pool.js';
import { checkCompute, measureRates, type Rates } from '../trial/cost.js';
import { checkMemory } from '../trial/memory.js';
import { loadWasm } from '../wasm/index.js';
import { ProgressBar } from './progress.js';
import { RunningTrials } from './trial-progress.js';

export type PooledRunner = TrialRunner & { pool: Pick<TaskPool, 'close' | 'terminate'> };

/** The runner, telling `trials` which trials run and how far each is. */
function watchingTrials<R extends TrialRunner>(runner: R, trials: RunningTrials): R {
  return {
    ...runner,
    run: async (trial, opts) => {
      const c = trial.spec.config;
      const t = trials.start(`${c.method} d=${c.d} n=${c.n}`);
      try {
        return await runner.run(trial, { ...opts, onProgress: t.onProgress });
      } finally {
        t.end();
      }
    },
  };
}

/**
 * The runner, with every trial checked before it starts: memory beyond wasm32 and compute beyond
 * --max-hours are refused (a ResourceError: the run stops, exit 2, keeping what it wrote). The
 * kernel rates are measured on this thread, once per GEMM shape, when an estimate comes near the limit.
 */
function refusingTooCostly<R extends TrialRunner>(runner: R, maxHours: number): R {
  const rates = new Map<string, Rates>();
  let wasm: Awaited<ReturnType<typeof loadWasm>> | null = null;
  return {
    ...runner,
    run: async (trial, opts) => {
      checkMemory(trial);
      if (maxHours !== Infinity) wasm ??= await loadWasm();
      checkCompute(trial, maxHours, (shape) => {
        const key = `${shape.k}x${shape.m}`;
        if (!rates.has(key)) rates.set(key, measureRates(wasm!, shape));
        return rates.get(key)!;
      });
      return runner.run(trial, opts);
    },
  };
}

/**
 * Runs `body` with the guarded runner, a progress bar on stderr and Ctrl-C handling; closes the
 * runner's pool afterwards (terminates it after a second Ctrl-C). `command` prefixes its messages.
 */
export async function guardedRun<T>(
  command: string,
  pooled: PooledRunner,
  maxHours: number,
  body: (run: { runner: TrialRunner; signal: AbortSignal; onProgress: (p: SweepProgress) => void }) => Promise<T>,
): Promise<T> {
  const err = process.stderr;
  const trials = new RunningTrials();
  const runner = watchingTrials(refusingTooCostly(pooled, maxHours), trials);
  const bar = new ProgressBar(err, err.isTTY === true, () => trials.note());
  const redraw = setInterval(() => bar.refresh(), 1000);
  redraw.unref();
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      bar.log(
        `${command}: stopping: no new trials start; running trials finish and are written (Ctrl-C again to abandon them)`,
      );
      stop.abort();
    } else {
      bar.log(`${command}: abandoning the running trials`);
      void pooled.pool.terminate();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body({ runner, signal: stop.signal, onProgress: (p) => bar.update(p) });
  } finally {
    clearInterval(redraw);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    bar.clear();
    if (interrupts > 1) await pooled.pool.terminate();
    else await pooled.pool.close();
  }
}
