// The wasm memory a trial's largest buffers need whatever its memory budget (kept rows beyond the
// budget are regenerated, so they do not count): a block of rows, the stage-1 sums, the weights and
// V. A trial that needs more than wasm32's 4 GiB is refused before any wasm call, with the size.
import type { ValidTrialConfig } from './config.js';
import { blockRows, paddedStride } from './layout.js';
import { resolveSim, subspaceDim } from './sim.js';
import { MemoryLimitError, WASM32_MAX_BYTES } from '../wasm/index.js';

export function trialMemoryBytes(c: ValidTrialConfig): number {
  // the span simulations work in r + 2m (compact) or K (subspace) coordinates and never form a d-sized buffer
  const sim = resolveSim(c);
  const direct = sim === 'direct';
  const k = direct ? c.d : sim === 'compact' ? c.r + 2 * c.m : subspaceDim(c);
  const blocks = blockRows(k) * paddedStride(k) * 4 * 2;
  const stage1 = !direct ? 0 : c.method === 'gradmag' ? c.m * k * (8 + 4 * 2) : c.K * k * 8 + k * 16;
  const weights = c.m * k * 12;
  return blocks + stage1 + weights + (direct ? c.d * c.r * 8 : 0);
}

/** Refuses (MemoryLimitError) a trial whose buffers do not fit in wasm32. */
export function checkMemory(p: { spec: { config: ValidTrialConfig }; memoryBytes: number }): void {
  if (p.memoryBytes >= WASM32_MAX_BYTES)
    throw new MemoryLimitError(p.memoryBytes, `a trial at d = ${p.spec.config.d} with method ${p.spec.config.method}`);
}
