// A trial validated once, with everything a caller asks before running it: the spec the stages
// read, the config its record will carry, its id, its work and its memory. lab.trial, the trial
// runners of a sweep, the id and the memory and compute checks all take this value, so a trial
// is validated once where it is planned and once where it runs (another thread receives a plain
// config and prepares it again; nothing else re-validates).
import { validateTrialSpec, type TrialSpec } from './config.js';
import { idOf, recordedConfig } from './record.js';
import { trialWork, type TrialWork } from './cost.js';
import { trialMemoryBytes } from './memory.js';
import type { RecordedConfig } from '../core/types.js';

export interface PreparedTrial {
  readonly spec: TrialSpec;
  /** The config as the record will state it (auto resolved, derived fields filled). */
  readonly recorded: RecordedConfig;
  /** The record's id: a hash of `recorded`. */
  readonly id: string;
  /** The work the trial will do on the path it resolves to (the --max-hours estimate counts it). */
  readonly work: TrialWork;
  /** The wasm memory its largest buffers need whatever the memory budget (refused beyond wasm32). */
  readonly memoryBytes: number;
}

// Only values made here count as prepared: a copy (a structured clone sent to a worker, a JSON
// round trip) is a plain config again and is validated where it arrives.
const PREPARED = new WeakSet<object>();

/** Validates `input` once and returns the prepared trial (frozen). Throws ConfigError on bad input. */
export function prepareTrial(input: unknown): PreparedTrial {
  if (isPreparedTrial(input)) return input;
  const spec = validateTrialSpec(input);
  const recorded = recordedConfig(spec);
  const prepared: PreparedTrial = Object.freeze({
    spec,
    recorded,
    id: idOf(recorded),
    work: trialWork(spec.config),
    memoryBytes: trialMemoryBytes(spec.config),
  });
  PREPARED.add(prepared);
  return prepared;
}

export function isPreparedTrial(x: unknown): x is PreparedTrial {
  return typeof x === 'object' && x !== null && PREPARED.has(x);
}

/** The id of the trial a config describes: a hash of the canonical recorded config (seed included). */
export function trialId(input: unknown): string {
  return prepareTrial(input).id;
}
