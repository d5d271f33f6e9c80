// The cost of a subspace trial (DESIGN §2.2b), for budgets: the direct path's cost per sample
// grows with d, this path's with the span's dimension k = r + m(t+1) at step t and not with d.
import { subspaceDim } from './sim.js';

/** Estimated floating-point operations of one subspace trial (stage 2, readout and test). */
export function subspaceFlops(c: {
  n: number;
  r: number;
  m: number;
  steps: number;
  n3: number;
  nTest: number;
}): number {
  const { m, r, steps } = c;
  const K = subspaceDim(c);
  const batch = steps > 0 ? Math.floor(c.n / steps) : 0;
  let flops = 0;
  for (let t = 0; t < steps; t++) {
    const k = r + m * (t + 1);
    // per row: k normals (~20 flops each), X·Wᵀ and Dᵀ·U (2km each), Dᵀ·D (2m²)
    flops += batch * (20 * k + 4 * k * m + 2 * m * m);
    flops += 40 * m * m * m + 30 * m * m; // Jacobi square root (a few sweeps) and the Bartlett draws
  }
  return flops + (c.n3 + c.nTest) * (20 * K + 2 * K * m);
}

/**
 * The width a search's n·d cap should divide by for a subspace trial: the d of a direct trial with
 * the same cost per sample (direct: about d·(20 + 4m) flops per fresh sample).
 */
export function subspaceCostWidth(c: { r: number; m: number; steps: number }): number {
  const per = subspaceFlops({ ...c, n: Math.max(1, c.steps) * 1e6, n3: 0, nTest: 0 }) / (Math.max(1, c.steps) * 1e6);
  return per / (20 + 4 * c.m);
}
