// The grid of a scaling line μ = c + b·u, u = x − x̄, evaluated against per-d log-likelihoods of μ
// held on one uniform μ grid: the inner loop of the joint fit (stats/joint-fit.ts) and of the line
// check (stats/line-check.ts). With c on a multiple of the μ step, the interpolation weights are
// the same along a row, so a row is a shifted, weighted sum of two arrays.
import type { MuGrid } from './psychometric-grid.js';

/**
 * Σ_d log M_d(c_i + b_j·u_d) for c_i = cLo + i·stride·grid.step, b_j = bLo + j·bStep, into
 * out[j·nc + i]; M_d is flat beyond the grid, and read only where the lines reach (and at its ends).
 */
export function evaluateLines(
  logM: readonly Float64Array[],
  u: readonly number[],
  grid: MuGrid,
  cLo: number,
  stride: number,
  nc: number,
  bLo: number,
  bStep: number,
  nb: number,
  out: Float64Array,
): void {
  out.fill(0, 0, nc * nb);
  const G = grid.count,
    h = grid.step;
  for (let d = 0; d < u.length; d++) {
    const M = logM[d]!;
    const first = M[0]!,
      last = M[G - 1]!;
    for (let j = 0; j < nb; j++) {
      const s0 = (cLo + (bLo + j * bStep) * u[d]! - grid.lo) / h;
      const k0 = Math.floor(s0);
      const f = s0 - k0,
        g = 1 - f;
      const row = j * nc;
      // i with 0 <= k0 + i·stride <= G - 2 read inside the grid; the rest is flat beyond its ends
      const iA = Math.min(nc, Math.max(0, Math.ceil(-k0 / stride)));
      const iB = Math.max(iA, Math.min(nc, Math.floor((G - 2 - k0) / stride) + 1));
      for (let i = 0; i < iA; i++) out[row + i]! += first;
      for (let i = iA, k = k0 + iA * stride; i < iB; i++, k += stride) out[row + i]! += g * M[k]! + f * M[k + 1]!;
      for (let i = iB; i < nc; i++) out[row + i]! += last;
    }
  }
}

/** The grid indices [from, to] (clamped) that lines c + b·u, c in [c0, c1], b in [b0, b1], read on a grid. */
export function reachOf(grid: MuGrid, c0: number, c1: number, b0: number, b1: number, u: number): [number, number] {
  const lo = c0 + Math.min(b0 * u, b1 * u),
    hi = c1 + Math.max(b0 * u, b1 * u);
  const last = grid.count - 1;
  return [
    Math.max(0, Math.min(last, Math.floor((lo - grid.lo) / grid.step))),
    Math.max(0, Math.min(last, Math.ceil((hi - grid.lo) / grid.step) + 1)),
  ];
}
