// The shapes every layer agrees on: teacher and trial configs, and the result record (DESIGN §4).
// Defaults and validation live in config.ts; this file holds types only.

/** A 64-bit stream key as two u32 halves, the form kernels take (made in trial/streams.ts). */
export interface StreamKey {
  readonly lo: number;
  readonly hi: number;
}

/** `exact` (l0), `lq` (one power law, exponent solved), `soft` (a plateau and a power-law tail i^-gamma, DESIGN §2.1). */
export type Sparsity = 'exact' | 'lq' | 'soft';
/** Entries of an `exact` V: flat (+-1/sqrt(s_l) per column) or Gaussian, then orthonormalised. */
export type Entries = 'flat' | 'gaussian';
export type Method = 'none' | 'oracle' | 'random' | 'hermite' | 'hermite-thr' | 'gradmag';
export type Batch = 'reuse' | 'fresh';
export type Stage = 'mask' | 'first-layer' | 'readout';

/** One term of a link: coef * prod_l h_{degrees[l]}(z_l), with normalised Hermite h_k. */
export interface LinkTerm {
  coef: number;
  degrees: number[];
}

export interface TeacherConfig {
  d: number;
  /** s = round(d^alpha); give alpha or s. */
  alpha?: number;
  s?: number;
  r: number;
  sparsity: Sparsity;
  entries: Entries;
  /** The q of the lq and soft families' l_q budget (0 < q < 2). */
  q: number;
  /** The soft family's tail exponent, in (1/q, 16]; 3/(2q) when absent. Only for sparsity `soft`. */
  gamma?: number;
  /** A link expression (`he2`, `0.8*he2+0.6*he4`, `sum-he2`, `prod2`) or explicit terms. */
  link: string | LinkTerm[];
  /** Label noise standard deviation tau. */
  noise: number;
  seed: number;
}

export interface TrialConfig extends TeacherConfig {
  method: Method;
  /** Sample budget n (stages 1 and 2; stage 3 and the test set are extra). */
  n: number;
  /** Fraction of n given to stage 1 by the data-driven masks (hermite, hermite-thr, gradmag). */
  split: number;
  /** Readout samples n3 and test samples. */
  n3: number;
  nTest: number;
  /** Neurons m, GD steps T, step size eta (Infinity = normalised gradient), batching. */
  m: number;
  steps: number;
  eta: number;
  batch: Batch;
  /** Hermite degrees K of the mask score, and the threshold constant c of hermite-thr. */
  K: number;
  c: number;
  /** Readout biases per neuron R. */
  readoutBiases: number;
  /** Which simulation runs (DESIGN §2.2b, §2.2c): auto, direct, or an exact span simulation of `none` on fresh batches. */
  sim: 'auto' | 'direct' | 'subspace' | 'compact';
  /** Execution options: they never change a result, so they are not part of the trial id. */
  memoryBudget: number;
  shortcut: boolean;
}

export interface TrialMetrics {
  relMse: number | null;
  alignMax: number | null;
  alignMedian: number | null;
  supportRecall: number;
  supportPrecision: number;
  maskSize: number;
  /**
   * Soft family only (absent otherwise): the participation ratio of V, (sum_i ||V_i||^2)^2 / sum_i ||V_i||^4
   * (for r = 1, ||v||_2^4 / ||v||_4^4), and the share of ||V||^2 on the mask's rows (1 for the dense net).
   */
  participationRatio?: number;
  massInMask?: number;
}

/** The config as recorded: derived values resolved, execution options dropped, eta as 'inf' or a number. */
export interface RecordedConfig {
  d: number;
  s: number;
  alpha: number | null;
  r: number;
  sparsity: Sparsity;
  entries: Entries;
  q: number | null;
  /** The soft family's tail exponent; the key is present for sparsity `soft` only. */
  gamma?: number;
  link: string;
  kStar: number;
  noise: number;
  method: Method;
  n: number;
  n1: number;
  n2: number;
  n3: number;
  nTest: number;
  m: number;
  steps: number;
  eta: number | 'inf';
  batch: Batch;
  /** The simulation that ran: auto resolved. */
  sim: 'direct' | 'subspace' | 'compact';
  K: number;
  c: number;
  readoutBiases: number;
  split: number;
  seed: number;
}

export interface TrialRecord {
  id: string;
  version: string;
  wasmSha: string;
  config: RecordedConfig;
  metrics: TrialMetrics;
  /** relMse < 0.2 (DESIGN §2.2). */
  success: boolean;
  /** alignMax > 0.95, the second criterion. */
  alignSuccess: boolean;
  diverged: Stage | null;
  timings: { maskMs: number; firstLayerMs: number; readoutMs: number };
}
