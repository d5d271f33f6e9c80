// The threads build (asconfig.threads.json, entry index.threads.ts) runs one instance per thread
// over one shared memory. Instances share the static data, so every kernel's static scratch (lane
// tiles, packing buffers) must be per thread: a helper thread's instance moves its scratch into a
// block the main instance allocated, before it runs any kernel. Only the main instance allocates.
// The single-thread build never compiles this file, so its scratch pointers stay constants.

import { RNG_SCRATCH_BYTES, rngUseScratch } from "./rng";
import { HERMITE_SCRATCH_BYTES, hermiteUseScratch } from "./hermite";
import { GEMM_SCRATCH_BYTES, gemmUseScratch } from "./gemm";

/** Bytes of the block thread_use_scratch needs (64-byte aligned start). */
export function thread_scratch_bytes(): usize {
  return GEMM_SCRATCH_BYTES + RNG_SCRATCH_BYTES + HERMITE_SCRATCH_BYTES + 64;
}

/** Points this instance's kernel scratch at `block` (thread_scratch_bytes() bytes, any alignment). */
export function thread_use_scratch(block: usize): void {
  let p = (block + 63) & ~<usize>63;
  gemmUseScratch(p); p += GEMM_SCRATCH_BYTES;
  rngUseScratch(p); p += RNG_SCRATCH_BYTES;
  hermiteUseScratch(p);
}
