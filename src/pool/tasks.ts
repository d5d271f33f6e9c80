// The tasks a prunelab worker ships with. `trial` is the one sweeps use: each worker creates its
// own lab once (compiling and instantiating the wasm once per worker) and runs lab.trial per job.
import type { TrialRequest } from '../search.js';
import type { TrialRecord } from '../types.js';
import type { TaskFactory, TaskRegistry } from './protocol.js';

/** The part of src/lab.ts that the pool and the sweep use. */
export interface LabModule {
  createLab(): Promise<{ trial(config: TrialRequest): TrialRecord }>;
  /** The id lab.trial(config) puts in its record, without running it (a pure function of the config). */
  trialId(config: TrialRequest): string;
}

// WIRE(lab): src/lab.ts is written on another branch. Until it is merged this module is loaded
// by a computed specifier, so this branch type-checks without it; once it is merged, replace the
// body with a static `import * as lab from '../lab.js'` and return it (bundlers need the static form).
const LAB_MODULE = '../lab.js';
let labModule: Promise<LabModule> | undefined;
export function loadLabModule(): Promise<LabModule> {
  labModule ??= (import(LAB_MODULE) as Promise<LabModule>).catch((e: unknown) => {
    labModule = undefined;
    const code = (e as { code?: string } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes('lab.js')) {
      throw new Error('prunelab: the trial pipeline (src/lab.ts) is not part of this build yet; sweeps need it to run trials');
    }
    throw e;
  });
  return labModule;
}

export const trialTask: TaskFactory<TrialRequest, TrialRecord> = async () => {
  const lab = await (await loadLabModule()).createLab();
  return (config) => lab.trial(config);
};

export const shippedTasks: TaskRegistry = { trial: trialTask };
