// The record of one trial (DESIGN §4): the config as recorded (what determines the result and
// nothing else), its id, and the record that joins them to the metrics. A record's config runs
// the same trial again (trialInputOf).
import type { TrialSpec } from './config.js';
import { canonicalJson, sha256 } from '../core/hash.js';
import { VERSION } from '../core/version.js';
import { resolveSim } from './sim.js';
import type { RecordedConfig, Stage, TrialConfig, TrialMetrics, TrialRecord } from '../core/types.js';
import { ALIGN_SUCCESS, SUCCESS_REL_MSE } from '../core/rules.js';

/** The config as recorded: what determines the result, and nothing else. */
export function recordedConfig(spec: TrialSpec): RecordedConfig {
  const { config: c, n1, n2 } = spec;
  const { link } = spec.teacher;
  return {
    d: c.d,
    s: c.s,
    alpha: c.alpha ?? null,
    r: c.r,
    sparsity: c.sparsity,
    entries: c.entries,
    q: c.sparsity === 'exact' ? null : c.q,
    ...(c.sparsity === 'soft' ? { gamma: c.gamma! } : {}),
    link: link.canonical,
    kStar: link.kStar,
    noise: c.noise,
    method: c.method,
    n: c.n,
    n1,
    n2,
    n3: c.n3,
    nTest: c.nTest,
    m: c.m,
    steps: c.steps,
    eta: c.eta === Infinity ? 'inf' : c.eta,
    batch: c.batch,
    sim: resolveSim(c),
    K: c.K,
    c: c.c,
    readoutBiases: c.readoutBiases,
    split: c.split,
    seed: c.seed,
  };
}

/** The trial input that reproduces a recorded config: derived fields dropped, eta 'inf' back to Infinity. */
export function trialInputOf(rc: RecordedConfig): Partial<TrialConfig> {
  const { kStar: _k, n1: _n1, n2: _n2, s, alpha, q, eta, ...rest } = rc;
  return {
    ...rest,
    ...(alpha === null ? { s } : { alpha }),
    ...(q === null ? {} : { q }),
    eta: eta === 'inf' ? Infinity : eta,
  };
}

/** The id of a recorded config: the first 16 hex digits of the SHA-256 of its canonical JSON. */
export function idOf(rc: RecordedConfig): string {
  return sha256(canonicalJson(rc)).slice(0, 16);
}

/** Wall time per stage, in ms. */
export interface StageTimings {
  maskMs: number;
  firstLayerMs: number;
  readoutMs: number;
}

/** The record of a finished trial: success is relMse < 0.2, alignSuccess alignMax > 0.95 (DESIGN §2.2). */
export function trialRecord(
  rc: RecordedConfig,
  wasmSha: string,
  metrics: TrialMetrics,
  diverged: Stage | null,
  timings: StageTimings,
): TrialRecord {
  return {
    id: idOf(rc),
    version: VERSION,
    wasmSha,
    config: rc,
    metrics,
    success: !diverged && metrics.relMse !== null && metrics.relMse < SUCCESS_REL_MSE,
    alignSuccess: !diverged && metrics.alignMax !== null && metrics.alignMax > ALIGN_SUCCESS,
    diverged,
    timings: {
      maskMs: round3(timings.maskMs),
      firstLayerMs: round3(timings.firstLayerMs),
      readoutMs: round3(timings.readoutMs),
    },
  };
}

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;
