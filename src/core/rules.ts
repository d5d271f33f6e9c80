// The rules every layer shares, each defined here once: which learners exist, and when a trial
// counts as a success (DESIGN §2.2). The trial records apply the thresholds, the analysis reads the
// flags, and the CLI, the report and the demo print the same numbers from these constants.
import type { Method } from './types.js';

/** Every first-layer mask strategy (DESIGN §2.2, stage 1), in the order the docs list them. */
export const METHODS: readonly Method[] = ['none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'];

/**
 * The pruned learners of the paper's claims: masks chosen from data by the Hermite score. Every
 * comparison "pruned against dense" (Δb, ratios, verdicts) takes its pruned side from this list.
 */
export const PRUNED_LEARNERS: readonly Method[] = ['hermite', 'hermite-thr'];

/** The dense, rotation-invariant baseline every pruned learner is compared with. */
export const DENSE_LEARNER: Method = 'none';

/** Methods that spend part of n on a data-driven stage 1 (the pruned learners and the gradmag control). */
export const DATA_DRIVEN: readonly Method[] = [...PRUNED_LEARNERS, 'gradmag'];

/** A trial succeeds when its test relative MSE is below this (DESIGN §2.2). */
export const SUCCESS_REL_MSE = 0.2;

/** The second criterion: the best neuron's alignment max_j ‖P_V w_j‖ is above this. */
export const ALIGN_SUCCESS = 0.95;
