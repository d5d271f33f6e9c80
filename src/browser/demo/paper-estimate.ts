// How long the paper view's run takes, said before it starts. The adaptive design decides each
// next trial from the records, so the trials are not known in advance; what is known is what the
// same experiments cost when they last ran (the same trials: the design is deterministic). These
// are the figures of one `prunelab paper --tier quick --workers 2` run in Node from a fresh clone
// (2026-12-06, this build's designs: the adaptive design on b with the shared-d target, k3-fresh at
// 32 trials per d), on an idle 2-core machine: the trials, the compute they took (the sum of the records' stage timings)
// and the slowest chain's own time (each chain runs its batches of 2 one after another, so no
// worker count makes the run shorter than that). Re-measure after a change to the designs or the
// pipeline.
import { formatDuration } from '../../core/duration.js';

export interface ExperimentCost {
  trials: number;
  /** Σ over its trials of the stage timings: what one core spends on it. */
  coreSeconds: number;
  /** The longest chain's time when each of its batches runs on enough workers. */
  longestChainSeconds: number;
}

export const MEASURED_COST: Readonly<Record<string, ExperimentCost>> = {
  k2: { trials: 126, coreSeconds: 51, longestChainSeconds: 21 },
  k3: { trials: 230, coreSeconds: 524, longestChainSeconds: 253 },
  multi: { trials: 312, coreSeconds: 150, longestChainSeconds: 39 },
  alpha: { trials: 330, coreSeconds: 24, longestChainSeconds: 11 },
  'alpha-high': { trials: 146, coreSeconds: 332, longestChainSeconds: 149 },
  soft: { trials: 238, coreSeconds: 26, longestChainSeconds: 7 },
  'k3-fresh': { trials: 96, coreSeconds: 888, longestChainSeconds: 444 },
  controls: { trials: 138, coreSeconds: 66, longestChainSeconds: 18 },
};

export interface RunEstimate {
  trials: number;
  coreSeconds: number;
  /** The wall time with `workers` workers (0: one thread, the page's own). */
  seconds: number;
}

/**
 * The estimate for running these experiments on `workers` workers; null when one has no measured
 * cost, or when they are stand-ins (whose names are the registry's but whose cost is not).
 */
export function estimateRun(experiments: readonly string[], workers: number, standIns = false): RunEstimate | null {
  if (standIns) return null;
  const costs = experiments.map((e) => MEASURED_COST[e]);
  if (costs.some((c) => c === undefined)) return null;
  const trials = costs.reduce((k, c) => k + c!.trials, 0);
  const coreSeconds = costs.reduce((k, c) => k + c!.coreSeconds, 0);
  const longest = Math.max(0, ...costs.map((c) => c!.longestChainSeconds));
  return { trials, coreSeconds, seconds: Math.max(coreSeconds / Math.max(1, workers), longest) };
}

/** "about 300 trials, about 5.4 min of one core's compute: about 2.7 min on 2 workers". */
export function estimateText(e: RunEstimate, workers: number): string {
  const on = workers === 0 ? 'in the page (no workers)' : `on ${workers} worker${workers === 1 ? '' : 's'}`;
  return `about ${Math.round(e.trials / 10) * 10} trials and ${formatDuration(e.coreSeconds * 1000, 'approx')} of one core's compute: about ${formatDuration(e.seconds * 1000, 'approx')} ${on}`;
}
