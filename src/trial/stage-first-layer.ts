// Stage 2 of a trial (DESIGN §2.2): masked spherical GD on the correlation loss from n2 fresh
// samples, T steps, each w_j <- normalise(w_j - eta grad_j L ⊙ M / |a_j|). In `reuse` mode the same
// n2 rows serve every step: as many as the memory budget holds are kept in memory, and the rows past
// them are regenerated block by block at every step (the same bytes); in `fresh` mode each step
// draws its own n2/T rows.
import type { TrialContext } from './context.js';
import { initNet, type Net } from './network.js';
import { blockRows, keptRows, paddedStride } from './layout.js';
import { netCoords, sampleNetRows } from './rows.js';
import { streamKey } from './streams.js';
import { WASM32_MAX_BYTES } from '../wasm/index.js';
import { netGradient, type GradientRows } from '../kernels/gradient.js';
import { netStep } from '../kernels/net.js';

/** The trained first layer (in the arena); `diverged` when a step or a weight went non-finite. */
export interface FirstLayerResult {
  readonly net: Net;
  readonly diverged: boolean;
}

export function trainFirstLayer(ctx: TrialContext, mask: Int32Array | null): FirstLayerResult {
  const net = initNet(ctx, mask);
  return { net, diverged: !train(ctx, net, mask) };
}

// The T steps; false when the trial diverged. An empty mask leaves nothing to train: the trial
// then fails honestly at the readout.
function train(ctx: TrialContext, net: Net, mask: Int32Array | null): boolean {
  const { c, w, helpers } = ctx;
  const { n2 } = ctx.spec;
  const k = net.k;
  if (k === 0 || c.steps === 0) return true;
  const key = streamKey(c.seed, 'stage2');
  return w.scoped(() => {
    const G = w.allocF64(c.m * k, 'the gradient');
    const ld = paddedStride(k),
      coords = netCoords(ctx, mask);
    const B = blockRows(k);
    const kept = c.batch === 'reuse' ? keepRows(ctx, n2, k, ld) : null;
    if (kept) sampleNetRows(ctx, key, 0, kept.rows, mask, coords, kept.X, kept.y, ld);
    const batch = c.batch === 'reuse' ? n2 : Math.floor(n2 / c.steps);
    for (let step = 0; step < c.steps; step++) {
      w.f64.fill(0, G >>> 3, (G >>> 3) + c.m * k);
      const r0 = c.batch === 'reuse' ? 0 : step * batch;
      const fill = (t: number, nb: number, X: number, y: number) => {
        sampleNetRows(ctx, key, r0 + t, nb, mask, coords, X, y, ld);
        ctx.progress('first-layer', (step + (t + nb) / batch) / c.steps);
      };
      const rows: GradientRows = kept ? { kept, fill } : { fill };
      netGradient(w, net, { rows: batch, block: B, ldx: ld, N: batch, G }, rows, helpers);
      ctx.progress('first-layer', (step + 1) / c.steps);
      if (netStep(w, { W: net.W, m: c.m, k, G, a: net.a, eta: c.eta }) > 0) return false;
    }
    // belt and braces: a non-finite weight that slipped past the step (a NaN row with a zero
    // gradient is kept as it is) must still be reported
    const Wv = w.f32.subarray(net.W >>> 2, (net.W >>> 2) + c.m * k);
    for (let i = 0; i < Wv.length; i++) if (!Number.isFinite(Wv[i]!)) return false;
    return true;
  });
}

// The reuse rows kept in the arena (layout.ts keptRows), fewer whole blocks when the padded stride
// would not leave room in wasm32; null when not one block is kept.
function keepRows(ctx: TrialContext, n2: number, k: number, ld: number): { X: number; y: number; rows: number } | null {
  const { w, c } = ctx;
  const B = blockRows(k);
  const room = Math.floor((WASM32_MAX_BYTES - w.mark() - (256 << 20) - 1) / (ld * 4));
  let rows = keptRows(n2, k, c.memoryBudget);
  if (rows > room) rows = room - (room % B);
  if (rows <= 0) return null;
  return { X: w.allocF32(rows * ld, `stage-2 rows (${rows} x ${k})`), y: w.allocF32(rows), rows };
}
