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
import type { TrialSpec } from './config.js';
import type { StageProgress } from './progress.js';
import { compactDim } from './sim.js';
import { SpanSim, type SpanVariant } from './span-sim.js';
import { triangulariseRows } from './compact-basis.js';
import type { Wasm } from '../wasm/index.js';
import { netStep } from '../kernels/net.js';

/** k = r + m coordinates throughout: the basis of span(V, W_t), re-formed after every step. */
export class CompactSim extends SpanSim {
  constructor(w: Wasm, spec: TrialSpec, progress: StageProgress, variant: SpanVariant) {
    // the complement's Bartlett block of the init has full rank m, so span(V, W_0) is all r + m coordinates
    super(w, spec, compactDim(spec.config), progress, variant, 'span(V, W)');
  }

  stage2(): void {
    const { c, w, ld: k } = this;
    const { m, r } = c;
    const wide = k + m; // A_t and the step's new block
    const p = wide - r;
    this.runSteps(
      wide,
      () => k,
      () => {
        const Wx = w.allocF32(m * wide, 'the first layer with the new block');
        const M = new Float64Array(m * p);
        return (G) => {
          const f = w.f32,
            W0 = this.W >>> 2,
            X0 = Wx >>> 2;
          for (let j = 0; j < m; j++) {
            for (let i = 0; i < k; i++) f[X0 + j * wide + i] = f[W0 + j * k + i]!;
            f.fill(0, X0 + j * wide + k, X0 + (j + 1) * wide);
          }
          if (netStep(w, { W: Wx, m, k: wide, G, a: this.a, eta: c.eta }) > 0) return false;
          // A_{t+1}: V's coordinates as they are, the rest rotated into m dimensions
          const fx = w.f32;
          for (let j = 0; j < m; j++) for (let i = 0; i < p; i++) M[j * p + i] = fx[X0 + j * wide + r + i]!;
          triangulariseRows(M, m, p);
          for (let j = 0; j < m; j++) {
            for (let l = 0; l < r; l++) fx[W0 + j * k + l] = fx[X0 + j * wide + l]!;
            for (let i = 0; i < m; i++) fx[W0 + j * k + r + i] = M[j * p + i]!;
          }
          return true;
        };
      },
    );
  }
}
