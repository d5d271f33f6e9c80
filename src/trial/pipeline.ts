// One trial (DESIGN §2.2), the three stages in order: stage 1 picks the mask (stage-mask.ts), stage
// 2 trains the first layer by masked spherical GD on the correlation loss (stage-first-layer.ts),
// stage 3 fits a ridge readout and scores a test set (stage-readout.ts). The config is prepared
// once (prepare.ts: validated, its id, work and memory) before any wasm call; every stage reads its
// spec and the teacher built from it, and calls kernels only through their wrappers in
// src/kernels/, which also split work over helper threads.
//
// Memory and bits. Rows are processed in blocks whose size depends only on the column count
// (layout.ts), reductions are added block by block in row order, and data are either kept
// (within the memory budget) or regenerated block by block: both give the same bytes, so neither
// the budget, the exact shortcut (rows.ts) nor the helper threads are part of a trial's id.
import { prepareTrial, type PreparedTrial } from './prepare.js';
import { checkMemory } from './memory.js';
import type { TrialContext } from './context.js';
import { trialMetrics } from './metrics.js';
import { trialRecord } from './record.js';
import { selectMask } from './stage-mask.js';
import { trainFirstLayer, type FirstLayerResult } from './stage-first-layer.js';
import { fitReadout } from './stage-readout.js';
import { buildTeacher } from './teacher.js';
import { SubspaceSim } from './subspace.js';
import { CompactSim } from './compact.js';
import { runSpanTrial } from './span-sim.js';
import { stageProgress, type TrialProgressListener } from './progress.js';
import type { Wasm } from '../wasm/index.js';
import { haveHelpers, type Helpers } from '../kernels/helpers.js';
import type { Stage, TrialConfig, TrialRecord } from '../core/types.js';

const now = (): number => globalThis.performance.now();

/**
 * Runs one trial on an instance. Synchronous; the arena is reset afterwards. `onProgress` hears
 * the stage and the fraction done as the trial goes (for a progress line); it changes no byte.
 */
export function runTrial(
  w: Wasm,
  input: Partial<TrialConfig> | PreparedTrial,
  helpers: Helpers | null = null,
  onProgress?: TrialProgressListener,
): TrialRecord {
  const prepared = prepareTrial(input);
  const { spec, recorded: rc } = prepared;
  const progress = stageProgress(spec.config, onProgress);
  checkMemory(prepared);
  if (rc.sim === 'subspace') return runSpanTrial(SubspaceSim, w, spec, rc, progress);
  if (rc.sim === 'compact') return runSpanTrial(CompactSim, w, spec, rc, progress);
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
