// How a trial lays rows out in wasm memory: the rows of a reduction block and the row stride of the
// stage-2 matrices. The block size is part of a trial's bits (reductions are added block by block);
// the stride is not.

/** A reduction block never exceeds the 1024-row chunk nor 64 MiB of X, whatever the budget. */
export function blockRows(k: number): number {
  return Math.max(4, Math.min(1024, Math.floor((16 << 20) / Math.max(1, k)) & ~3));
}

/**
 * The row stride (in floats) of the stage-2 matrices of k columns. Rows of 256 floats or more are
 * padded to a multiple of 16 floats that is an odd number of 64-byte lines: at a stride of 4 KiB
 * or a multiple of it (d = 1024, 4096, ...) every row of a block falls in the same L1 set, and the
 * fused gradient reads a 64-row block column by column (assembly/gemm.ts gtxTransposed). Only the
 * layout changes: the kernels take the stride, the bits do not depend on it, and the memory
 * budget still counts the n x k values a trial keeps.
 */
export function paddedStride(k: number): number {
  return k < 256 ? k : (((k + 15) >> 4) | 1) << 4;
}

/**
 * How many of the n2 reuse rows of k columns a trial keeps in memory under `budget` bytes (which
 * counts the values kept, not the padding): all of them when they fit, otherwise as many whole
 * reduction blocks as fit (possibly none); the rest are regenerated at every step.
 */
export function keptRows(n2: number, k: number, budget: number): number {
  const fit = Math.floor(budget / (4 * Math.max(1, k)));
  if (fit >= n2) return n2;
  const B = blockRows(k);
  return fit - (fit % B);
}
