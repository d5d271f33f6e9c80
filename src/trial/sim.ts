// Which simulation runs a trial (DESIGN §2.2b). The dense learner (`none`) on fresh batches is
// rotation invariant, so it can be simulated exactly in the span S of V and the weights, of
// dimension at most K = r + m(T+1); that needs d >= K (the last step's complement must hold a new
// block of m directions). `auto` takes the subspace path where it is exact and cheaper, with
// d >= 2K: below that the direct path costs about as much and needs no argument to trust it.
import type { Method, Batch } from '../core/types.js';

export type Sim = 'auto' | 'direct' | 'subspace';
export const SIMS: readonly Sim[] = ['auto', 'direct', 'subspace'];

/** K = r + m(T+1): the largest dimension of S. */
export function subspaceDim(c: { r: number; m: number; steps: number }): number {
  return c.r + c.m * (c.steps + 1);
}

/** The margin auto asks for on top of d >= K: d >= AUTO_MARGIN * K. */
export const AUTO_MARGIN = 2;

/** Why the subspace path cannot run this config, or null when it can. */
export function subspaceRefusal(c: {
  method: Method;
  batch: Batch;
  d: number;
  r: number;
  m: number;
  steps: number;
}): string | null {
  if (c.method !== 'none')
    return `method "none": the subspace simulation needs a rotation-invariant learner, and method ${c.method} uses a mask`;
  if (c.batch !== 'fresh')
    return `batch "fresh": with reused batches a sample's part outside the span is seen again at later steps, so it is not independent of the weights`;
  const K = subspaceDim(c);
  if (c.d < K)
    return `d >= K = r + m(T+1) = ${K}: at d = ${c.d} the complement of the span cannot hold the m = ${c.m} new directions of the last step`;
  return null;
}

/** The simulation that runs: `auto` resolved. */
export function resolveSim(c: {
  sim: Sim;
  method: Method;
  batch: Batch;
  d: number;
  r: number;
  m: number;
  steps: number;
}): 'direct' | 'subspace' {
  if (c.sim !== 'auto') return c.sim;
  return subspaceRefusal(c) === null && c.d >= AUTO_MARGIN * subspaceDim(c) ? 'subspace' : 'direct';
}
