// A tiny seeded PRNG for statistics (bootstrap), never for the experiment's data (that is
// assembly/rng.ts). splitmix-style: a Weyl sequence on 32 bits through murmur3's fmix32.
// Randomness is always passed in as a `Prng`, never global, so every published number is a
// pure function of its inputs and a seed.
import { checkInt } from './errors.js';

export interface Prng {
  /** The next uniform unsigned 32-bit integer. */
  nextU32(): number;
  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** A uniform integer in [0, n) without modulo bias; n an integer in [1, 2^32]. */
  int(n: number): number;
}

/** A PRNG seeded by an integer in [0, 2^53). The same seed gives the same stream everywhere. */
export function createPrng(seed: number): Prng {
  checkInt('seed', seed, 0, Number.MAX_SAFE_INTEGER);
  // Fold the high bits in so seeds >= 2^32 differ from their low halves.
  let state = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x9e3779b1);
  const nextU32 = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    nextU32,
    next: () => ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / 9007199254740992,
    int(n: number): number {
      checkInt('n', n, 1, 4294967296);
      const limit = 4294967296 - (4294967296 % n); // accept u < limit: an exact multiple of n
      for (;;) {
        const u = nextU32();
        if (u < limit) return u % n;
      }
    },
  };
}
