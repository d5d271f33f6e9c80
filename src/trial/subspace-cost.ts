// The cost of a span simulation trial (DESIGN §2.2b, §2.2c), for budgets: the direct path's cost
// per sample grows with d; the subspace path's with the span's dimension k = r + m(t+1) at step t,
// and the compact path's with k = r + m, neither with d.
import { compactDim, subspaceDim } from './sim.js';

interface CostShape {
  n: number;
  r: number;
  m: number;
  steps: number;
  n3: number;
  nTest: number;
}

/** Estimated floating-point operations of one subspace trial (stage 2, readout and test). */
export function subspaceFlops(c: CostShape): number {
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

/** Estimated floating-point operations of one compact trial (stage 2, readout and test). */
export function compactFlops(c: CostShape): number {
  const { m, steps } = c;
  const k = compactDim(c);
  const batch = steps > 0 ? Math.floor(c.n / steps) : 0;
  // per row as on the subspace path at k = r + m; per step the Jacobi square root, the Bartlett
  // draws and the re-orthonormalisation (Householder on m rows of 2m, about 4m³)
  const perStep = batch * (20 * k + 4 * k * m + 2 * m * m) + 44 * m * m * m + 30 * m * m;
  return steps * perStep + (c.n3 + c.nTest) * (20 * k + 2 * k * m);
}

// The d of a direct trial with the same cost per fresh sample (about d·(20 + 4m) flops each).
function directWidth(flops: (c: CostShape) => number, c: { r: number; m: number; steps: number }): number {
  const n = Math.max(1, c.steps) * 1e6;
  return flops({ ...c, n, n3: 0, nTest: 0 }) / n / (20 + 4 * c.m);
}

/**
 * The width a search's n·d cap should divide by for a subspace trial: the d of a direct trial with
 * the same cost per sample.
 */
export function subspaceCostWidth(c: { r: number; m: number; steps: number }): number {
  return directWidth(subspaceFlops, c);
}

/** The same for a compact trial (about 47 at the defaults, against about 180 on the subspace path). */
export function compactCostWidth(c: { r: number; m: number; steps: number }): number {
  return directWidth(compactFlops, c);
}
