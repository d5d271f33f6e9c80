// Stage 3 of a trial (DESIGN §2.2): readout features relu(±<w_j, x> + b_jr) with R fresh biases per
// neuron, a ridge fit on n3 fresh samples (λ = 1e-3 n3, in float64), and the test relative MSE on
// nTest more. Rows are processed in blocks and the sums added in row order.
import type { ValidTrialConfig } from './config.js';
import type { TrialContext } from './context.js';
import type { Net } from './network.js';
import type { StageProgress } from './progress.js';
import { blockRows } from './layout.js';
import { ridgeSolve } from './ridge.js';
import { netCoords, sampleNetRows } from './rows.js';
import { COORD_A, COORD_B, streamKey, type StreamKey } from './streams.js';
import { uniformFillCols } from '../kernels/gauss.js';
import { netFeatures, readoutAccumulate, readoutPredict, readoutScratchBytes } from '../kernels/net.js';
import type { Wasm } from '../wasm/index.js';

/** Fills rows [t, t + rows) of a stream into X (rows x k, stride k) and their labels into y. */
export type RowBlock = (key: StreamKey, t: number, rows: number, X: number, y: number) => void;

/** `block`, telling `progress` the fraction of stage 3's rows (the readout's and the test set's) drawn so far. */
export function countingRows(block: RowBlock, c: ValidTrialConfig, progress: StageProgress): RowBlock {
  const total = c.n3 + c.nTest;
  let drawn = 0;
  return (key, t, rows, X, y) => {
    block(key, t, rows, X, y);
    drawn += rows;
    progress('readout', drawn / total);
  };
}

/** The test relative MSE, or null when the fit or the score was not finite (the trial diverged). */
export function fitReadout(ctx: TrialContext, net: Net, mask: Int32Array | null): number | null {
  const coords = netCoords(ctx, mask);
  const rows: RowBlock = (key, t, nb, X, y) => sampleNetRows(ctx, key, t, nb, mask, coords, X, y);
  return readoutOn(ctx.w, ctx.c, net.k, net.W, countingRows(rows, ctx.c, ctx.progress));
}

/**
 * Stage 3 for a first layer W (m x k) over rows of k coordinates that `block` draws: the direct
 * path reads the masked coordinates of x, the subspace simulation the coordinates of x in S.
 */
export function readoutOn(w: Wasm, c: ValidTrialConfig, k: number, W: number, block: RowBlock): number | null {
  const R = c.readoutBiases,
    p = c.m * R;
  return w.scoped(() => {
    const rkey = streamKey(c.seed, 'readout');
    const sign = w.allocF32(p),
      bias = w.allocF32(p);
    uniformFillCols(w, rkey, 0, p, { base: COORD_A, n: 1 }, sign, 1);
    uniformFillCols(w, rkey, 0, p, { base: COORD_B, n: 1 }, bias, 1);
    const f = w.f32;
    for (let i = 0; i < p; i++) {
      f[(sign >>> 2) + i] = f[(sign >>> 2) + i]! < 0.5 ? -1 : 1;
      f[(bias >>> 2) + i] = Math.fround(Math.fround(6 * f[(bias >>> 2) + i]!) - 3);
    }
    const B = Math.min(blockRows(k), blockRows(p));
    const X = w.allocF32(B * k),
      y = w.allocF32(B),
      Z = w.allocF32(B * c.m),
      F = w.allocF32(B * p);
    const features = (nb: number) => netFeatures(w, { X, rows: nb, k, W, m: c.m, sign, bias, R, Z, F });

    const S = w.allocF64(p * p),
      Fy = w.allocF64(p),
      Fsum = w.allocF64(p),
      ys = w.allocF64(2);
    w.f64.fill(0, S >>> 3, (ys >>> 3) + 2);
    const scratch = w.alloc(readoutScratchBytes(w, p));
    for (let t = 0; t < c.n3; t += B) {
      const nb = Math.min(B, c.n3 - t);
      block(rkey, t, nb, X, y);
      features(nb);
      readoutAccumulate(w, { F, rows: nb, p, y, S, Fy, Fsum, ys, scratch });
    }
    const f64 = w.f64;
    const fit = ridgeSolve(
      {
        p,
        n: c.n3,
        S: w.copyF64(S, p * p),
        Fy: w.copyF64(Fy, p),
        Fsum: w.copyF64(Fsum, p),
        sumY: f64[ys >>> 3]!,
        sumYY: f64[(ys >>> 3) + 1]!,
      },
      1e-3 * c.n3,
    );
    if (!fit.ok) return null;

    const beta = w.put(fit.beta),
      sums = w.allocF64(3);
    w.f64.fill(0, sums >>> 3, (sums >>> 3) + 3);
    const tkey = streamKey(c.seed, 'test');
    for (let t = 0; t < c.nTest; t += B) {
      const nb = Math.min(B, c.nTest - t);
      block(tkey, t, nb, X, y);
      features(nb);
      readoutPredict(w, { F, rows: nb, p, beta, intercept: fit.intercept, y, sums });
    }
    const [sse, sy, syy] = [w.f64[sums >>> 3]!, w.f64[(sums >>> 3) + 1]!, w.f64[(sums >>> 3) + 2]!];
    const variance = syy - (sy * sy) / c.nTest;
    const rel = sse / variance;
    return Number.isFinite(rel) ? rel : null;
  });
}
