// Shape and pointer checks shared by the kernel wrappers. A kernel called with a bad shape would
// read or write someone else's buffer without complaint, so every wrapper validates first and
// names the argument in the error.
import type { Wasm } from '../wasm/index.js';

/** A non-negative integer below 2^31 (the kernels take i32 sizes). */
export function checkSize(fn: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff)
    throw new RangeError(`${fn}: ${name} must be an integer in [0, 2^31), got ${v}`);
}

/**
 * A rows×cols matrix of `bytes`-byte elements at `ptr` with row stride `ld` (elements): ld >= cols,
 * aligned, and entirely inside wasm memory. Empty matrices pass whatever the pointer.
 */
export function checkMatrix(
  w: Wasm,
  fn: string,
  name: string,
  ptr: number,
  rows: number,
  cols: number,
  ld: number,
  bytes: 4 | 8 = 4,
): void {
  if (!Number.isInteger(ld) || ld < cols || ld > 0x7fffffff)
    throw new RangeError(`${fn}: leading dimension of ${name} must be an integer >= ${cols} (its columns), got ${ld}`);
  if (rows === 0 || cols === 0) return;
  if (!Number.isInteger(ptr) || ptr <= 0 || ptr % bytes !== 0)
    throw new RangeError(`${fn}: ${name} must be a ${bytes}-byte aligned arena pointer, got ${ptr}`);
  const end = ptr + ((rows - 1) * ld + cols) * bytes;
  const size = w.exports.memory.buffer.byteLength;
  if (end > size)
    throw new RangeError(
      `${fn}: ${name} (${rows}×${cols}, ld ${ld}) ends at byte ${end}, beyond wasm memory (${size} bytes)`,
    );
}

/** A vector of n elements, or the null pointer when `optional` and ptr is 0. */
export function checkVector(
  w: Wasm,
  fn: string,
  name: string,
  ptr: number,
  n: number,
  bytes: 4 | 8 = 4,
  optional = false,
): void {
  if (optional && ptr === 0) return;
  checkMatrix(w, fn, name, ptr, 1, n, n, bytes);
}

/** An integer in [lo, hi]. */
export function checkCount(kernel: string, name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new RangeError(`${kernel}: ${name} must be an integer in [${lo}, ${hi}], got ${v}`);
}

/** [ptr, ptr + bytes) must lie in wasm memory, aligned to `align`. */
export function checkBuffer(w: Wasm, kernel: string, name: string, ptr: number, bytes: number, align = 4): void {
  if (!Number.isInteger(ptr) || ptr < 0 || ptr % align !== 0 || ptr + bytes > w.exports.memory.buffer.byteLength) {
    throw new RangeError(
      `${kernel}: ${name} [${ptr}, ${ptr + bytes}) is not an ${align}-byte aligned range of wasm memory`,
    );
  }
}
