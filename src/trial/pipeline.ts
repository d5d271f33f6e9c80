// One trial (DESIGN §2.2), the three stages in order: stage 1 picks the mask (stage-mask.ts), stage
// 2 trains the first layer by masked spherical GD on the correlation loss (stage-first-layer.ts),
// stage 3 fits a ridge readout and scores a test set (stage-readout.ts). The config is validated
// once, into a TrialSpec, before any wasm call; every stage reads that spec and the teacher built
// from it, and calls kernels only through their wrappers in src/kernels/, which also split work
// over helper threads.
//
// Memory and bits. Rows are processed in blocks whose size depends only on the column count
// (layout.ts), reductions are added block by block in row order, and data are either kept
// (within the memory budget) or regenerated block by block: both give the same bytes, so neither
// the budget, the exact shortcut (rows.ts) nor the helper threads are part of a trial's id.
import { validateTrialSpec, type ValidTrialConfig } from './config.js';
import type { TrialContext } from './context.js';
import { blockRows, paddedStride } from './layout.js';
import { trialMetrics } from './metrics.js';
import { recordedConfig, trialRecord } from './record.js';
import { selectMask } from './stage-mask.js';
import { trainFirstLayer, type FirstLayerResult } from './stage-first-layer.js';
import { fitReadout } from './stage-readout.js';
import { buildTeacher } from './teacher.js';
import { runSubspaceTrial } from './subspace.js';
import { runCompactTrial } from './compact.js';
import { stageProgress, type TrialProgressListener } from './progress.js';
import { MemoryLimitError, WASM32_MAX_BYTES, type Wasm } from '../wasm/index.js';
import { haveHelpers, type Helpers } from '../kernels/helpers.js';
import type { Stage, TrialConfig, TrialRecord } from '../core/types.js';

const now = (): number => globalThis.performance.now();

/**
 * Runs one trial on an instance. Synchronous; the arena is reset afterwards. `onProgress` hears
 * the stage and the fraction done as the trial goes (for a progress line); it changes no byte.
 */
export function runTrial(
  w: Wasm,
  input: Partial<TrialConfig>,
  helpers: Helpers | null = null,
  onProgress?: TrialProgressListener,
): TrialRecord {
  const spec = validateTrialSpec(input);
  const rc = recordedConfig(spec);
  const progress = stageProgress(spec.config, onProgress);
  if (rc.sim === 'subspace') return runSubspaceTrial(w, spec, rc, progress);
  if (rc.sim === 'compact') return runCompactTrial(w, spec, rc, progress);
  checkMemory(spec.config);
  const mark = w.mark();
  try {
    const teacher = buildTeacher(w, spec.teacher);
    const ctx: TrialContext = {
      w,
      spec,
      c: spec.config,
      teacher,
      helpers: haveHelpers(helpers) ? helpers : null,
      progress,
    };
    let diverged: Stage | null = null;
    const t0 = now();
    const { mask, diverged: maskDiverged } = selectMask(ctx);
    if (maskDiverged) diverged = 'mask';
    const t1 = now();
    let first: FirstLayerResult | null = null,
      W: Float32Array | null = null;
    if (!diverged) {
      first = trainFirstLayer(ctx, mask);
      W = w.copyF32(first.net.W, first.net.m * first.net.k);
      if (first.diverged) diverged = 'first-layer';
    }
    const t2 = now();
    let relMse: number | null = null;
    if (!diverged && first) {
      relMse = fitReadout(ctx, first.net, mask);
      if (relMse === null) diverged = 'readout';
    }
    const t3 = now();
    const metrics = trialMetrics(teacher, spec.config.m, mask, W, relMse, diverged !== null);
    return trialRecord(rc, w.sha, metrics, diverged, { maskMs: t1 - t0, firstLayerMs: t2 - t1, readoutMs: t3 - t2 });
  } finally {
    w.reset(mark);
  }
}

// The largest buffers a trial needs whatever the budget: a block of dense rows and the
// stage-1 sums. Refused before any wasm call, with the size.
export function checkMemory(c: ValidTrialConfig): void {
  const dense = c.d;
  const blocks = blockRows(dense) * paddedStride(dense) * 4 * 2;
  const stage1 = c.method === 'gradmag' ? c.m * dense * (8 + 4 * 2) : c.K * dense * 8 + dense * 16;
  const weights = c.m * dense * 12;
  const total = blocks + stage1 + weights + c.d * c.r * 8;
  if (total >= WASM32_MAX_BYTES) throw new MemoryLimitError(total, `a trial at d = ${c.d} with method ${c.method}`);
}
