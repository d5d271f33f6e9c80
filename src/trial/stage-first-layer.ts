// Stage 2 of a trial (DESIGN §2.2): masked spherical GD on the correlation loss from n2 fresh
// samples, T steps, each w_j <- normalise(w_j - eta grad_j L ⊙ M / |a_j|). In `reuse` mode the same
// n2 rows serve every step, kept in memory within the budget and regenerated block by block beyond
// it (the same bytes); in `fresh` mode each step draws its own n2/T rows.
import type { TrialContext } from './context.js';
import { initNet, type Net } from './network.js';
import { blockRows, paddedStride } from './layout.js';
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
    let kept: { X: number; y: number } | null = null;
    // the budget counts the values kept; the padding must still leave room in wasm32
    if (
      c.batch === 'reuse' &&
      n2 * k * 4 <= c.memoryBudget &&
      n2 * ld * 4 + w.mark() + (256 << 20) < WASM32_MAX_BYTES
    ) {
      kept = { X: w.allocF32(n2 * ld, `stage-2 rows (${n2} x ${k})`), y: w.allocF32(n2) };
      sampleNetRows(ctx, key, 0, n2, mask, coords, kept.X, kept.y, ld);
    }
    const batch = c.batch === 'reuse' ? n2 : Math.floor(n2 / c.steps);
    for (let step = 0; step < c.steps; step++) {
      w.f64.fill(0, G >>> 3, (G >>> 3) + c.m * k);
      const r0 = c.batch === 'reuse' ? 0 : step * batch;
      const rows: GradientRows = kept
        ? { kept }
        : {
            fill: (t, nb, X, y) => {
              sampleNetRows(ctx, key, r0 + t, nb, mask, coords, X, y, ld);
              ctx.progress('first-layer', (step + (t + nb) / batch) / c.steps);
            },
          };
      netGradient(w, net, { rows: batch, block: blockRows(k), ldx: ld, N: batch, G }, rows, helpers);
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
