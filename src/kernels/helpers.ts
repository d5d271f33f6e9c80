// Helper threads inside one trial, as the pipeline sees them (isomorphic: no Node import here).
// A helper is another instance of the threads build over the same shared memory (src/wasm/threads.ts)
// that runs one kernel call at a time on pointers the main instance allocated. The pipeline only
// splits work whose results it then combines in the single-thread order, so a trial's bytes do not
// depend on the number of helpers.

/** The kernel calls a helper runs (their arguments are those of the wasm export of the same name). */
export type HelperOp = 'net_grad_partial' | 'hermite_score_stream' | 'gauss_fill_cols';

export interface Helpers {
  /** How many helper threads there are (the main thread is one more). */
  readonly size: number;
  /** Starts `op(...args)` on helper i, which must be idle. */
  start(i: number, op: HelperOp, args: readonly number[]): void;
  /** Waits for helper i's call to end and returns its numeric result (0 for void kernels). */
  wait(i: number): number;
}
