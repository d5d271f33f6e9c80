// The dense learner (`none`) on fresh batches, simulated exactly on coordinates in A_t = span(V, W_t)
// (DESIGN §2.2c). With fresh batches the update W_{t+1} = F(W_t, V, fresh data) is rotation
// equivariant and the data are isotropic, so the law of (V, W_{t+1}) up to a joint rotation depends
// only on the Gram matrix of (V, W_t): a step needs a sample's coordinates in A_t and nothing else.
// A trial costs O(n·(r + m)·m) whatever d is.
//
// The state is W in an orthonormal basis of A_t with V's r columns first, then m more: k = r + m
// coordinates throughout. A step draws its rows' k coordinates, takes the in-span gradient and the
// part outside A_t as a new block of m coordinates, R·Lᵀ with R Bartlett of d − k degrees of
// freedom, exactly as the subspace path does (§2.2b); then the spherical step in the r + 2m
// coordinates, and the weights' part outside V is rotated into m of its dimensions
// (compact-basis.ts) and the rest forgotten. V's coordinates of W are never touched by that
// rotation, so the alignment reads them as they came out of the step.
//
// Streams as on the subspace path: rows from the stage-2, readout and test streams over
// coordinates [0, k) with the direct path's labels; b and a from the init stream; V's part of the
// init and every Bartlett factor from the `subspace` stream (block 0: init, block t + 1: step t).
// So the initial weights are the subspace path's, and with T = 1 so are the weights after the step.
import type { TrialSpec, ValidTrialConfig } from './config.js';
import { trialRecord } from './record.js';
import { streamKey, type StreamKey } from './streams.js';
import { sampleRows, softProfileOf, type Teacher } from './teacher.js';
import { countingRows, readoutOn, type RowBlock } from './stage-readout.js';
import { NO_PROGRESS, type StageProgress } from './progress.js';
import { compactDim } from './sim.js';
import { initSpan, outsideBlock, spanMetrics, subspaceTeacher } from './subspace.js';
import { triangulariseRows } from './compact-basis.js';
import type { Wasm } from '../wasm/index.js';
import { subGrad, subGradScratchBytes } from '../kernels/subspace.js';
import { netStep } from '../kernels/net.js';
import type { RecordedConfig, Stage, TrialMetrics, TrialRecord } from '../core/types.js';

// rows per gradient call: one chunk of the row generator (the subGrad kernel's limit)
const BLOCK = 1024;

const now = (): number => globalThis.performance.now();

/**
 * FOR TESTS ONLY: a deliberately wrong variant of the simulation, so a test can show that its
 * statistics reject one (the power of test/compact.test.ts). `stepDof: 'd'` draws each step's
 * Bartlett factor with D = d degrees of freedom instead of d − k. No config field, CLI flag or
 * library entry reaches this: runTrial always runs RIGHT, and only a test that calls
 * runCompactTrial directly can pass another variant.
 */
export interface CompactVariant {
  readonly stepDof: 'd-k' | 'd';
}
const RIGHT: CompactVariant = { stepDof: 'd-k' };

