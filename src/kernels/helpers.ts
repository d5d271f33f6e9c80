// Helper threads inside one trial, as the kernel layer sees them (isomorphic: no Node import here).
// A helper is another instance of the threads build over the same shared memory (src/wasm/threads.ts)
// that runs one kernel call at a time on pointers the main instance allocated. Only the kernel
// wrappers split a call over helpers (gaussFillCols, hermiteScoreStream, netGradient), and only
// along lines the kernel's contract says change no bit (chunk-aligned rows, SIMD-aligned
// coordinates, blocks added in row order), so a trial's bytes do not depend on the number of helpers.
import type { KernelExports } from '../wasm/index.js';

/** The kernel calls a helper runs (their arguments are those of the wasm export of the same name). */
export type HelperOp = 'net_grad_partial' | 'hermite_score_stream' | 'gauss_fill_cols';

/** The ops by index: the wire format between the main thread and its helpers (src/node/threads.ts). */
export const HELPER_OPS: readonly HelperOp[] = ['net_grad_partial', 'hermite_score_stream', 'gauss_fill_cols'];

export interface Helpers {
  /** How many helper threads there are (the main thread is one more). */
  readonly size: number;
  /** Starts `op(...args)` on helper i, which must be idle. */
  start(i: number, op: HelperOp, args: readonly number[]): void;
  /** Waits for helper i's call to end and returns its numeric result (0 for void kernels). */
  wait(i: number): number;
}

/**
 * The kernel a helper's own instance runs for op number `op` of HELPER_OPS. The arguments were
 * made, and the whole call's shapes checked, by the wrapper on the main thread that split it.
 */
export function helperKernel(exports: KernelExports, op: number): (...args: number[]) => number {
  const name = HELPER_OPS[op];
  if (name === undefined) throw new RangeError(`helper op ${op} is not one of ${HELPER_OPS.length} ops`);
  const fn = exports[name] as (...args: number[]) => number | undefined;
  return (...args) => fn(...args) ?? 0;
}

/**
 * Runs `parts[i]` on helper i and `here` on this thread, then waits for every helper, even when
 * `here` throws (a helper left running would still be busy at the next start).
 */
export function runOnHelpers(
  helpers: Helpers,
  op: HelperOp,
  parts: readonly (readonly number[])[],
  here: () => void,
): void {
  if (parts.length > helpers.size)
    throw new RangeError(`${op}: ${parts.length} helper parts for ${helpers.size} helper threads`);
  let started = 0;
  try {
    for (; started < parts.length; started++) helpers.start(started, op, parts[started]!);
    here();
  } finally {
    for (let i = 0; i < started; i++) helpers.wait(i);
  }
}

/** True when `helpers` can take work (null or zero helpers mean: run on this thread). */
export function haveHelpers(helpers: Helpers | null | undefined): helpers is Helpers {
  return helpers != null && helpers.size > 0;
}
