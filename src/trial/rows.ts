// Labelled rows over the coordinates a net reads. The network reads only the masked coordinates,
// so every stage-2/3 matrix is compacted to |M| columns and sampled directly over M (the exact
// shortcut: the virtual data matrix gives those columns the same values full sampling would,
// assembly/rng.ts).
import type { TrialContext } from './context.js';
import { LABEL_BLOCK_BYTES, sampleRows } from './teacher.js';
import type { StreamKey } from './streams.js';
import type { Coords } from '../kernels/gauss.js';
import { compactCols } from '../kernels/mask.js';

/** The coordinates a net reads: the mask's, or all d for the dense net (null mask). */
export function netCoords(ctx: TrialContext, mask: Int32Array | null): Coords {
  return mask ? { ptr: ctx.w.put(mask), n: mask.length } : { base: 0, n: ctx.c.d };
}

/**
 * Labelled rows [r0, r0 + rows) of stream `key` over the net's coordinates into X (rows x k,
 * stride ld) and y. With the shortcut (the default) only the masked columns are generated; without
 * it full rows of all d coordinates are generated and the masked columns gathered, which gives the
 * same bytes at O(n d) cost (tests use it to show the shortcut is exact).
 */
export function sampleNetRows(
  ctx: TrialContext,
  key: StreamKey,
  r0: number,
  rows: number,
  mask: Int32Array | null,
  coords: Coords,
  X: number,
  y: number,
  ld = coords.n,
): void {
  const { w, teacher, c, helpers } = ctx;
  if (!mask || c.shortcut) {
    sampleRows(w, teacher, key, r0, rows, coords, X, ld, y, LABEL_BLOCK_BYTES, helpers);
    return;
  }
  w.scoped(() => {
    const full = w.allocF32(rows * c.d, `full rows (${rows} x ${c.d})`);
    sampleRows(w, teacher, key, r0, rows, { base: 0, n: c.d }, full, c.d, y, LABEL_BLOCK_BYTES, helpers);
    const packed = compactCols(w, full, rows, c.d, mask);
    const k = mask.length,
      f = w.f32;
    for (let t = 0; t < rows; t++)
      f.copyWithin((X >>> 2) + t * ld, (packed >>> 2) + t * k, (packed >>> 2) + (t + 1) * k);
  });
}
