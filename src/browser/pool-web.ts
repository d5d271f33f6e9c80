// The Web Worker transport of the pool: one module Worker per slot, running the worker bundle
// (dist/web/prunelab.worker.js, from src/browser/worker.ts) and speaking src/experiment/pool/protocol.ts.
// Each worker creates its own lab (the wasm is compiled once per worker), exactly as the Node
// transport does, so a seed gives the same records here, in Node and with any number of workers.
//
// SharedArrayBuffer: the pool does not need it. Trials are independent, a job is a small config
// in and one record out, and both cross by postMessage (structured clone), which works whether or
// not the page is cross-origin isolated. Shared memory is reserved for threads inside one trial
// (DESIGN §3, later); `isolation()` reports whether a page could use it.
import { InlinePool, WorkerPool, type TaskPool, type WorkerHandle } from '../experiment/pool/pool.js';
import { shippedTasks } from '../experiment/pool/tasks.js';
import { poolTrialRunner, type TrialRunner } from '../experiment/sweep.js';
import type { FromWorker } from '../experiment/pool/protocol.js';
import type { TrialRequest } from '../experiment/design-search.js';
import type { TrialRecord } from '../core/types.js';

/** The worker bundle's file name, next to the library bundle in dist/web/. */
export const WORKER_FILE = 'prunelab.worker.js';

interface Env {
  navigator?: { hardwareConcurrency?: number };
  location?: { protocol?: string };
  Worker?: unknown;
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
}
const env = globalThis as unknown as Env;

/** The default worker count: the logical cores the browser reports (at least 1, at most 16). */
export function defaultWebWorkers(): number {
  const n = env.navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(16, Number.isInteger(n) && n! > 0 ? n! : 2));
}

/**
 * Whether this page can start Web Workers from its own files: false without a Worker constructor
 * and for pages opened from file:// (browsers refuse workers, and module scripts, there).
 */
export function webWorkersAvailable(): boolean {
  return typeof env.Worker === 'function' && env.location?.protocol !== 'file:';
}

/** Cross-origin isolation (COOP same-origin + COEP require-corp) and SharedArrayBuffer availability. */
export function isolation(): { crossOriginIsolated: boolean; sharedArrayBuffer: boolean } {
  return {
    crossOriginIsolated: env.crossOriginIsolated === true,
    sharedArrayBuffer: typeof env.SharedArrayBuffer === 'function' && env.crossOriginIsolated === true,
  };
}

// In a classic-script bundle (the demo's demo.js) import.meta is empty; the worker bundle is then
// looked up next to that script, whose URL is only known while it first runs.
const doc = (globalThis as unknown as { document?: { currentScript?: { src?: string } | null; baseURI?: string } })
  .document;
const classicScriptUrl: string | undefined = doc?.currentScript?.src || undefined;

/**
 * Starts one worker. Without `url` the worker bundle is found next to this module, written in
 * the `new Worker(new URL('./x.js', import.meta.url))` form that bundlers (webpack 5, Vite,
 * Parcel) recognise and copy (next to the script, for a classic-script bundle). Pass `url` when
 * the worker file is hosted elsewhere.
 */
export function spawnWebWorker(url?: string | URL): WorkerHandle {
  const meta = import.meta as { url?: string };
  if (url === undefined && typeof meta.url !== 'string') {
    const base = classicScriptUrl ?? doc?.baseURI;
    if (base === undefined)
      throw new Error(
        `spawnWebWorker: cannot tell where ${WORKER_FILE} is; pass its URL (createWebPool({ workerUrl }))`,
      );
    url = new URL(WORKER_FILE, base);
  }
  const worker =
    url === undefined
      ? new Worker(new URL('./prunelab.worker.js', import.meta.url), { type: 'module', name: 'prunelab' })
      : new Worker(url, { type: 'module', name: 'prunelab' });
  const where = String(url ?? WORKER_FILE);
  let onExit: ((e: Error) => void) | undefined;
  let gone = false;
  // A Web Worker has no exit event. Everything a task throws is caught by serveWorker and sent
  // back as an error message, so an `error` event means the worker could not load or broke
  // outside any job: the worker is treated as dead, stopped, and reported once.
  const die = (e: Error) => {
    if (gone) return;
    gone = true;
    worker.terminate();
    onExit?.(e);
  };
  worker.addEventListener('error', (ev: ErrorEvent) => {
    ev.preventDefault();
    const detail = ev.message
      ? `${ev.message}${ev.filename ? ` (${ev.filename}:${ev.lineno})` : ''}`
      : 'no detail from the browser';
    die(
      new Error(
        `the worker script ${where} failed to load or threw outside a job: ${detail}; check that it is served with a JavaScript MIME type from the page's origin`,
      ),
    );
  });
  worker.addEventListener('messageerror', () =>
    die(new Error(`a message from the worker ${where} could not be deserialised`)),
  );
  return {
    post: (msg) => worker.postMessage(msg),
    onMessage: (handler) => {
      worker.addEventListener('message', (ev: MessageEvent<FromWorker>) => {
        if (!gone) handler(ev.data);
      });
    },
    onExit: (handler) => {
      onExit = handler;
    },
    terminate: () => {
      gone = true;
      worker.terminate();
    },
  };
}

export interface WebPoolOptions {
  /** Web Workers; 0 runs jobs in this thread (one at a time, yielding between jobs). Defaults to defaultWebWorkers(), or 0 where workers are unavailable. */
  workers?: number;
  /** The worker bundle's URL (see spawnWebWorker). */
  workerUrl?: string | URL;
  /** The task to run; `trial` by default. */
  task?: string;
  /** A module URL whose `tasks` export adds tasks (see src/experiment/pool/protocol.ts). */
  module?: string;
  options?: unknown;
}

export function createWebPool<I = unknown, O = unknown>(opts: WebPoolOptions = {}): TaskPool<I, O> {
  const workers = opts.workers ?? (webWorkersAvailable() ? defaultWebWorkers() : 0);
  if (!Number.isInteger(workers) || workers < 0 || workers > 256)
    throw new RangeError(`createWebPool: workers must be an integer in [0, 256], got ${workers}`);
  const common = {
    task: opts.task ?? 'trial',
    ...(opts.module !== undefined ? { module: opts.module } : {}),
    ...(opts.options !== undefined ? { options: opts.options } : {}),
  };
  if (workers === 0) return new InlinePool<I, O>(shippedTasks, common);
  const url = opts.workerUrl;
  return new WorkerPool<I, O>(() => spawnWebWorker(url), { size: workers, ...common });
}

export interface WebTrialRunner extends TrialRunner {
  pool: TaskPool<TrialRequest, TrialRecord>;
}

/** A sweep's trial runner on Web Workers running the shipped `trial` task; ids from the trial pipeline. */
export function createWebTrialRunner(opts: WebPoolOptions = {}): Promise<WebTrialRunner> {
  const pool = createWebPool<TrialRequest, TrialRecord>(opts);
  return Promise.resolve({ ...poolTrialRunner(pool), pool });
}
