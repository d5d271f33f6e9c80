// The worker pool protocol: one set of messages, any transport (Node worker_threads, Web
// Workers, or a direct call in-process). Messages are plain structured-clonable objects.
//
//   parent -> worker   { type: 'init', version, task, module?, options? }
//                        Prepare task `task` once (e.g. create a lab: compile + instantiate the
//                        wasm). `module` (optional) is a URL the worker imports first; its export
//                        `tasks` (a TaskRegistry) extends the worker's built-in tasks.
//   worker -> parent   { type: 'ready', version, task }            after a successful init
//                      { type: 'error', job: null, error }          init failed (the worker is unusable)
//   parent -> worker   { type: 'run', job, input }                  run one job; the pool sends a
//                        worker its next job only after the previous one answered
//   worker -> parent   { type: 'progress', job, info }              any number, optional
//                      { type: 'result', job, output }              exactly one of result/error per job
//                      { type: 'error', job, error }
//
// A worker that dies (crash, out of memory, terminate) is noticed by the transport, not by a
// message: the pool then rejects the job it was running with a WorkerExitError. Stopping a
// worker is the transport's terminate(); there is no close message.
//
// Transports implement WorkerHandle (parent side, see pool.ts) and WorkerPort (worker side,
// see worker.ts). Nothing here depends on Node or the DOM.

export const PROTOCOL_VERSION = 1;

export interface InitMessage {
  type: 'init';
  version: number;
  task: string;
  module?: string;
  options?: unknown;
}
export interface RunMessage {
  type: 'run';
  job: number;
  input: unknown;
}
export type ToWorker = InitMessage | RunMessage;

export interface ReadyMessage {
  type: 'ready';
  version: number;
  task: string;
}
export interface ResultMessage {
  type: 'result';
  job: number;
  output: unknown;
}
export interface ErrorMessage {
  type: 'error';
  job: number | null;
  error: WireError;
}
export interface ProgressMessage {
  type: 'progress';
  job: number;
  info: unknown;
}
export type FromWorker = ReadyMessage | ResultMessage | ErrorMessage | ProgressMessage;

/** An Error flattened for postMessage. ConfigError keeps its field, value and allowed. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  field?: string;
  value?: unknown;
  allowed?: string;
}

/** What a task may do besides returning its output. */
export interface TaskContext {
  /** Sends a progress message for the current job (delivered to the caller's onProgress). */
  progress(info: unknown): void;
}

/** Runs one job. May be synchronous (lab.trial is). */
export type TaskFn<I = unknown, O = unknown> = (input: I, ctx: TaskContext) => O | Promise<O>;

/** Prepares a task once per worker (e.g. creates its lab) and returns the function that runs jobs. */
export type TaskFactory<I = unknown, O = unknown> = (options: unknown) => TaskFn<I, O> | Promise<TaskFn<I, O>>;

// biome-ignore lint/suspicious/noExplicitAny: a registry holds factories of every job type, and unknown would reject them (parameters are contravariant)
export type TaskRegistry = Record<string, TaskFactory<any, any>>;
