// The first layer of f(x) = sum_j a_j relu(<w_j, M ⊙ x> + b_j) and its initialisation (DESIGN §2.2,
// stage 2), which gradmag's stage 1 also starts from. The weights live in the trial's arena.
import type { TrialContext } from './context.js';
import { netCoords } from './rows.js';
import { COORD_A, COORD_B, streamKey } from './streams.js';
import { gaussFillCols, uniformFillCols } from '../kernels/gauss.js';
import type { FirstLayer } from '../kernels/gradient.js';

/** Arena pointers: W m x k (row-major, k = |M|), b and a (m f32 each). */
export interface Net extends FirstLayer {
  readonly W: number;
  readonly b: number;
  readonly a: number;
  readonly m: number;
  readonly k: number;
}

/**
 * Weights on the mask's coordinates: w_j[i] is the normal at (row j, coordinate i) of the init
 * stream, so a pruned net starts as the dense net's init restricted to M, then each row is
 * normalised. b_j ~ N(0, 1), a_j = +-1 with equal odds.
 */
export function initNet(ctx: TrialContext, mask: Int32Array | null): Net {
  const { c, w } = ctx;
  const k = mask ? mask.length : c.d;
  const key = streamKey(c.seed, 'init');
  const W = w.allocF32(c.m * k, `the first layer (${c.m} x ${k})`);
  const b = w.allocF32(c.m),
    a = w.allocF32(c.m);
  if (k > 0) gaussFillCols(w, key, 0, c.m, netCoords(ctx, mask), W, k);
  gaussFillCols(w, key, 0, c.m, { base: COORD_A, n: 1 }, b, 1);
  uniformFillCols(w, key, 0, c.m, { base: COORD_B, n: 1 }, a, 1);
  const f = w.f32;
  for (let j = 0; j < c.m; j++) {
    f[(a >>> 2) + j] = f[(a >>> 2) + j]! < 0.5 ? -1 : 1;
    const row = f.subarray((W >>> 2) + j * k, (W >>> 2) + (j + 1) * k);
    let n2 = 0;
    for (let i = 0; i < k; i++) n2 += row[i]! * row[i]!;
    const inv = Math.sqrt(n2); // sqrt is correctly rounded (IEEE 754), unlike the other host Math
    for (let i = 0; i < k; i++) row[i] = row[i]! / inv;
  }
  return { W, b, a, m: c.m, k };
}
