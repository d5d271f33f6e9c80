// What a trial will cost, before it runs: a count of its work (GEMM FLOPs, normals drawn, Hermite
// coordinate-samples of stage 1) from the config alone, times rates measured on this machine by
// timing the kernels that do that work. Used to refuse, up front and as bad input, a trial whose
// estimate exceeds a limit (`--max-hours`, one hour by default), with the estimate in the message.
//
// The counts follow the direct pipeline (src/trial/pipeline.ts):
// - k, the columns of stages 2 and 3: d for the dense net, s for the masks of size s. For
//   hermite-thr |M| is data-dependent; s is the estimate (its false positives are few by design,
//   see test/null-signal.test.ts), so the estimate of a pruned trial can be low by a small factor.
// - stage 1: hermite* streams n1 x d coordinate-samples (K Hermite sums each); gradmag draws
//   n1 x d normals and does one dense forward and backward pass (4 n1 d m FLOPs).
// - stage 2: reuse keeps as many of its n2 x k rows as the memory budget holds (drawn once) and
//   regenerates the others every step; fresh draws n2 x k in all. Each step is a forward X·Wᵀ and a
//   gradient Gᵀ·X over its rows: 4 rows k m FLOPs (reuse: n2 rows per step, fresh: n2/T).
// - stage 3: (n3 + nTest) x k normals and the features X·Wᵀ, 2 (n3 + nTest) k m FLOPs.
// Labels cost O(n s r), negligible beside these, and are left out.
import { ResourceError } from '../core/errors.js';
import { PRUNED_LEARNERS } from '../core/rules.js';
import { formatDuration } from '../core/duration.js';
import { sampleSplit, type ValidTrialConfig } from './config.js';
import { blockRows, keptRows, paddedStride } from './layout.js';
import { compactDim, resolveSim, subspaceDim } from './sim.js';
import { streamKey } from './streams.js';
import { netGrad, netGradScratchBytes } from '../kernels/net.js';
import { subGrad, subGradScratchBytes } from '../kernels/subspace.js';
import { gaussFill, gaussFillCols } from '../kernels/gauss.js';
import { hermiteScoreStream } from '../kernels/hermite.js';
import type { Wasm } from '../wasm/index.js';
import type { Stage } from '../core/types.js';

/** The work of one trial, by kind. */
export interface TrialWork {
  /** Multiply-adds count 2: the GEMM-shaped products of every stage. */
  flops: number;
  /** Gaussian draws (data rows and weights). */
  normals: number;
  /** Stage-1 Hermite coordinate-samples (each one normal plus K recurrences and sums). */
  hermiteSamples: number;
  /** Which simulation the count describes. */
  model: 'direct' | 'subspace' | 'compact';
}

/** Rates of the three kinds of work on this machine, one thread. */
export interface Rates {
  flopsPerSecond: number;
  normalsPerSecond: number;
  hermiteSamplesPerSecond: number;
  /** Where the rates come from, for messages. */
  source: string;
}

/**
 * The columns and neurons of a trial's GEMMs; `span` when they run in the span simulations' gradient
 * kernel (subGrad: the products with W and the Gram matrix of the coefficients), not the pipeline's.
 */
export interface GemmShape {
  k: number;
  m: number;
  span?: true;
}

export function gemmShape(c: ValidTrialConfig): GemmShape {
  const sim = resolveSim(c);
  if (sim === 'subspace') return { k: subspaceDim(c), m: c.m, span: true };
  if (sim === 'compact') return { k: compactDim(c), m: c.m, span: true };
  return { k: c.method === 'none' ? c.d : Math.min(c.d, c.s), m: c.m };
}

/** The work of one stage; a trial's work is the sum over its stages. */
export type StageWork = Record<Stage, TrialWork>;

const STAGES: readonly Stage[] = ['mask', 'first-layer', 'readout'];

const noWork = (model: TrialWork['model']): TrialWork => ({ flops: 0, normals: 0, hermiteSamples: 0, model });

function sumWork(parts: StageWork): TrialWork {
  const out = noWork(parts.mask.model);
  for (const s of STAGES) {
    out.flops += parts[s].flops;
    out.normals += parts[s].normals;
    out.hermiteSamples += parts[s].hermiteSamples;
  }
  return out;
}

/** The work of each stage on the direct path (the pipeline as it runs every method today). */
export function directStageWork(c: ValidTrialConfig): StageWork {
  const { n1, n2 } = sampleSplit(c);
  const { d, m, steps: T } = c;
  const { k } = gemmShape(c);
  const mask = noWork('direct'),
    first = noWork('direct'),
    readout = noWork('direct');
  first.normals = m * k;
  if (PRUNED_LEARNERS.includes(c.method)) mask.hermiteSamples = n1 * d;
  if (c.method === 'gradmag') {
    mask.normals = n1 * d + m * d;
    mask.flops = 4 * n1 * d * m;
  }
  if (T > 0 && k > 0) {
    if (c.batch === 'reuse') {
      const kept = keptRows(n2, k, c.memoryBudget);
      first.normals += kept * k + (n2 - kept) * k * T;
      first.flops = 4 * n2 * k * m * T;
    } else {
      first.normals += n2 * k;
      first.flops = 4 * n2 * k * m;
    }
  }
  const rows3 = c.n3 + c.nTest;
  readout.normals = rows3 * k;
  readout.flops = 2 * rows3 * k * m;
  return { mask, 'first-layer': first, readout };
}

