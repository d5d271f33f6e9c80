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
import type { TrialSpec } from './config.js';
import type { StageProgress } from './progress.js';
import { subspaceDim } from './sim.js';
import { SpanSim, type SpanVariant } from './span-sim.js';
import type { Wasm } from '../wasm/index.js';
import { netStep } from '../kernels/net.js';

/** The span S grows by a block of m directions per step; W's stride is its final dimension K. */
export class SubspaceSim extends SpanSim {
  constructor(w: Wasm, spec: TrialSpec, progress: StageProgress, variant: SpanVariant) {
    super(w, spec, subspaceDim(spec.config), progress, variant, 'the span');
  }

  stage2(): void {
    const { c, w } = this;
    const K = this.ld;
    // S after step t has V's r coordinates, the init's block and t + 1 step blocks
    this.runSteps(
      K,
      (t) => c.r + c.m * (t + 1),
      () => (G) => netStep(w, { W: this.W, m: c.m, k: K, G, a: this.a, eta: c.eta }) === 0,
    );
  }
}
