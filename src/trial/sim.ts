// Which simulation runs a trial (DESIGN §2.2b, §2.2c). The dense learner (`none`) on fresh batches
// is rotation invariant, so it can be simulated exactly on coordinates in a subspace instead of
// all d:
// - subspace (§2.2b): the span S of V and every direction any step added, of dimension at most
//   K = r + m(T+1); it needs d >= K (the last step's complement must hold a new block of m).
// - compact (§2.2c): only A_t = span(V, W_t), of dimension at most r + m, re-orthonormalised after
//   every step inside the (r + 2m)-dimensional space of A_t and the step's new block; it needs
//   d >= r + 2m (the complement of A_t must hold that block).
// `auto` takes the compact path where it applies and d >= 2(r + 2m), the factor of 2 the subspace
// path had on K; it never takes the subspace path, which stays selectable as a cross-check. Below
// that d the direct path costs within about 3x of the compact one (d normals and 4dm FLOPs per
// sample against r + m normals and 4(r + m)m + 2m^2 FLOPs), a few milliseconds per trial, and needs
// no argument to trust it. At the defaults (r = 1, m = 32) that is d >= 130, so the d = 64 dense
// fresh golden record stays direct.
import type { Method, Batch } from '../core/types.js';

export type Sim = 'auto' | 'direct' | 'subspace' | 'compact';
export const SIMS: readonly Sim[] = ['auto', 'direct', 'subspace', 'compact'];

/** K = r + m(T+1): the largest dimension of S. */
export function subspaceDim(c: { r: number; m: number; steps: number }): number {
  return c.r + c.m * (c.steps + 1);
}

/** r + m: the dimension of the compact path's basis of span(V, W) (V's r columns, then m for W). */
export function compactDim(c: { r: number; m: number }): number {
  return c.r + c.m;
}

/** The margin auto asks for on top of the compact path's d >= r + 2m: d >= COMPACT_AUTO_MARGIN * (r + 2m). */
export const COMPACT_AUTO_MARGIN = 2;

interface SimShape {
  method: Method;
  batch: Batch;
  d: number;
  r: number;
  m: number;
  steps: number;
}

// What both span simulations need: a rotation-invariant learner on data it sees once.
function spanRefusal(c: SimShape, what: string): string | null {
  if (c.method !== 'none')
    return `method "none": the ${what} simulation needs a rotation-invariant learner, and method ${c.method} uses a mask`;
  if (c.batch !== 'fresh')
    return `batch "fresh": with reused batches a sample's part outside the span is seen again at later steps, so it is not independent of the weights`;
  return null;
}

/** Why the subspace path cannot run this config, or null when it can. */
export function subspaceRefusal(c: SimShape): string | null {
  const why = spanRefusal(c, 'subspace');
  if (why) return why;
  const K = subspaceDim(c);
  if (c.d < K)
    return `d >= K = r + m(T+1) = ${K}: at d = ${c.d} the complement of the span cannot hold the m = ${c.m} new directions of the last step`;
  return null;
}

/** Why the compact path cannot run this config, or null when it can. */
export function compactRefusal(c: SimShape): string | null {
  const why = spanRefusal(c, 'compact');
  if (why) return why;
  const need = c.r + 2 * c.m;
  if (c.d < need)
    return `d >= r + 2m = ${need}: at d = ${c.d} the complement of span(V, W) cannot hold the m = ${c.m} new directions of a step`;
  return null;
}

/** The simulation that runs: `auto` resolved. */
export function resolveSim(c: SimShape & { sim: Sim }): 'direct' | 'subspace' | 'compact' {
  if (c.sim !== 'auto') return c.sim;
  return compactRefusal(c) === null && c.d >= COMPACT_AUTO_MARGIN * (c.r + 2 * c.m) ? 'compact' : 'direct';
}
