// What the two exact span simulations of the dense fresh-batch learner share (DESIGN §2.2b, §2.2c):
// the first layer W held in a basis with V's r columns first, b and a drawn as the direct path
// draws them, the readout on rows of the span, the metrics read off V's coordinates, and the run
// of one trial around them. They differ only in how a step grows or re-forms the basis (stage2),
// which subspace.ts and compact.ts each implement.
import type { TrialSpec, ValidTrialConfig } from './config.js';
import type { Link } from './link.js';
import { trialRecord } from './record.js';
import { COORD_A, COORD_B, streamKey, type StreamKey } from './streams.js';
import { sampleRows, softProfileOf, type Teacher } from './teacher.js';
import { countingRows, readoutOn, type RowBlock } from './stage-readout.js';
import { NO_PROGRESS, type StageProgress } from './progress.js';
import type { Wasm } from '../wasm/index.js';
import { gaussFillCols, uniformFillCols } from '../kernels/gauss.js';
import { bartlett, psdSqrt, subGrad, subGradScratchBytes } from '../kernels/subspace.js';
import type { RecordedConfig, Stage, TrialMetrics, TrialRecord } from '../core/types.js';

/**
 * FOR TESTS ONLY: a deliberately wrong variant of a span simulation, so a test can show that its
 * statistics reject one (the power of test/subspace.test.ts and test/compact.test.ts). `stepDof:
 * 'd'` draws each step's Bartlett factor with D = d degrees of freedom instead of d − k. No config
 * field, CLI flag or library entry reaches this: runTrial always runs SPAN_RIGHT, and only a test
 * that calls runSubspaceTrial or runCompactTrial directly can pass another variant.
 */
export interface SpanVariant {
  readonly stepDof: 'd-k' | 'd';
}
export const SPAN_RIGHT: SpanVariant = { stepDof: 'd-k' };

const now = (): number => globalThis.performance.now();

// rows per gradient call: one chunk of the row generator (the subGrad kernel's limit)
const BLOCK = 1024;

/** One trial's state on a span path: W (m rows of stride `ld`), b, a, and the teacher over the span. */
export abstract class SpanSim {
  diverged: Stage | null = null;
  readonly W: number;
  readonly b: number;
  readonly a: number;
  protected readonly c: ValidTrialConfig;
  protected readonly n2: number;
  /** The `subspace` stream: V's part of the init (block 0) and each step's Bartlett factor (block t + 1). */
  protected readonly key: StreamKey;
  protected readonly T: Teacher;

  constructor(
    protected readonly w: Wasm,
    spec: TrialSpec,
    /** The row stride of W: the largest dimension of the basis. */
    protected readonly ld: number,
    protected readonly progress: StageProgress,
    protected readonly variant: SpanVariant,
    what: string,
  ) {
    const c = spec.config;
    this.c = c;
    this.n2 = spec.n2;
    this.key = streamKey(c.seed, 'subspace');
    this.W = w.allocF32(c.m * ld, `the first layer in ${what} (${c.m} x ${ld})`);
    this.b = w.allocF32(c.m);
    this.a = w.allocF32(c.m);
    this.T = spanTeacher(c, spec.teacher.link, ld);
    initSpan(w, c, this.key, this.W, ld, this.b, this.a);
  }

  abstract stage2(): void;

  /**
   * Stage 2's steps. For each, the batch's gradient on the first k = inSpan(step) coordinates, and
   * its part outside them (R·Lᵀ, R Bartlett with d − k degrees of freedom) as a new block in
   * columns [k, k + m) of G (f64, m rows of stride ldg); then the step that `makeStep` returns (made
   * once, inside the stage's scratch scope) applies G and says whether it stayed finite.
   */
  protected runSteps(
    ldg: number,
    inSpan: (step: number) => number,
    makeStep: () => (G: number, k: number) => boolean,
  ): void {
    const { c, w, ld } = this;
    const { m } = c;
    if (c.steps === 0) return;
    const batch = Math.floor(this.n2 / c.steps);
    const key = streamKey(c.seed, 'stage2');
    w.scoped(() => {
      const G = w.allocF64(m * ldg, 'the gradient');
      const CtC = w.allocF64(m * m),
        L = w.allocF64(m * m),
        R = w.allocF64(m * m),
        work = w.allocF64(2 * m * m);
      const U = w.allocF32(BLOCK * ld, 'a block of rows in the span'),
        y = w.allocF32(BLOCK);
      const scratch = w.alloc(subGradScratchBytes(w, ld, m), 'gradient scratch');
      const step = makeStep();
      for (let t = 0; t < c.steps; t++) {
        const k = inSpan(t);
        w.f64.fill(0, G >>> 3, (G >>> 3) + m * ldg);
        w.f64.fill(0, CtC >>> 3, (CtC >>> 3) + m * m);
        const r0 = t * batch;
        for (let i = 0; i < batch; i += BLOCK) {
          const nb = Math.min(BLOCK, batch - i);
          sampleRows(w, this.T, key, r0 + i, nb, { base: 0, n: k }, U, k, y);
          subGrad(w, {
            U,
            rows: nb,
            k,
            y,
            W: this.W,
            m,
            ldw: ld,
            b: this.b,
            a: this.a,
            N: batch,
            G,
            ldg,
            CtC,
            scratch,
          });
          this.progress('first-layer', (t + (i + nb) / batch) / c.steps);
        }
        const D = this.variant.stepDof === 'd' ? c.d : c.d - k;
        outsideBlock(w, { CtC, L, R, work, m, key: this.key, block: t + 1, D, G, ldg, col: k });
        if (!step(G, k)) {
          this.diverged = 'first-layer';
          return;
        }
      }
      this.checkFinite();
    });
  }

