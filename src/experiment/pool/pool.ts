// The parent side of the pool: a FIFO queue of jobs dispatched to up to `size` workers, over
// any transport that implements WorkerHandle (Node worker_threads in src/node/pool-node.ts,
// Web Workers in the browser), plus an in-process pool with the same interface. Results come
// back per job, so `map` returns them in input order whatever the number of workers.
import { AbortError, WorkerExitError, fromWireError } from './errors.js';
import { PROTOCOL_VERSION, type FromWorker, type TaskFn, type TaskRegistry, type ToWorker } from './protocol.js';
import { resolveTask } from './worker.js';

export interface RunOptions {
  /** Drops the job if it fires before the job starts (the job then rejects with an AbortError); a started job runs to its end. */
  signal?: AbortSignal;
  onProgress?: (info: unknown) => void;
}

export interface TaskPool<I = unknown, O = unknown> {
  /** The number of workers (0 for the in-process pool). */
  readonly size: number;
  run(input: I, opts?: RunOptions): Promise<O>;
  /** Runs every input; the outputs are in input order. */
  map(inputs: readonly I[], opts?: RunOptions): Promise<O[]>;
  /** Lets queued and running jobs finish, then stops the workers. */
  close(): Promise<void>;
  /** Stops now: running and queued jobs reject with an AbortError. */
  terminate(): Promise<void>;
}

/** The parent's end of one worker. */
export interface WorkerHandle {
  post(msg: ToWorker): void;
  /** Messages from the worker. */
  onMessage(handler: (msg: FromWorker) => void): void;
  /** Called once when the worker stops for any reason other than terminate() (crash, exit, load failure). */
  onExit(handler: (error: Error) => void): void;
  terminate(): Promise<void> | void;
}

export type SpawnWorker = () => WorkerHandle;

export interface PoolOptions {
  /** Workers to start at most (they start lazily, as jobs arrive). */
  size: number;
  /** The task every worker prepares at init and runs for each job. */
  task: string;
  /** A module URL whose `tasks` export adds tasks to the worker's built-in ones (see protocol.ts). */
  module?: string;
  /** Passed to the task factory at init. */
  options?: unknown;
}

interface Job<I, O> {
  id: number;
  input: I;
  resolve(o: O): void;
  reject(e: unknown): void;
  onProgress: ((info: unknown) => void) | undefined;
  signal: AbortSignal | undefined;
  unlisten: () => void;
}

interface Slot<I, O> {
  handle: WorkerHandle;
  state: 'starting' | 'idle' | 'busy' | 'gone';
  job: Job<I, O> | null;
  everReady: boolean;
}

export class WorkerPool<I = unknown, O = unknown> implements TaskPool<I, O> {
  readonly size: number;
  private readonly queue: Job<I, O>[] = [];
  private readonly slots: Slot<I, O>[] = [];
  private nextJob = 1;
  private broken: Error | null = null;
  private stopped = false;
  private closing: { resolve(): void; promise: Promise<void> } | null = null;

  constructor(
    private readonly spawn: SpawnWorker,
    private readonly opts: PoolOptions,
  ) {
    if (!Number.isInteger(opts.size) || opts.size < 1)
      throw new RangeError(`WorkerPool: size must be an integer >= 1, got ${opts.size}`);
    this.size = opts.size;
  }

