// The Node transport of the pool: one worker_threads Worker per slot, running
// src/node/pool-worker.ts. Workers each create their own lab (the wasm is compiled once per worker).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InlinePool, WorkerPool, type TaskPool, type WorkerHandle } from '../experiment/pool/pool.js';
import { shippedTasks } from '../experiment/pool/tasks.js';
import { poolTrialRunner, type TrialRunner } from '../experiment/sweep.js';
import type { TrialRequest } from '../experiment/design-search.js';
import type { TrialRecord } from '../core/types.js';
import type { FromWorker } from '../experiment/pool/protocol.js';

/** The default worker count: the cores this process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * What a worker holds besides its trial's own wasm memory (a V8 isolate, the compiled module and its
 * instance): 18 MB measured on Node 20, the RSS of 4 and of 16 workers after one small trial each.
 */
export const WORKER_BYTES = 18 * 2 ** 20;

/**
 * A warning for more workers than cores, or null. It warns rather than clamps: records do not
 * depend on the worker count, and a count above the cores can be deliberate (checking exactly that,
 * or a core count this process is told wrong, as in some containers); but trials are CPU-bound on
 * one thread each, so the extra workers only cost memory.
 */
export function oversubscription(workers: number, cores = defaultWorkers()): string | null {
  if (workers <= cores) return null;
  const mb = (workers * WORKER_BYTES) / 2 ** 20;
  const total = mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
  return (
    `--workers ${workers} is more than the ${cores} core(s) this process may use: trials run no faster than with ` +
    `--workers ${cores}, and each worker holds about ${WORKER_BYTES / 2 ** 20} MB besides its trial (${total} in all)`
  );
}

export function spawnNodeWorker(): WorkerHandle {
  const worker = new Worker(new URL('./pool-worker.js', import.meta.url));
  let onExit: ((e: Error) => void) | undefined;
  let lastError: Error | null = null;
  let terminating = false;
  worker.on('error', (e: Error) => {
    lastError = e;
  });
  worker.on('messageerror', (e: Error) => {
    lastError = e;
  });
  worker.on('exit', (code: number) => {
    if (!terminating) onExit?.(lastError ?? new Error(`worker exited with code ${code}`));
  });
  return {
    post: (msg) => worker.postMessage(msg),
    onMessage: (handler) => {
      worker.on('message', (msg: FromWorker) => handler(msg));
    },
    onExit: (handler) => {
      onExit = handler;
    },
    terminate: async () => {
      terminating = true;
      await worker.terminate();
    },
  };
}

export interface NodePoolOptions {
  /** Worker threads; 0 runs jobs in this thread. Defaults to the number of cores. */
  workers?: number;
  /** The task to run; `trial` by default. */
  task?: string;
  /** A module URL whose `tasks` export adds tasks (see src/experiment/pool/protocol.ts). */
  module?: string;
  options?: unknown;
}

export function createNodePool<I = unknown, O = unknown>(opts: NodePoolOptions = {}): TaskPool<I, O> {
  const workers = opts.workers ?? defaultWorkers();
  const common = {
    task: opts.task ?? 'trial',
    ...(opts.module !== undefined ? { module: opts.module } : {}),
    ...(opts.options !== undefined ? { options: opts.options } : {}),
  };
  return workers === 0
    ? new InlinePool<I, O>(shippedTasks, common)
    : new WorkerPool<I, O>(spawnNodeWorker, { size: workers, ...common });
}

export interface NodeTrialRunner extends TrialRunner {
  pool: TaskPool<TrialRequest, TrialRecord>;
}

/**
 * A trial runner on worker threads. By default it runs the shipped `trial` task; `task`/`module`
 * substitute it (tests use a fake trial, whose records must carry the prepared trial's id).
 */
export function createNodeTrialRunner(opts: NodePoolOptions = {}): Promise<NodeTrialRunner> {
  const pool = createNodePool<TrialRequest, TrialRecord>(opts);
  return Promise.resolve({ ...poolTrialRunner(pool), pool });
}