/** Runs one trial on the compact path; `rc` is its recorded config (sim: 'compact'). `variant` is for tests only. */
export function runCompactTrial(
  w: Wasm,
  spec: TrialSpec,
  rc: RecordedConfig,
  progress: StageProgress = NO_PROGRESS,
  variant: CompactVariant = RIGHT,
): TrialRecord {
  // as on the subspace path: the soft family's PR from its profile, which also refuses a budget
  // the family cannot meet before the simulation runs
  const softPR =
    spec.config.sparsity === 'soft' ? softProfileOf(w, spec.config, false).solution.participationRatio : null;
  const mark = w.mark();
  try {
    const t0 = now();
    const sim = new CompactSim(w, spec, progress, variant);
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

class CompactSim {
  diverged: Stage | null = null;
  /** k = r + m: the dimension of the basis of span(V, W) and the row stride of W. */
  readonly k: number;
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
    private readonly variant: CompactVariant,
  ) {
    const c = spec.config;
    this.c = c;
    this.n2 = spec.n2;
    this.k = compactDim(c);
    this.T = subspaceTeacher(c, spec.teacher.link, this.k);
    this.key = streamKey(c.seed, 'subspace');
    const { m } = c;
    this.W = w.allocF32(m * this.k, `the first layer in span(V, W) (${m} x ${this.k})`);
    this.b = w.allocF32(m);
    this.a = w.allocF32(m);
    // the complement's Bartlett block of the init has full rank m, so span(V, W_0) is all r + m coordinates
    initSpan(w, c, this.key, this.W, this.k, this.b, this.a);
  }

  stage2(): void {
    const { c, w, k } = this;
    const { m, r } = c;
    if (c.steps === 0) return;
    const wide = k + m; // A_t and the step's new block
    const batch = Math.floor(this.n2 / c.steps);
    const key = streamKey(c.seed, 'stage2');
    w.scoped(() => {
      const G = w.allocF64(m * wide, 'the gradient');
      const Wx = w.allocF32(m * wide, 'the first layer with the new block');
      const CtC = w.allocF64(m * m),
        L = w.allocF64(m * m),
        R = w.allocF64(m * m),
        work = w.allocF64(2 * m * m);
      const U = w.allocF32(BLOCK * k, 'a block of rows in span(V, W)'),
        y = w.allocF32(BLOCK);
      const scratch = w.alloc(subGradScratchBytes(w, k, m), 'gradient scratch');
      const p = wide - r;
      const M = new Float64Array(m * p);
      for (let step = 0; step < c.steps; step++) {
        w.f64.fill(0, G >>> 3, (G >>> 3) + m * wide);
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
            ldw: k,
            b: this.b,
            a: this.a,
            N: batch,
            G,
            ldg: wide,
            CtC,
            scratch,
          });
          this.progress('first-layer', (step + (t + nb) / batch) / c.steps);
        }
        // the gradient outside A_t: its coordinates on the new block are R·Lᵀ, R Bartlett(d − k)
        const D = this.variant.stepDof === 'd' ? c.d : c.d - k;
        outsideBlock(w, { CtC, L, R, work, m, key: this.key, block: step + 1, D, G, ldg: wide, col: k });
        const f = w.f32,
          W0 = this.W >>> 2,
          X0 = Wx >>> 2;
        for (let j = 0; j < m; j++) {
          for (let i = 0; i < k; i++) f[X0 + j * wide + i] = f[W0 + j * k + i]!;
          f.fill(0, X0 + j * wide + k, X0 + (j + 1) * wide);
        }
        const bad = netStep(w, { W: Wx, m, k: wide, G, a: this.a, eta: c.eta });
        if (bad > 0) {
          this.diverged = 'first-layer';
          return;
        }
        // A_{t+1}: V's coordinates as they are, the rest rotated into m dimensions
        const fx = w.f32;
        for (let j = 0; j < m; j++) for (let i = 0; i < p; i++) M[j * p + i] = fx[X0 + j * wide + r + i]!;
        triangulariseRows(M, m, p);
        for (let j = 0; j < m; j++) {
          for (let l = 0; l < r; l++) fx[W0 + j * k + l] = fx[X0 + j * wide + l]!;
          for (let i = 0; i < m; i++) fx[W0 + j * k + r + i] = M[j * p + i]!;
        }
      }
      const Wv = w.f32.subarray(this.W >>> 2, (this.W >>> 2) + m * k);
      for (let i = 0; i < Wv.length; i++)
        if (!Number.isFinite(Wv[i]!)) {
          this.diverged = 'first-layer';
          return;
        }
    });
  }

  /** Stage 3 as the direct path runs it (stage-readout.ts), on rows of span(V, W) in the final basis. */
  stage3(): number | null {
    const { c, w, k } = this;
    const coords = { base: 0, n: k };
    const rows: RowBlock = (key, t, nb, X, y) => sampleRows(w, this.T, key, t, nb, coords, X, k, y);
    const rel = readoutOn(w, c, k, this.W, countingRows(rows, c, this.progress));
    if (rel === null) this.diverged = 'readout';
    return rel;
  }

  metrics(relMse: number | null, softPR: number | null): TrialMetrics {
    return spanMetrics(this.w, this.c, this.W, this.k, this.diverged, relMse, softPR);
  }
}
