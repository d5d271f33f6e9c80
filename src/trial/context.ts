// What every stage of one trial reads: the instance, the spec validated once (src/trial/config.ts),
// the teacher built from it, and the helper threads the kernel wrappers may split calls over.
import type { TrialSpec, ValidTrialConfig } from './config.js';
import type { Teacher } from './teacher.js';
import type { Wasm } from '../wasm/index.js';
import type { Helpers } from '../kernels/helpers.js';
import type { StageProgress } from './progress.js';

export interface TrialContext {
  readonly w: Wasm;
  readonly spec: TrialSpec;
  /** spec.config, the field every stage reads most. */
  readonly c: ValidTrialConfig;
  readonly teacher: Teacher;
  /** Handed to the kernel wrappers, never used by a stage itself; null runs everything on this thread. */
  readonly helpers: Helpers | null;
  /** Told how far each stage is; never changes what a stage computes. */
  readonly progress: StageProgress;
}
