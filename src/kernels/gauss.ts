// Typed wrappers of assembly/rng.ts and assembly/gauss.ts: they validate shapes and pointers,
// then call the kernel. They hold no state.
import type { Wasm } from '../wasm/index.js';
import type { StreamKey } from '../core/types.js';
import { haveHelpers, runOnHelpers, type Helpers } from './helpers.js';
import { CHUNK_ROWS } from './net.js'; // also the chunk of a stream (assembly/rng.ts)

/** Where a fill reads its coordinate ids: an arena buffer of u32 ids, or the range base..base+nc-1. */
export type Coords = { ptr: number; n: number } | { base: number; n: number };

function checkFill(w: Wasm, rowStart: number, rows: number, coords: Coords, out: number, ld: number): void {
  if (
    !Number.isInteger(rowStart) ||
    rowStart < 0 ||
    !Number.isInteger(rows) ||
    rows < 0 ||
    rowStart + rows > 0x7fffffff
  ) {
    throw new RangeError(
      `fill: rows [${rowStart}, ${rowStart + rows}) must be a range of non-negative integers below 2^31`,
    );
  }
  if (!Number.isInteger(coords.n) || coords.n < 0)
    throw new RangeError(`fill: coordinate count must be a non-negative integer, got ${coords.n}`);
  if (!Number.isInteger(ld) || ld < coords.n)
    throw new RangeError(`fill: leading dimension ${ld} must be >= the ${coords.n} coordinates`);
  const end = out + ((rows > 0 ? (rows - 1) * ld : 0) + coords.n) * 4;
  if (out % 4 !== 0 || end > w.exports.memory.buffer.byteLength)
    throw new RangeError(`fill: output [${out}, ${end}) lies outside wasm memory`);
}

/**
 * Normals x[t, coord] of stream `key` for rows [rowStart, rowStart + rows) into `out` (row-major,
 * leading dimension ld). With helper threads, calls of more than one chunk are split into
 * chunk-aligned ranges of rows, one per thread: the same bytes whoever fills them.
 */
export function gaussFillCols(
  w: Wasm,
  key: StreamKey,
  rowStart: number,
  rows: number,
  coords: Coords,
  out: number,
  ld: number,
  helpers: Helpers | null = null,
): void {
  checkFill(w, rowStart, rows, coords, out, ld);
  const [ptr, base] = 'ptr' in coords ? [coords.ptr, 0] : [0, coords.base];
  if (!haveHelpers(helpers) || rows <= CHUNK_ROWS) {
    w.exports.gauss_fill_cols(key.lo, key.hi, rowStart, rows, ptr, base, coords.n, out, ld);
    return;
  }
  // Equal shares of whole chunks: thread i starts at a chunk boundary, this thread takes the first
  // share (from rowStart, which may be inside a chunk) and the last helper runs to the end.
  const end = rowStart + rows;
  const per = Math.ceil(Math.ceil(rows / CHUNK_ROWS) / (helpers.size + 1)) * CHUNK_ROWS;
  const cuts = [rowStart];
  for (let i = 1; i <= helpers.size; i++)
    cuts.push(Math.min(end, Math.floor((rowStart + i * per) / CHUNK_ROWS) * CHUNK_ROWS));
  cuts.push(end);
  const parts: number[][] = [];
  for (let i = 1; i <= helpers.size; i++) {
    const r0 = cuts[i]!,
      r1 = cuts[i + 1]!;
    if (r1 > r0) parts.push([key.lo, key.hi, r0, r1 - r0, ptr, base, coords.n, out + (r0 - rowStart) * ld * 4, ld]);
  }
  runOnHelpers(helpers, 'gauss_fill_cols', parts, () =>
    w.exports.gauss_fill_cols(key.lo, key.hi, rowStart, cuts[1]! - rowStart, ptr, base, coords.n, out, ld),
  );
}

export function uniformFillCols(
  w: Wasm,
  key: StreamKey,
  rowStart: number,
  rows: number,
  coords: Coords,
  out: number,
  ld: number,
): void {
  checkFill(w, rowStart, rows, coords, out, ld);
  const [ptr, base] = 'ptr' in coords ? [coords.ptr, 0] : [0, coords.base];
  w.exports.uniform_fill_cols(key.lo, key.hi, rowStart, rows, ptr, base, coords.n, out, ld);
}

/** n standard normals from 4 interleaved lane streams into the arena buffer `out`. */
export function gaussFill(w: Wasm, key: StreamKey, n: number, out: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff)
    throw new RangeError(`gaussFill: n must be an integer in [0, 2^31), got ${n}`);
  if (out % 4 !== 0 || out + n * 4 > w.exports.memory.buffer.byteLength)
    throw new RangeError('gaussFill: output lies outside wasm memory');
  w.exports.gauss_fill(key.lo, key.hi, n, out);
}
