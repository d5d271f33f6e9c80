// The dense learner (`none`) on fresh batches, simulated exactly in the span S of V and the
// weights (DESIGN §2.2b). Nothing of size d is formed: a trial costs O(n·K·m) for K = r + m(T+1),
// and its rows are streamed in blocks, so memory does not grow with n either.
//
// Coordinates are in an implicit orthonormal basis of S: V's r columns first, then a block of m
// directions made at initialisation, then one block per GD step. A fresh sample x is, in law,
// u ~ N(0, I_k) in S (k = dim S now) plus an independent part outside S. Its labels read u[0..r)
// (V's coordinates), the network reads u, and the part outside S enters only through the
// gradient's component outside S: jointly over neurons Σ_b x⊥_b c_bᵀ, distributed as Q·R·Lᵀ with
// L·Lᵀ = CᵀC, Q a uniform orthonormal m-frame of the complement and R Bartlett with D = d − k.
// Q is the new basis block, so the new coordinates of the gradient are R·Lᵀ.
//
// Streams: the rows u come from the stage-2, readout and test streams over coordinates [0, k), and
// their labels from the same noise coordinate as the direct path; b and a from the init stream as
// the direct path draws them; V's part of the init and every Bartlett factor from the `subspace`
// stream (block 0: init, block t + 1: step t). So a trial is a pure function of (config, seed).
import type { TrialSpec, ValidTrialConfig } from './config.js';
import type { Link } from './link.js';
import { trialRecord } from './record.js';
import { COORD_A, COORD_B, streamKey, type StreamKey } from './streams.js';
import { sampleRows, softProfileOf, type Teacher } from './teacher.js';
import { countingRows, readoutOn, type RowBlock } from './stage-readout.js';
import { NO_PROGRESS, type StageProgress } from './progress.js';
import { subspaceDim } from './sim.js';
import type { Wasm } from '../wasm/index.js';
import { gaussFillCols, uniformFillCols } from '../kernels/gauss.js';
import { bartlett, psdSqrt, subGrad, subGradScratchBytes } from '../kernels/subspace.js';
import { netStep } from '../kernels/net.js';
import type { RecordedConfig, Stage, TrialMetrics, TrialRecord } from '../core/types.js';

// The direct path's reserved coordinates of the init and readout streams (pipeline.ts): the same
// b_j, a_j and readout signs and biases for a seed on either path.
const BLOCK = 1024;

const now = (): number => globalThis.performance.now();

/**
 * A teacher over `dim` subspace coordinates: V is the identity on the first r coordinates, so
 * sampleRows labels a row u by σ*(u[0..r)) + τ·ε exactly as the real teacher labels x by σ*(Vᵀx) + τ·ε
 * (Vᵀx ~ N(0, I_r) for orthonormal V, whatever the sparsity family).
 */
