// Shape and pointer checks shared by the kernel wrappers: a bad pointer or size becomes a
// RangeError naming the kernel before wasm could write outside the buffer it was given.
import type { Wasm } from '../wasm/index.js';

export function checkCount(kernel: string, name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${kernel}: ${name} must be an integer in [${lo}, ${hi}], got ${v}`);
}

/** [ptr, ptr + bytes) must lie in wasm memory, aligned to `align`. */
export function checkBuffer(w: Wasm, kernel: string, name: string, ptr: number, bytes: number, align = 4): void {
  if (!Number.isInteger(ptr) || ptr < 0 || ptr % align !== 0 || ptr + bytes > w.exports.memory.buffer.byteLength) {
    throw new RangeError(`${kernel}: ${name} [${ptr}, ${ptr + bytes}) is not an ${align}-byte aligned range of wasm memory`);
  }
}
