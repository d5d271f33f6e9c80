// Records of two builds in one results file (DESIGN §3, "Compatible builds"). Every record names
// the build that made it (version and wasm SHA). A build change need not change a single record
// (a comment reflowed, a version bump), so records of another build are accepted when this build,
// replaying a sample of them, makes the same bytes; otherwise the two builds are never mixed.
//
// The sample, deterministic in the records' ids and configs (never their timings): the trials are
// grouped by code path (method, simulation); each path offers its cheapest quarter (at least
// REPLAY_SAMPLE trials; cost from the compute model of trial/cost.ts at its pessimistic rates), and
// the picks go in an order set by a hash of the file's ids, one path at a time before any path
// twice, so a file of dense and pruned trials has both replayed. Cheap trials are an honest choice
// only for what they exercise: a change confined to what only costly trials run (a kernel's tail
// at large d, the threads build) can pass unseen, as can a record outside the sample.
import { sha256 } from '../core/hash.js';
import type { RecordedConfig, TrialRecord } from '../core/types.js';
import { MAX_SEED, validateConfig } from '../trial/config.js';
import { PESSIMISTIC_RATES, estimateSeconds, trialWork } from '../trial/cost.js';
import { trialInputOf } from '../trial/record.js';
import { diffApartFromTimings } from './results.js';

/** What a record says made it. */
export interface Build {
  version: string;
  wasmSha: string;
}

/** Trials replayed per other build. */
export const REPLAY_SAMPLE = 3;

/** Runs the trial a recorded config describes, on this build. */
export type Replay = (config: RecordedConfig) => TrialRecord | Promise<TrialRecord>;

export const sameBuild = (a: Build, b: Build): boolean => a.version === b.version && a.wasmSha === b.wasmSha;

export const describeBuild = (b: Build): string => `prunelab ${b.version} (wasm ${b.wasmSha.slice(0, 12)})`;

const buildOf = (r: TrialRecord): Build => ({ version: r.version, wasmSha: r.wasmSha });