  run(input: I, opts: RunOptions = {}): Promise<O> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.stopped || this.closing) return Promise.reject(new AbortError('pool is closed'));
    if (opts.signal?.aborted) return Promise.reject(new AbortError());
    return new Promise<O>((resolve, reject) => {
      const job: Job<I, O> = {
        id: this.nextJob++,
        input,
        resolve,
        reject,
        onProgress: opts.onProgress,
        signal: opts.signal,
        unlisten: () => {},
      };
      if (opts.signal) this.listen(opts.signal, job);
      this.queue.push(job);
      this.dispatch();
    });
  }

  // One abort listener per signal, however many jobs share it (a sweep queues dozens on one
  // signal; a listener each would trip Node's MaxListeners warning and cost O(jobs) per abort).
  private readonly bySignal = new Map<AbortSignal, { jobs: Set<Job<I, O>>; onAbort: () => void }>();

  private listen(signal: AbortSignal, job: Job<I, O>): void {
    let entry = this.bySignal.get(signal);
    if (!entry) {
      const jobs = new Set<Job<I, O>>();
      const onAbort = () => {
        for (const j of [...jobs]) {
          const k = this.queue.indexOf(j);
          if (k >= 0) {
            this.queue.splice(k, 1);
            j.unlisten();
            j.reject(new AbortError());
          }
        }
        this.maybeClosed();
      };
      entry = { jobs, onAbort };
      this.bySignal.set(signal, entry);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const e = entry;
    e.jobs.add(job);
    job.unlisten = () => {
      e.jobs.delete(job);
      if (e.jobs.size === 0) {
        signal.removeEventListener('abort', e.onAbort);
        this.bySignal.delete(signal);
      }
    };
  }

  map(inputs: readonly I[], opts?: RunOptions): Promise<O[]> {
    return Promise.all(inputs.map((x) => this.run(x, opts)));
  }

  private live(): Slot<I, O>[] {
    return this.slots.filter((s) => s.state !== 'gone');
  }

  private dispatch(): void {
    if (this.stopped || this.broken) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.state !== 'idle') continue;
      const job = this.queue.shift()!;
      slot.state = 'busy';
      slot.job = job;
      try {
        slot.handle.post({ type: 'run', job: job.id, input: job.input });
      } catch (e) {
        slot.state = 'idle';
        slot.job = null;
        this.finish(job, null, e);
      }
    }
    const live = this.live();
    const starting = live.filter((s) => s.state === 'starting').length;
    let want = Math.min(this.queue.length - starting, this.size - live.length);
    while (want-- > 0) this.start();
    this.maybeClosed();
  }

  private start(): void {
    const handle = this.spawn();
    const slot: Slot<I, O> = { handle, state: 'starting', job: null, everReady: false };
    this.slots.push(slot);
    handle.onMessage((msg) => this.onMessage(slot, msg));
    handle.onExit((err) => this.onExit(slot, err));
    const init: ToWorker = { type: 'init', version: PROTOCOL_VERSION, task: this.opts.task };
    if (this.opts.module !== undefined) init.module = this.opts.module;
    if (this.opts.options !== undefined) init.options = this.opts.options;
    handle.post(init);
  }

  private onMessage(slot: Slot<I, O>, msg: FromWorker): void {
    if (slot.state === 'gone') return;
    switch (msg.type) {
      case 'ready':
        slot.state = 'idle';
        slot.everReady = true;
        this.dispatch();
        return;
      case 'progress':
        if (slot.job && slot.job.id === msg.job) slot.job.onProgress?.(msg.info);
        return;
      case 'result':
      case 'error': {
        if (msg.type === 'error' && msg.job === null) {
          this.fail(fromWireError(msg.error, `pool worker init (task ${this.opts.task})`));
          return;
        }
        const job = slot.job;
        if (!job || job.id !== msg.job) return;
        slot.job = null;
        slot.state = 'idle';
        if (msg.type === 'result') this.finish(job, msg.output as O, null);
        else this.finish(job, null, fromWireError(msg.error, `pool worker (task ${this.opts.task})`));
        this.dispatch();
        return;
      }
    }
  }

  private onExit(slot: Slot<I, O>, err: Error): void {
    if (slot.state === 'gone') return;
    const wasReady = slot.everReady;
    slot.state = 'gone';
    const job = slot.job;
    slot.job = null;
    if (job) this.finish(job, null, new WorkerExitError(`a pool worker stopped while running a job: ${err.message}`));
    if (!wasReady) {
      this.fail(
        new WorkerExitError(`a pool worker stopped before it was ready (task ${this.opts.task}): ${err.message}`),
      );
      return;
    }
    this.dispatch(); // a replacement starts if jobs are waiting
  }

  private finish(job: Job<I, O>, output: O | null, error: unknown): void {
    job.unlisten();
    if (error !== null) job.reject(error);
    else job.resolve(output as O);
  }

  /** Init failed: the task cannot run here; every queued and future job rejects with the reason. */
  private fail(e: Error): void {
    if (this.broken) return;
    this.broken = e;
    for (const job of this.queue.splice(0)) this.finish(job, null, e);
    void this.stopAll(e);
  }

  private async stopAll(reason: Error): Promise<void> {
    const slots = this.slots.filter((s) => s.state !== 'gone');
    for (const s of slots) {
      s.state = 'gone';
      if (s.job) {
        const job = s.job;
        s.job = null;
        this.finish(job, null, reason);
      }
    }
    await Promise.all(slots.map((s) => s.handle.terminate()));
    this.closing?.resolve();
  }

  private maybeClosed(): void {
    if (!this.closing || this.queue.length > 0 || this.slots.some((s) => s.state === 'busy')) return;
    this.stopped = true;
    void this.stopAll(new AbortError('pool is closed'));
  }

  close(): Promise<void> {
    if (this.stopped || this.broken) return Promise.resolve();
    if (!this.closing) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.closing = { resolve, promise };
      this.maybeClosed();
    }
    return this.closing.promise;
  }

  async terminate(): Promise<void> {
    this.stopped = true;
    const e = new AbortError('pool terminated');
    for (const job of this.queue.splice(0)) this.finish(job, null, e);
    await this.stopAll(e);
  }
}

/**
 * The same interface without workers: jobs run one at a time in this thread, each after a
 * macrotask turn so timers and signals are served between jobs. For tests and tiny runs.
 */
export class InlinePool<I = unknown, O = unknown> implements TaskPool<I, O> {
  readonly size = 0;
  private fn: Promise<TaskFn<I, O>> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly registry: TaskRegistry,
    private readonly opts: Omit<PoolOptions, 'size'>,
  ) {}

  private task(): Promise<TaskFn<I, O>> {
    this.fn ??= resolveTask(this.registry, this.opts.task, this.opts.module).then(
      (f) => f(this.opts.options) as TaskFn<I, O> | Promise<TaskFn<I, O>>,
    );
    return this.fn;
  }

  run(input: I, opts: RunOptions = {}): Promise<O> {
    if (this.stopped) return Promise.reject(new AbortError('pool is closed'));
    const p = this.tail
      .catch(() => {})
      .then(async () => {
        await new Promise((r) => setTimeout(r, 0));
        if (this.stopped) throw new AbortError('pool terminated');
        if (opts.signal?.aborted) throw new AbortError();
        const fn = await this.task();
        const ctx = { progress: (info: unknown) => opts.onProgress?.(info) };
        return structuredClone(await fn(structuredClone(input), ctx));
      });
    this.tail = p;
    return p;
  }

  map(inputs: readonly I[], opts?: RunOptions): Promise<O[]> {
    return Promise.all(inputs.map((x) => this.run(x, opts)));
  }

  async close(): Promise<void> {
    await this.tail.catch(() => {});
    this.stopped = true;
  }

  async terminate(): Promise<void> {
    this.stopped = true;
  }
}