/** The work of a trial on the direct path. */
export function directTrialWork(c: ValidTrialConfig): TrialWork {
  return sumWork(directStageWork(c));
}

/**
 * The work of each stage of the subspace simulation (DESIGN §2.2b): step t draws its n2/T fresh
 * rows in the span's k_t = r + m(t+1) coordinates and runs the fused gradient over them (4 rows
 * k_t m FLOPs, and 2 rows m² for the Gram matrix CᵀC of the coefficients); the readout and the test
 * set run in the final K coordinates. Nothing scales with d.
 */
export function subspaceStageWork(c: ValidTrialConfig): StageWork {
  const { n2 } = sampleSplit(c);
  const { r, m, steps: T } = c;
  const K = subspaceDim(c);
  const first = noWork('subspace'),
    readout = noWork('subspace');
  first.normals = r * m;
  for (let t = 0; t < T; t++) {
    const rows = Math.floor(n2 / T),
      k = r + m * (t + 1);
    first.normals += rows * k;
    first.flops += rows * (4 * k * m + 2 * m * m);
  }
  const rows3 = c.n3 + c.nTest;
  readout.normals = rows3 * K;
  readout.flops = 2 * rows3 * K * m;
  return { mask: noWork('subspace'), 'first-layer': first, readout };
}

/**
 * The work of each stage of the compact simulation (DESIGN §2.2c): every step draws its n2/T fresh
 * rows in k = r + m coordinates and runs the fused gradient over them, 4 rows k m FLOPs for the
 * products with W and 2 rows m² for the Gram matrix CᵀC of the coefficients (at k = r + m the
 * latter is a third of the work); per step the Jacobi square root (about 40 m³) and the
 * re-orthonormalisation (about 4 m³); the readout and the test set in the same k coordinates. Each
 * row's label noise is one more normal, 3% of a row's normals here. Nothing scales with d.
 */
export function compactStageWork(c: ValidTrialConfig): StageWork {
  const { n2 } = sampleSplit(c);
  const { r, m, steps: T } = c;
  const k = compactDim(c);
  const first = noWork('compact'),
    readout = noWork('compact');
  first.normals = r * m;
  if (T > 0) {
    const rows = Math.floor(n2 / T) * T;
    first.normals += rows * (k + 1); // and each row's label noise: at k = 33 not negligible
    first.flops = rows * (4 * k * m + 2 * m * m) + T * 44 * m * m * m;
  }
  const rows3 = c.n3 + c.nTest;
  readout.normals = rows3 * (k + 1);
  readout.flops = 2 * rows3 * k * m;
  return { mask: noWork('compact'), 'first-layer': first, readout };
}

/** The work of each stage of a trial as it will run, on the simulation the trial resolves to. */
export function stageWork(c: ValidTrialConfig): StageWork {
  const sim = resolveSim(c);
  if (sim === 'subspace') return subspaceStageWork(c);
  if (sim === 'compact') return compactStageWork(c);
  return directStageWork(c);
}

/** The work of a trial as it will run: the cost model of the simulation the trial resolves to. */
export function trialWork(c: ValidTrialConfig): TrialWork {
  return sumWork(stageWork(c));
}

export function estimateSeconds(work: TrialWork, rates: Rates): number {
  return (
    work.flops / rates.flopsPerSecond +
    work.normals / rates.normalsPerSecond +
    work.hermiteSamples / rates.hermiteSamplesPerSecond
  );
}

/**
 * Rates faster than any machine this runs on reaches (about twice the reference machine's, see
 * docs/performance.md). Only ratios of these matter where they are used (the stage weights of the
 * progress line): a bound from above proves nothing about a trial's time.
 */
export const OPTIMISTIC_RATES: Rates = {
  flopsPerSecond: 100e9,
  normalsPerSecond: 1e9,
  hermiteSamplesPerSecond: 1e9,
  source: 'an optimistic bound',
};

/**
 * Times each kernel for about `ms` milliseconds on this instance (single thread), the GEMM on the
 * block shape the trial itself uses (a block of rows of its k columns, which at large k runs from
 * memory rather than cache and is slower than a small benchmark shape). The arena is restored.
 */