  /** Stage 3 as the direct path runs it (stage-readout.ts), on rows of the span in the final basis. */
  stage3(): number | null {
    const { c, w, ld } = this;
    const coords = { base: 0, n: ld };
    const rows: RowBlock = (key, t, nb, X, y) => sampleRows(w, this.T, key, t, nb, coords, X, ld, y);
    const rel = readoutOn(w, c, ld, this.W, countingRows(rows, c, this.progress));
    if (rel === null) this.diverged = 'readout';
    return rel;
  }

  /** Marks the first layer diverged when any weight is not finite; returns whether it is. */
  protected checkFinite(): boolean {
    const Wv = this.w.f32.subarray(this.W >>> 2, (this.W >>> 2) + this.c.m * this.ld);
    for (let i = 0; i < Wv.length; i++)
      if (!Number.isFinite(Wv[i]!)) {
        this.diverged = 'first-layer';
        return false;
      }
    return true;
  }

  metrics(relMse: number | null, softPR: number | null): TrialMetrics {
    return spanMetrics(this.w, this.c, this.W, this.ld, this.diverged, relMse, softPR);
  }
}

/** A span path: its state, made for one trial (`variant` is for tests only). */
export type SpanSimClass = new (w: Wasm, spec: TrialSpec, progress: StageProgress, variant: SpanVariant) => SpanSim;

/** Runs one trial on a span path; `rc` is its recorded config (its sim names the path). `variant` is for tests only. */
export function runSpanTrial(
  Sim: SpanSimClass,
  w: Wasm,
  spec: TrialSpec,
  rc: RecordedConfig,
  progress: StageProgress = NO_PROGRESS,
  variant: SpanVariant = SPAN_RIGHT,
): TrialRecord {
  // The soft family's PR comes from its profile (these paths never build the d x r V); solving it
  // first refuses a budget the family cannot meet before any simulation runs.
  const softPR =
    spec.config.sparsity === 'soft' ? softProfileOf(w, spec.config, false).solution.participationRatio : null;
  const mark = w.mark();
  try {
    const t0 = now();
    const sim = new Sim(w, spec, progress, variant);
    sim.stage2();
    const t1 = now();
    const relMse = sim.diverged ? null : sim.stage3();
    const t2 = now();
    const timings = { maskMs: 0, firstLayerMs: t1 - t0, readoutMs: t2 - t1 };
    return trialRecord(rc, w.sha, sim.metrics(relMse, softPR), sim.diverged, timings);
  } finally {
    w.reset(mark);
  }
}

/**
 * The direct path's metrics for a first layer W (m rows, stride ld) in a span basis with V's r
 * columns first: ‖P_V w_j‖ is the norm of w_j's first r coordinates; the dense mask is every coordinate.
 */
export function spanMetrics(
  w: Wasm,
  c: ValidTrialConfig,
  W: number,
  ld: number,
  diverged: Stage | null,
  relMse: number | null,
  softPR: number | null = null,
): TrialMetrics {
  let alignMax: number | null = null,
    alignMedian: number | null = null;
  if (!diverged) {
    const Wv = w.f32.subarray(W >>> 2, (W >>> 2) + c.m * ld);
    const a: number[] = [];
    for (let j = 0; j < c.m; j++) {
      let n2 = 0;
      for (let l = 0; l < c.r; l++) n2 += Wv[j * ld + l]! * Wv[j * ld + l]!;
      a.push(Math.sqrt(n2));
    }
    a.sort((x, y) => x - y);
    alignMax = a[a.length - 1]!;
    alignMedian = a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
  }
  const metrics: TrialMetrics = {
    relMse,
    alignMax,
    alignMedian,
    supportRecall: 1,
    supportPrecision: c.s / c.d,
    maskSize: c.d,
  };
  if (softPR !== null) {
    metrics.participationRatio = softPR;
    metrics.massInMask = 1; // the dense net reads every row of V
  }
  return metrics;
}

