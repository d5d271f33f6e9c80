// Deterministic random test data: standard normals from the gauss kernel under a stream key
// (never Math.random), copied out of wasm memory.
import type { Wasm } from '../../src/wasm/index.js';
import { streamKey } from '../../src/trial/streams.js';
import { gaussFill } from '../../src/kernels/gauss.js';

/** n standard normals, a pure function of `seed`. */
export function normals(w: Wasm, seed: number, n: number): Float32Array {
  return w.scoped(() => {
    const p = w.allocF32(n);
    gaussFill(w, streamKey(seed, 'sample'), n, p);
    return w.copyF32(p, n);
  });
}

/** A rows×cols matrix with row stride ld whose padding holds a sentinel, to catch stray writes. */
export function padded(values: Float32Array, rows: number, cols: number, ld: number, sentinel = 1234.5): Float32Array {
  const out = new Float32Array(Math.max(0, (rows - 1) * ld + cols)).fill(sentinel);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * ld + c] = values[r * cols + c]!;
  return out;
}
