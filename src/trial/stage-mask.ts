// Stage 1 of a trial (DESIGN §2.2): the first-layer mask, from n1 fresh samples over all d
// coordinates for the data-driven strategies. Its memory is O(K d) (hermite) or O(m d) (gradmag).
import type { TrialContext } from './context.js';
import { initNet } from './network.js';
import { blockRows, paddedStride } from './layout.js';
import { netCoords, sampleNetRows } from './rows.js';
import { streamKey } from './streams.js';
import { sampleRows } from './teacher.js';
import { netGradient } from '../kernels/gradient.js';
import { hermiteScoreStream } from '../kernels/hermite.js';
import { hermiteMaskScores, hermiteThreshold2, threshold, topk } from '../kernels/mask.js';
import { teacherSupport } from '../kernels/teacher.js';

/** The kept coordinates, sorted, or null for every coordinate (the dense net); `diverged` when the scores were not finite. */
export interface MaskChoice {
  readonly mask: Int32Array | null;
  readonly diverged: boolean;
}

const chosen = (mask: Int32Array | null): MaskChoice => ({ mask, diverged: false });
const diverged = (): MaskChoice => ({ mask: new Int32Array(0), diverged: true });

export function selectMask(ctx: TrialContext): MaskChoice {
  switch (ctx.c.method) {
    case 'none':
      return chosen(null);
    case 'oracle':
      return chosen(ctx.teacher.support.slice());
    case 'random':
      return chosen(randomMask(ctx));
    case 'hermite':
    case 'hermite-thr':
      return hermiteMask(ctx);
    case 'gradmag':
      return gradmagMask(ctx);
  }
}

// s coordinates drawn like a support, from the trial's own mask stream.
function randomMask(ctx: TrialContext): Int32Array {
  const { c, teacher, w } = ctx;
  return w.scoped(() => {
    const out = w.allocI32(teacher.s);
    teacherSupport(w, streamKey(c.seed, 'mask'), c.d, teacher.s, out);
    return w.copyI32(out, teacher.s);
  });
}

// score_i = sum_k (mean_t y_t h_k(x_ti))^2, streamed: y in chunks of rows, X never materialised.
function hermiteMask(ctx: TrialContext): MaskChoice {
  const { c, teacher, w, helpers } = ctx;
  const { n1 } = ctx.spec;
  const key = streamKey(c.seed, 'stage1');
  return w.scoped(() => {
    const S = w.allocF64(c.K * c.d, 'the stage-1 Hermite sums (K x d)');
    w.f64.fill(0, S >>> 3, (S >>> 3) + c.K * c.d);
    const CH = 1024;
    const y = w.allocF32(CH);
    let sumY2 = 0;
    for (let r0 = 0; r0 < n1; r0 += CH) {
      const rows = Math.min(CH, n1 - r0);
      sampleRows(w, teacher, key, r0, rows, null, 0, 0, y);
      const yv = w.f32;
      for (let t = 0; t < rows; t++) {
        const v = yv[(y >>> 2) + t]!;
        sumY2 += v * v;
      }
      hermiteScoreStream(w, key, r0, rows, { base: 0, n: c.d }, y, c.K, S, helpers);
      ctx.progress('mask', (r0 + rows) / n1);
    }
    const score = hermiteMaskScores(w, S, c.K, c.d, n1);
    if (!allFinite(score)) return diverged();
    if (c.method === 'hermite') return chosen(topk(w, score, teacher.s));
    return chosen(threshold(w, score, hermiteThreshold2(w, c.c, sumY2 / n1, c.d, n1)));
  });
}

// The column norms of the first-layer gradient of the dense net at its initialisation.
function gradmagMask(ctx: TrialContext): MaskChoice {
  const { c, teacher, w, helpers } = ctx;
  const { n1 } = ctx.spec;
  return w.scoped(() => {
    const net = initNet(ctx, null);
    const G = w.allocF64(c.m * c.d, 'the dense gradient (m x d)');
    w.f64.fill(0, G >>> 3, (G >>> 3) + c.m * c.d);
    const key = streamKey(c.seed, 'stage1'),
      coords = netCoords(ctx, null),
      ld = paddedStride(c.d);
    const fill = (t: number, nb: number, X: number, y: number) =>
      sampleNetRows(ctx, key, t, nb, null, coords, X, y, ld);
    netGradient(w, net, { rows: n1, block: blockRows(c.d), ldx: ld, N: n1, G }, { fill }, helpers);
    const Gv = w.f64.subarray(G >>> 3, (G >>> 3) + c.m * c.d);
    const score = new Float64Array(c.d);
    for (let j = 0; j < c.m; j++)
      for (let i = 0; i < c.d; i++) score[i] = score[i]! + Gv[j * c.d + i]! * Gv[j * c.d + i]!;
    if (!allFinite(score)) return diverged();
    return chosen(topk(w, score, teacher.s));
  });
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}
