// The tasks a prunelab worker ships with. `trial` is the one sweeps use: each worker creates its
// own lab once (compiling and instantiating the wasm once per worker) and runs lab.trial per job.
import type { TrialRequest } from '../search.js';
import type { TrialRecord } from '../../core/types.js';
import type { TaskFactory, TaskRegistry } from './protocol.js';

/** The part of src/lab.ts that the pool and the sweep use. */
export interface LabModule {
  createLab(): Promise<{ trial(config: TrialRequest): TrialRecord }>;
  /** The id lab.trial(config) puts in its record, without running it (a pure function of the config). */
  trialId(config: TrialRequest): string;
}

import * as lab from '../../trial/lab.js';

export function loadLabModule(): Promise<LabModule> {
  return Promise.resolve(lab as unknown as LabModule);
}

export const trialTask: TaskFactory<TrialRequest, TrialRecord> = async () => {
  const lab = await (await loadLabModule()).createLab();
  return (config) => lab.trial(config);
};

export const shippedTasks: TaskRegistry = { trial: trialTask };