export function subspaceTeacher(c: ValidTrialConfig, link: Link, dim = subspaceDim(c)): Teacher {
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
 * FOR TESTS ONLY: a deliberately wrong variant of the simulation, so a test can show that its
 * statistics reject one (the power of test/subspace.test.ts). `stepDof: 'd'` draws each step's
 * Bartlett factor with D = d degrees of freedom instead of d − k. No config field, CLI flag or
 * library entry reaches this: runTrial always runs RIGHT, and only a test that calls
 * runSubspaceTrial directly can pass another variant.
 */
export interface SubspaceVariant {
  readonly stepDof: 'd-k' | 'd';
}
const RIGHT: SubspaceVariant = { stepDof: 'd-k' };

/** Runs one trial on the subspace path; `rc` is its recorded config (sim: 'subspace'). `variant` is for tests only. */
export function runSubspaceTrial(
  w: Wasm,
  spec: TrialSpec,
  rc: RecordedConfig,
  progress: StageProgress = NO_PROGRESS,
  variant: SubspaceVariant = RIGHT,
): TrialRecord {
  // The soft family's PR comes from its profile (this path never builds the d x r V); solving it
  // first refuses a budget the family cannot meet before any simulation runs.
  const softPR =
    spec.config.sparsity === 'soft' ? softProfileOf(w, spec.config, false).solution.participationRatio : null;
  const mark = w.mark();
  try {
    const t0 = now();
    const sim = new SubspaceSim(w, spec, progress, variant);
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

class SubspaceSim {
  diverged: Stage | null = null;
  /** K, the final dimension of S and the row stride of W and G. */
  readonly K: number;
  readonly W: number;
  readonly b: number;
  readonly a: number;
  private readonly T: Teacher;
  private readonly key: StreamKey;

  private readonly c: ValidTrialConfig;
  private readonly n2: number;

  constructor(
    private readonly w: Wasm,
    spec: TrialSpec,
    private readonly progress: StageProgress,
    private readonly variant: SubspaceVariant,
  ) {
    const c = spec.config;
    this.c = c;
    this.n2 = spec.n2;
    this.K = subspaceDim(c);
    this.T = subspaceTeacher(c, spec.teacher.link);
    this.key = streamKey(c.seed, 'subspace');
    const { m } = c;
    const K = this.K;
    this.W = w.allocF32(m * K, `the first layer in the span (${m} x ${K})`);
    this.b = w.allocF32(m);
    this.a = w.allocF32(m);
    initSpan(w, c, this.key, this.W, K, this.b, this.a);
  }

  stage2(): void {
    const { c, w, K } = this;
    const { m, r } = c;
    if (c.steps === 0) return;
    const n2 = this.n2;
    const batch = Math.floor(n2 / c.steps);
    const key = streamKey(c.seed, 'stage2');
    w.scoped(() => {
      const G = w.allocF64(m * K, 'the gradient');
      const CtC = w.allocF64(m * m),
        L = w.allocF64(m * m),
        R = w.allocF64(m * m),
        work = w.allocF64(2 * m * m);
      const U = w.allocF32(BLOCK * K, 'a block of rows in the span'),
        y = w.allocF32(BLOCK);
      const scratch = w.alloc(subGradScratchBytes(w, K, m), 'gradient scratch');
      for (let step = 0; step < c.steps; step++) {
        const k = r + m * (step + 1);
        w.f64.fill(0, G >>> 3, (G >>> 3) + m * K);
        w.f64.fill(0, CtC >>> 3, (CtC >>> 3) + m * m);
        const r0 = step * batch;
        for (let t = 0; t < batch; t += BLOCK) {
          const nb = Math.min(BLOCK, batch - t);
          sampleRows(w, this.T, key, r0 + t, nb, { base: 0, n: k }, U, k, y);
          subGrad(w, {
            U,
            rows: nb,
            k,
            y,
            W: this.W,
            m,
            ldw: K,
            b: this.b,
            a: this.a,
            N: batch,
            G,
            ldg: K,
            CtC,
            scratch,
          });
          this.progress('first-layer', (step + (t + nb) / batch) / c.steps);
        }
        // the gradient outside S: its coordinates on the new block are R·Lᵀ, R Bartlett(d − k)
        const D = this.variant.stepDof === 'd' ? c.d : c.d - k;
        outsideBlock(w, { CtC, L, R, work, m, key: this.key, block: step + 1, D, G, ldg: K, col: k });
        const bad = netStep(w, { W: this.W, m, k: K, G, a: this.a, eta: c.eta });
        if (bad > 0) {
          this.diverged = 'first-layer';
          return;
        }
      }
      const Wv = w.f32.subarray(this.W >>> 2, (this.W >>> 2) + m * K);
      for (let i = 0; i < Wv.length; i++)
        if (!Number.isFinite(Wv[i]!)) {
          this.diverged = 'first-layer';
          return;
        }
    });
  }

  /** Stage 3 as the direct path runs it (stage-readout.ts), on rows of the span. */
  stage3(): number | null {
    const { c, w, K } = this;
    const coords = { base: 0, n: K };
    const rows: RowBlock = (key, t, nb, X, y) => sampleRows(w, this.T, key, t, nb, coords, X, K, y);
    const rel = readoutOn(w, c, K, this.W, countingRows(rows, c, this.progress));
    if (rel === null) this.diverged = 'readout';
    return rel;
  }

  /** The metrics of the span paths (spanMetrics), with the soft teacher's PR when it has one. */
  metrics(relMse: number | null, softPR: number | null): TrialMetrics {
    return spanMetrics(this.w, this.c, this.W, this.K, this.diverged, relMse, softPR);
  }
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
