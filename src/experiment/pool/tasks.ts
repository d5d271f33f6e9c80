// The tasks a prunelab worker ships with. `trial` is the one sweeps use: each worker creates its
// own lab once (compiling and instantiating the wasm once per worker) and runs lab.trial per job.
import type { TrialRequest } from '../design-search.js';
import type { TrialRecord } from '../../core/types.js';
import type { TaskFactory, TaskRegistry } from './protocol.js';
import type { TrialProgressListener } from '../../trial/progress.js';

/** The part of src/trial/lab.ts that the pool uses. */
export interface LabModule {
  createLab(): Promise<{ trial(config: TrialRequest, options?: { onProgress?: TrialProgressListener }): TrialRecord }>;
}

import * as lab from '../../trial/lab.js';

export function loadLabModule(): Promise<LabModule> {
  return Promise.resolve(lab as unknown as LabModule);
}

// A trial's progress crosses to the parent at most this often: enough for a progress line, and
// too rare to cost anything.
const PROGRESS_EVERY_MS = 500;

export const trialTask: TaskFactory<TrialRequest, TrialRecord> = async () => {
  const lab = await (await loadLabModule()).createLab();
  return (config, ctx) => {
    let last = 0;
    const onProgress: TrialProgressListener = (p) => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && p.fraction < 1) return;
      last = now;
      ctx.progress(p);
    };
    return lab.trial(config, { onProgress });
  };
};

export const shippedTasks: TaskRegistry = { trial: trialTask };