/** The builds `records` come from, in order of first appearance, each with its records. */
export function recordsByBuild(records: readonly TrialRecord[]): { build: Build; records: TrialRecord[] }[] {
  const groups = new Map<string, { build: Build; records: TrialRecord[] }>();
  for (const r of records) {
    const key = `${r.version}\n${r.wasmSha}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { build: buildOf(r), records: [] }));
    g.records.push(r);
  }
  return [...groups.values()];
}

/** A record as two builds must agree on it: its JSON without the fields a build may change without changing a result. */
export function comparableJson(r: TrialRecord): string {
  const { timings: _t, version: _v, wasmSha: _w, ...rest } = r;
  return JSON.stringify(rest);
}

/** Where a replayed record differs from the recorded one, or null when they agree byte for byte (timings, version and wasmSha aside). */
export function replayDifference(recorded: TrialRecord, replayed: TrialRecord): string | null {
  if (comparableJson(recorded) === comparableJson(replayed)) return null;
  const strip = (r: TrialRecord) => ({ ...r, version: '', wasmSha: '' });
  return diffApartFromTimings(strip(recorded), strip(replayed)) ?? 'the order of its fields';
}

/** The pessimistic estimate of a recorded trial's time on this build, in seconds. */
export const replaySeconds = (rc: RecordedConfig): number =>
  estimateSeconds(trialWork(validateConfig(trialInputOf(rc))), PESSIMISTIC_RATES);

/** A record whose config this build refuses. */
export class RefusedConfig extends Error {
  constructor(
    readonly record: TrialRecord,
    readonly refusal: Error,
  ) {
    super(refusal.message);
  }
}

/**
 * Every record's replaySeconds, validating each config on this build (a RefusedConfig when one
 * fails). Configs that differ only in a seed in [0, MAX_SEED] are validated once: such a seed is
 * valid with any config, and the cost does not depend on it (10^4 records: ~2 s validated one by one).
 */
export function replayCosts(records: readonly TrialRecord[]): Map<TrialRecord, number> {
  const byClass = new Map<string, number>();
  const out = new Map<TrialRecord, number>();
  for (const r of records) {
    const seed = r.config.seed;
    const key = JSON.stringify(
      Number.isSafeInteger(seed) && seed >= 0 && seed <= MAX_SEED ? { ...r.config, seed: 0 } : r.config,
    );
    let s = byClass.get(key);
    if (s === undefined) {
      try {
        s = replaySeconds(r.config);
      } catch (e) {
        throw new RefusedConfig(r, e as Error);
      }
      byClass.set(key, s);
    }
    out.set(r, s);
  }
  return out;
}

/**
 * The trials of one build's records to replay (see the file comment): deterministic in the
 * records' ids and configs, whatever their timings. Throws a RefusedConfig for a config this
 * build refuses.
 */
export function replaySample(
  records: readonly TrialRecord[],
  k = REPLAY_SAMPLE,
  costs = replayCosts(records),
): TrialRecord[] {
  const path = (r: TrialRecord) => `${r.config.method}\n${r.config.sim}`;
  const byPath = new Map<string, { r: TrialRecord; s: number }[]>();
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const list = byPath.get(path(r)) ?? [];
    list.push({ r, s: costs.get(r)! });
    byPath.set(path(r), list);
  }
  const pool: TrialRecord[] = [];
  for (const list of byPath.values()) {
    list.sort((a, b) => a.s - b.s || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0));
    pool.push(...list.slice(0, Math.max(k, Math.ceil(list.length / 4))).map((c) => c.r));
  }
  const seed = sha256(records.map((r) => r.id).join('\n'));
  const order = pool
    .map((r) => ({ r, h: sha256(`${seed}\n${r.id}`) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .map((x) => x.r);
  const picked: TrialRecord[] = [];
  const paths = new Set<string>();
  for (const r of order) {
    if (picked.length < k && !paths.has(path(r))) {
      picked.push(r);
      paths.add(path(r));
    }
  }
  for (const r of order) if (picked.length < k && !picked.includes(r)) picked.push(r);
  return picked;
}

/** How this build checked another's records: what the results file's note of compatible builds records. */
export interface BuildCheck {
  /** The build that replayed (this one). */
  by: Build;
  /** The build whose records were replayed, and how many records of it the file held. */
  of: Build;
  records: number;
  replayed: { id: string; method: string; d: number; n: number; sim: string }[];
  /** The replays' estimate at pessimistic rates, and their measured time. */
  estimatedSeconds: number;
  seconds: number;
  compared: string;
}

export const COMPARED =
  'each replayed record equals the recorded one byte for byte (JSON), apart from timings, version and wasmSha';

export type BuildVerdict =
  | { ok: true; checks: BuildCheck[] }
  | { ok: false; of: Build; records: number; total: number; reason: string };

export interface CheckBuildsOptions {
  /** Told before each build's replays start, with their estimate. */
  onReplay?: (of: Build, sample: readonly TrialRecord[], estimatedSeconds: number) => void;
}

/**
 * Whether `records` may sit in one file with this build's: every record of another build has a
 * config this build accepts, and a sample of each other build's trials replays byte for byte.
 * Replays run one after another, in the order of the sample.
 */
export async function checkBuilds(
  records: readonly TrialRecord[],
  build: Build,
  replay: Replay,
  opts: CheckBuildsOptions = {},
): Promise<BuildVerdict> {
  const checks: BuildCheck[] = [];
  for (const group of recordsByBuild(records)) {
    if (sameBuild(group.build, build)) continue;
    const refuse = (reason: string): BuildVerdict => ({
      ok: false,
      of: group.build,
      records: group.records.length,
      total: records.length,
      reason,
    });
    let costs: Map<TrialRecord, number>;
    try {
      costs = replayCosts(group.records);
    } catch (e) {
      if (!(e instanceof RefusedConfig)) throw e;
      return refuse(`this build refuses the config of its trial ${e.record.id}: ${e.message}`);
    }
    const sample = replaySample(group.records, REPLAY_SAMPLE, costs);
    const estimatedSeconds = sample.reduce((s, r) => s + costs.get(r)!, 0);
    opts.onReplay?.(group.build, sample, estimatedSeconds);
    const t0 = performance.now();
    for (const r of sample) {
      let again: TrialRecord;
      try {
        again = await replay(r.config);
      } catch (e) {
        return refuse(`this build failed to replay its trial ${r.id}: ${(e as Error).message}`);
      }
      const where = replayDifference(r, again);
      if (where !== null)
        return refuse(
          `its trial ${r.id} (${r.config.method}, d = ${r.config.d}, n = ${r.config.n}), replayed by this build, differs at ${where}`,
        );
    }
    checks.push({
      by: build,
      of: group.build,
      records: group.records.length,
      replayed: sample.map((r) => ({
        id: r.id,
        method: r.config.method,
        d: r.config.d,
        n: r.config.n,
        sim: r.config.sim,
      })),
      estimatedSeconds,
      seconds: (performance.now() - t0) / 1000,
      compared: COMPARED,
    });
  }
  return { ok: true, checks };
}
