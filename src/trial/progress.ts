// How far a running trial is, for a progress line: the stage it is in and the fraction of its
// estimated work done. Stages report the fraction of their own rows; the stage weights come from
// the cost model (cost.ts) at fixed nominal rates, so the overall fraction is an estimate, but a
// monotone one that reaches 1. Reporting never changes a trial's bytes.
import { OPTIMISTIC_RATES, estimateSeconds, stageWork } from './cost.js';
import type { ValidTrialConfig } from './config.js';
import type { Stage } from '../core/types.js';

export interface TrialProgress {
  stage: Stage;
  /** Of the current stage's rows, 0..1. */
  stageFraction: number;
  /** Of the whole trial's estimated work, 0..1, never decreasing. */
  fraction: number;
}

export type TrialProgressListener = (p: TrialProgress) => void;

/** What a stage calls as it goes; a no-op when nobody listens. */
export type StageProgress = (stage: Stage, stageFraction: number) => void;

export const NO_PROGRESS: StageProgress = () => {};

const ORDER: readonly Stage[] = ['mask', 'first-layer', 'readout'];

export function stageProgress(c: ValidTrialConfig, listener: TrialProgressListener | undefined): StageProgress {
  if (!listener) return NO_PROGRESS;
  const work = stageWork(c);
  const seconds = ORDER.map((s) => estimateSeconds(work[s], OPTIMISTIC_RATES));
  const total = seconds.reduce((a, b) => a + b, 0);
  let last = 0;
  return (stage, stageFraction) => {
    const i = ORDER.indexOf(stage);
    const f = Math.min(1, Math.max(0, stageFraction));
    let done = 0;
    for (let j = 0; j < i; j++) done += seconds[j]!;
    const fraction = total > 0 ? Math.min(1, (done + f * seconds[i]!) / total) : 1;
    last = Math.max(last, fraction);
    listener({ stage, stageFraction: f, fraction: last });
  };
}