/**
 * A teacher over `dim` span coordinates: V is the identity on the first r coordinates, so
 * sampleRows labels a row u by σ*(u[0..r)) + τ·ε exactly as the real teacher labels x by σ*(Vᵀx) + τ·ε
 * (Vᵀx ~ N(0, I_r) for orthonormal V, whatever the sparsity family).
 */
export function spanTeacher(c: ValidTrialConfig, link: Link, dim: number): Teacher {
  const r = c.r;
  const I = new Float32Array(r * r);
  for (let l = 0; l < r; l++) I[l * r + l] = 1;
  const rows = Int32Array.from({ length: r }, (_, i) => i);
  return {
    config: {
      d: c.d,
      s: c.s,
      r,
      sparsity: c.sparsity,
      entries: c.entries,
      q: c.q,
      link: c.link,
      noise: c.noise,
      seed: c.seed,
    },
    d: dim,
    s: r,
    r,
    sparsity: c.sparsity,
    entries: c.entries,
    V: I,
    support: rows,
    rows,
    Vrows: I,
    terms: link.terms,
    kStar: link.kStar,
    link: link.canonical,
    gamma: null,
    lqTarget: null,
    lqSum: null,
    plateauScale: null,
    participationRatio: r,
  };
}

/**
 * The gradient's part outside the span of a step's rows, jointly over neurons (DESIGN §2.2b): its
 * coordinates on a new block of m directions are R·Lᵀ, with L·Lᵀ = CᵀC (CtC, f64 m x m) and R the
 * Bartlett factor with D degrees of freedom from `block` of `key`. They go into columns
 * [col, col + m) of G (f64, m rows, stride ldg). L, R (m x m) and work (2 m x m) are f64 scratch.
 */
export function outsideBlock(
  w: Wasm,
  q: {
    CtC: number;
    L: number;
    R: number;
    work: number;
    m: number;
    key: StreamKey;
    block: number;
    D: number;
    G: number;
    ldg: number;
    col: number;
  },
): void {
  const { m } = q;
  psdSqrt(w, q.CtC, m, q.L, q.work);
  bartlett(w, q.key, q.block, m, q.D, q.R);
  const Lv = w.copyF64(q.L, m * m),
    Rv = w.copyF64(q.R, m * m);
  const g = w.f64,
    G0 = q.G >>> 3;
  for (let j = 0; j < m; j++)
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let l = i; l < m; l++) s += Rv[i * m + l]! * Lv[j * m + l]!;
      g[G0 + j * q.ldg + q.col + i] = s;
    }
}

/**
 * The first layer at initialisation in a span basis (V's r columns, then one block of m): the b_j
 * and a_j of the direct path (init stream), and g_j = [A_j; R_j] with A (r x m) the Gaussian
 * coordinates along V and R the Bartlett factor of the complement's (d - r) x m Gaussian, from
 * block 0 of `key`; w_j = g_j / |g_j| into row j of W (row stride ld >= r + m, zero beyond r + m).
 */
export function initSpan(
  w: Wasm,
  c: ValidTrialConfig,
  key: StreamKey,
  W: number,
  ld: number,
  b: number,
  a: number,
): void {
  const { m, r } = c;
  const ikey = streamKey(c.seed, 'init');
  gaussFillCols(w, ikey, 0, m, { base: COORD_A, n: 1 }, b, 1);
  uniformFillCols(w, ikey, 0, m, { base: COORD_B, n: 1 }, a, 1);
  w.scoped(() => {
    const A = w.allocF32(r * m);
    gaussFillCols(w, key, 0, r, { base: 0, n: m }, A, m);
    const R = w.allocF64(m * m);
    bartlett(w, key, 0, m, c.d - r, R);
    const Av = w.f32.slice(A >>> 2, (A >>> 2) + r * m);
    const Rv = w.copyF64(R, m * m);
    const f = w.f32,
      W0 = W >>> 2;
    f.fill(0, W0, W0 + m * ld);
    const av = f.subarray(a >>> 2, (a >>> 2) + m);
    for (let j = 0; j < m; j++) {
      av[j] = av[j]! < 0.5 ? -1 : 1;
      let n2 = 0;
      for (let l = 0; l < r; l++) n2 += Av[l * m + j]! * Av[l * m + j]!;
      for (let i = 0; i <= j; i++) n2 += Rv[i * m + j]! * Rv[i * m + j]!;
      const norm = Math.sqrt(n2);
      for (let l = 0; l < r; l++) f[W0 + j * ld + l] = Av[l * m + j]! / norm;
      for (let i = 0; i <= j; i++) f[W0 + j * ld + r + i] = Rv[i * m + j]! / norm;
    }
  });
}