export function measureRates(w: Wasm, shape: GemmShape = { k: 256, m: 32 }, ms = 40): Rates {
  // calls per second from the median call: at d = 65536 one gradient block takes ~0.15 s, and a
  // single timed call varied by ±15% between runs on a shared machine
  const time = (fn: () => void): number => {
    fn(); // warm-up: compilation tiers and page faults are not the steady rate
    const calls: number[] = [];
    const t0 = performance.now();
    let t = t0;
    while (calls.length < 3 || t - t0 < ms) {
      fn();
      const now = performance.now();
      calls.push(now - t);
      t = now;
    }
    calls.sort((a, b) => a - b);
    return 1000 / Math.max(calls[calls.length >> 1]!, 1e-3);
  };
  return w.scoped(() => {
    const k = Math.max(1, Math.min(shape.k, 1 << 20)),
      m = shape.m,
      n = blockRows(k);
    // the gradient kernel of stage 2 (a forward X·Wᵀ and a backward Gᵀ·X fused: 4 n k m FLOPs),
    // on rows at the padded stride the pipeline uses
    const ld = paddedStride(k);
    const X = w.allocF32(n * ld),
      W = w.allocF32(m * k),
      b = w.allocF32(m),
      a = w.allocF32(m),
      y = w.allocF32(n),
      G = w.allocF64(m * k),
      scratch = w.alloc(netGradScratchBytes(w, k, m));
    const key = streamKey(1, 'init');
    gaussFill(w, key, n * ld, X);
    gaussFill(w, key, m * k, W);
    gaussFill(w, key, m, b);
    gaussFill(w, key, n, y);
    w.f32.fill(1, a >>> 2, (a >>> 2) + m);
    w.f64.fill(0, G >>> 3, (G >>> 3) + m * k);
    // the span paths' kernel instead where they run (its FLOPs counted as their work counts them:
    // 4 n k m for the products with W and 2 n m² for CᵀC): at k = r + m its rate per FLOP is well
    // below netGrad's, and the estimate was 2x optimistic with netGrad's rate
    const CtC = shape.span ? w.allocF64(m * m) : 0,
      subScratch = shape.span ? w.alloc(subGradScratchBytes(w, k, m)) : 0;
    const spanCall = () => subGrad(w, { U: X, rows: n, k, ldu: ld, y, W, m, b, a, N: n, G, CtC, scratch: subScratch });
    const gradPerSecond = shape.span
      ? time(spanCall)
      : time(() => netGrad(w, { X, rows: n, k, ldx: ld, y, W, m, b, a, N: n, G, scratch }));
    const flopsPerCall = shape.span ? 4 * n * k * m + 2 * n * m * m : 4 * n * k * m;
    // the rows as the pipeline draws them: gauss_fill_cols over the k columns at the padded stride,
    // one block after another, so blocks start inside the 1024-row chunks of the generator
    const normalsPerCall = n * k;
    let row0 = 0;
    const gaussPerSecond = time(() => {
      gaussFillCols(w, key, row0, n, { base: 0, n: k }, X, ld);
      row0 += n;
    });
    const K = 4,
      nc = 1024,
      rows = 256;
    const S = w.allocF64(K * nc);
    const hermitePerSecond = time(() => hermiteScoreStream(w, key, 0, rows, { base: 0, n: nc }, y, K, S));
    return {
      flopsPerSecond: gradPerSecond * flopsPerCall,
      normalsPerSecond: gaussPerSecond * normalsPerCall,
      hermiteSamplesPerSecond: hermitePerSecond * rows * nc,
      source: 'measured on this machine just now',
    };
  });
}

/**
 * Rates slower than any machine with SIMD WebAssembly reaches (about a tenth of the reference
 * machine's, near the scalar twins'): a trial estimated within the limit at these rates is within
 * it anywhere, and needs no measurement.
 */
export const PESSIMISTIC_RATES: Rates = {
  flopsPerSecond: 1e9,
  normalsPerSecond: 20e6,
  hermiteSamplesPerSecond: 20e6,
  source: 'a pessimistic bound',
};

const sci = (x: number) => x.toExponential(1).replace('e+', 'e');

/**
 * Refuses a trial whose estimated time exceeds `maxHours`, with a ResourceError that states the
 * work, the rates and the estimate. `rates` is called only when the estimate at pessimistic rates
 * exceeds the limit, so cheap trials pay nothing for the measurement. The screen must use rates
 * no machine falls below: a bound from above can never prove a trial short enough.
 */
export function checkCompute(
  trial: { spec: { config: ValidTrialConfig }; work: TrialWork },
  maxHours: number,
  rates: (shape: GemmShape) => Rates,
): void {
  if (maxHours === Infinity) return;
  const c = trial.spec.config;
  const work = trial.work;
  if (estimateSeconds(work, PESSIMISTIC_RATES) <= maxHours * 3600) return;
  const r = rates(gemmShape(c));
  const secs = estimateSeconds(work, r);
  if (secs <= maxHours * 3600) return;
  throw new ResourceError(
    'compute',
    `this trial (d = ${c.d}, method ${c.method}, n = ${c.n}, ${c.batch}) needs about ${sci(work.flops)} FLOP, ` +
      `${sci(work.normals)} normals and ${sci(work.hermiteSamples)} Hermite samples: about ${formatDuration(secs * 1000, 'approx')} at ` +
      `${(r.flopsPerSecond / 1e9).toFixed(1)} GFLOP/s, ${(r.normalsPerSecond / 1e6).toFixed(0)} M normals/s and ` +
      `${(r.hermiteSamplesPerSecond / 1e6).toFixed(0)} M Hermite samples/s (${r.source}), beyond --max-hours ${maxHours}; ` +
      'lower n or d, prune (a hermite method), or raise --max-hours',
  );
}
