// Seed splitting. Every random draw of a trial comes from one named stream, and each stream's
// key is a pure function of (seed, stream name). Within a stream, kernels further split by row
// chunk and coordinate (assembly/rng.ts), so nothing depends on scheduling or worker count.
import { bigIntToKey, mix64 } from '../core/hash.js';
import type { StreamKey } from '../core/types.js';

/** The named streams of one seed. Ids are part of the bit-exact contract: never renumber. */
export const STREAM_IDS = {
  teacher: 1, // support, signs and entries of V
  mask: 2, // the `random` mask
  init: 3, // first-layer weights, biases and output signs
  stage1: 4, // stage-1 data (mask selection)
  stage2: 5, // stage-2 data (first-layer training)
  readout: 6, // stage-3 data and readout biases
  test: 7, // held-out test data
  sample: 8, // lab.sample() data
  subspace: 9, // the subspace simulation: V-coordinates of the init and every Bartlett factor
} as const;
export type StreamName = keyof typeof STREAM_IDS;

/** Draws that are not columns of x use reserved coordinate ids of their stream. */
export const COORD_A = 0xfffffff0; // init: neuron biases b_j (normal) / readout: signs (uniform)
export const COORD_B = 0xfffffff1; // init: output signs a_j (uniform) / readout: biases U[-3, 3]
export type { StreamKey };

const M64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const STREAM_MUL = 0xc2b2ae3d27d4eb4fn;

/** The key of stream `name` under integer `seed` (0 <= seed < 2^53). */
export function streamKey(seed: number, name: StreamName): StreamKey {
  const s = mix64(BigInt(seed) + GOLDEN);
  return bigIntToKey(mix64(s ^ ((BigInt(STREAM_IDS[name]) * STREAM_MUL) & M64)));
}
