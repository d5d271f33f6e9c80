// Sweeps: a preset (or any SweepSpec) expands deterministically into chains, one per (setting,
// method); a design (design.ts: adaptive, grid or search) turns each chain into a state machine of
// batches, and `driveChains` runs every chain concurrently over one trial runner (a worker pool,
// in-process, or job steps on a cluster). Chains are independent, so they share the runner; a
// chain decides its next batch only from the records of its earlier ones. Scheduling therefore
// never changes which trials run or what they return.
//
// Every trial is prepared once here (trial/prepare.ts: validated, its id, work and memory), and the
// runner gets the prepared trial; the id looks up resumed records, and the runner's record must
// carry the same id.
//
// Sharding (`shard: {index, count}`, CLI `--shard i/N`) by chain: chain k (in the deterministic
// order of expandSweep) belongs to shard k mod N. The adaptive and search designs decide each next
// batch from the earlier ones, so a chain cannot be split without changing which trials run; whole
// chains can. The grid design shards by trial instead (design-grid.ts).
import type { TrialProgressListener } from '../trial/progress.js';
import { ConfigError, checkInt, checkNumber, checkEnum } from '../core/errors.js';
import { AbortError } from './pool/errors.js';
import { canonicalJson } from '../core/hash.js';
import { PRESETS, PRESET_NAMES, preset, type Setting, type SweepSpec } from './presets.js';
import type { ChainSpec, SearchResult, TrialRequest } from './design-search.js';
import type { TaskPool } from './pool/pool.js';
import type { Method, TrialRecord } from '../core/types.js';
import { METHODS } from '../core/rules.js';
import { SIMS, type Sim } from '../trial/sim.js';
import { TEACHER_FIELDS, validateTeacherSpec } from '../trial/config.js';
import { prepareTrial, type PreparedTrial } from '../trial/prepare.js';

export type { SweepSpec, Setting, PresetName } from './presets.js';

export { METHODS };

// ---------------------------------------------------------------------------------------------
// Overrides and validation.

export interface SweepOverrides {
  d?: number[];
  methods?: Method[];
  seeds?: number;
  /** Each listed value replaces the alpha of every setting (a list crosses with the settings). */
  alpha?: number[];
  /** Each listed link replaces the link of every setting (a list crosses with the settings). */
  link?: string[];
  budget?: number;
  start?: number;
  /** The simulation for every setting (DESIGN §2.2b, §2.2c). */
  sim?: Sim;
}

export function presetSpec(name: string): SweepSpec {
  return preset(checkEnum('preset', name, PRESET_NAMES));
}

/** The spec with overrides applied; duplicate settings (after overriding) are dropped, keeping the first. */
export function applyOverrides(spec: SweepSpec, o: SweepOverrides): SweepSpec {
  const out: SweepSpec = structuredClone(spec);
  if (o.d) {
    out.d = [...o.d];
    delete out.extraD;
  }
  if (o.methods) out.methods = [...o.methods];
  if (o.seeds !== undefined) out.seeds = o.seeds;
  if (o.budget !== undefined) out.budget = o.budget;
  if (o.start !== undefined) out.start = o.start;
  let settings = out.settings;
  if (o.alpha) settings = settings.flatMap((s) => o.alpha!.map((alpha) => ({ ...s, alpha })));
  if (o.link) settings = settings.flatMap((s) => o.link!.map((link) => ({ ...s, link })));
  if (o.sim) {
    checkEnum('sim', o.sim, SIMS);
    settings = settings.map((s) => ({ ...s, sim: o.sim! }));
  }
  const seen = new Set<string>();
  out.settings = settings.filter((s) => {
    const k = canonicalJson(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  validateSweepSpec(out);
  return out;
}

export function validateSweepSpec(spec: SweepSpec): void {
  if (!Array.isArray(spec.settings) || spec.settings.length === 0)
    throw new ConfigError('settings', spec.settings, 'a non-empty list of settings');
  if (!Array.isArray(spec.methods) || spec.methods.length === 0)
    throw new ConfigError('methods', spec.methods, `a non-empty list of ${METHODS.join(', ')}`);
  for (const m of spec.methods) checkEnum('methods', m, METHODS);
  if (new Set(spec.methods).size !== spec.methods.length)
    throw new ConfigError('methods', spec.methods, 'distinct methods');
  checkDims('d', spec.d);
  for (const [m, ds] of Object.entries(spec.extraD ?? {})) {
    checkEnum('extraD', m, METHODS);
    checkDims(`extraD.${m}`, ds, true);
  }
  checkInt('seeds', spec.seeds, 1, 1000);
  checkNumber('budget', spec.budget, 32, Number.MAX_SAFE_INTEGER);
  if (spec.start !== undefined) checkNumber('start', spec.start, 32, Number.MAX_SAFE_INTEGER);
  const dMin = Math.min(...spec.d, ...Object.values(spec.extraD ?? {}).flat());
  for (const setting of spec.settings) settingTeacher(setting, dMin);
}

const TEACHER_KEYS = new Set(Object.keys(TEACHER_FIELDS));

/**
 * The teacher of a setting at one d, by the teacher validator (so a bad alpha, link or r is named
 * with the same message a trial would give): its s and k*, which theory needs at every d.
 */
function settingTeacher(setting: Setting, d: number): { d: number; s: number; kStar: number } {
  const teacher: Record<string, unknown> = { d };
  for (const [k, v] of Object.entries(setting)) if (TEACHER_KEYS.has(k)) teacher[k] = v;
  const t = validateTeacherSpec(teacher);
  return { d, s: t.config.s, kStar: t.link.kStar };
}

function checkDims(field: string, ds: unknown, allowEmpty = false): void {
  if (!Array.isArray(ds) || (!allowEmpty && ds.length === 0))
    throw new ConfigError(field, ds, 'a non-empty list of dimensions');
  for (const d of ds) checkInt(field, d, 2, 2 ** 24);
}

// ---------------------------------------------------------------------------------------------
// Expansion and sharding.

export interface ChainPlan {
  /** Position in the sweep's chain order (settings outer, methods inner); decides the shard. */
  index: number;
  method: Method;
  setting: Setting;
  /** A short human name for the setting, such as `alpha=0.25 link=he2`. */
  label: string;
  chain: ChainSpec;
  /** The teacher at each d of the chain (validated once here): s and k*, for theory. */
  teachers: readonly { d: number; s: number; kStar: number }[];
}

export function settingLabel(s: Setting): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** The chains of a sweep, in their one deterministic order. */
export function expandSweep(spec: SweepSpec): ChainPlan[] {
  validateSweepSpec(spec);
  const seeds = Array.from({ length: spec.seeds }, (_, i) => i + 1);
  const plans: ChainPlan[] = [];
  for (const setting of spec.settings) {
    for (const method of spec.methods) {
      const ds = [...new Set([...spec.d, ...(spec.extraD?.[method] ?? [])])].sort((a, b) => a - b);
      const chain: ChainSpec = { base: { ...structuredClone(setting), method }, ds, seeds, budget: spec.budget };
      if (spec.start !== undefined) chain.start = spec.start;
      const shared = [...new Set(spec.d)].sort((a, b) => a - b);
      if (spec.methods.length > 1 && shared.length >= 2 && shared.length < ds.length) chain.sharedDs = shared;
      plans.push({
        index: plans.length,
        method,
        setting: structuredClone(setting),
        label: settingLabel(setting),
        chain,
        teachers: ds.map((d) => settingTeacher(setting, d)),
      });
    }
  }
  return plans;
}

export interface Shard {
  /** 0-based: 0 <= index < count. */
  index: number;
  count: number;
}

/** Parses `i/N` (0-based i, as Slurm array and Kubernetes Indexed Job indices are). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new ConfigError('shard', text, 'i/N with 0 <= i < N, for example 0/4');
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  validateShard(shard);
  return shard;
}

export function validateShard(s: Shard): void {
  checkInt('shard count', s.count, 1, 1_000_000);
  checkInt('shard index', s.index, 0, s.count - 1);
}

/** The chains of one shard: chain k goes to shard k mod N. */
export function selectShard<T extends { index: number }>(plans: readonly T[], shard: Shard): T[] {
  validateShard(shard);
  return plans.filter((p) => p.index % shard.count === shard.index);
}

// ---------------------------------------------------------------------------------------------
// Running.

/** What runs trials for a sweep. */
export interface TrialRunner {
  /**
   * Runs one prepared trial; its record must carry `trial.id`. Several run concurrently; the record
   * must not depend on scheduling. Rejects with an AbortError if `signal` fires before the trial
   * starts. `onProgress` hears how far the trial is, now and then (a runner may never call it).
   */
  run(trial: PreparedTrial, opts?: TrialRunOptions): Promise<TrialRecord>;
}

export interface TrialRunOptions {
  signal?: AbortSignal;
  onProgress?: TrialProgressListener;
}

export interface SweepProgress {
  /** Trials finished in this run, trials taken from `existing`, and trials submitted but not finished. */
  done: number;
  resumed: number;
  running: number;
  /** An estimate of done + resumed + everything still to run (adaptive searches have no exact total). */
  estimatedTotal: number;
  searchesDone: number;
  searchesTotal: number;
  /** The batch most recently submitted. */
  current: { method: Method; label: string; d: number; n: number } | null;
  elapsedMs: number;
}

export interface RunSweepOptions {
  runner: TrialRunner;
  /** Called once per trial run in this sweep (not for resumed ones), as soon as it finishes. */
  onResult?: (record: TrialRecord, chain: ChainPlan) => void;
  onProgress?: (p: SweepProgress) => void;
  /** Stops the sweep: no new batch starts, queued trials are dropped, running trials finish and are reported. */
  signal?: AbortSignal;
  shard?: Shard;
  /** Records already made (resume): a trial whose id is here is not run again; its record decides its chain. */
  existing?: Iterable<TrialRecord>;
}

export interface SweepSearch extends SearchResult {
  label: string;
  setting: Setting;
  chainIndex: number;
}

export interface SweepResult {
  spec: SweepSpec;
  /** The design that placed the trials. */
  design: string;
  /** The chains this run covered (all of them, or one shard's). */
  chains: ChainPlan[];
  /** One result per (chain, d), in chain order then d order. */
  searches: SweepSearch[];
  trialsRun: number;
  trialsResumed: number;
  /** True when `signal` stopped the sweep before every search was decided. */
  aborted: boolean;
}

export { AbortError };
export function isAbortError(e: unknown): boolean {
  return (e as { name?: unknown } | null)?.name === 'AbortError';
}

/**
 * What a sweep drives: the trials of one (setting, method) over its dimensions, as a synchronous
 * state machine. `next()` names the next batch (null when the chain is finished), `report()` takes
 * that batch's records in order. Whatever the chain decides must be a pure function of the records
 * it was given, so scheduling never changes which trials run.
 */
export interface SweepChain {
  next(): TrialRequest[] | null;
  report(records: readonly TrialRecord[]): void;
  /** One result per d, in chain order. */
  results(): SearchResult[];
  /** A guess at the trials still to run, given the mean trials of a finished search (progress only). */
  remainingTrials(meanTrialsPerSearch: number): number;
}

/** A chain of a sweep with the plan it came from. */
export interface PlannedChain {
  plan: ChainPlan;
  chain: SweepChain;
}

/**
 * Runs `chains` concurrently over `opts.runner`: a chain waits for its whole batch before it decides
 * its next, and chains share the runner. Each trial is prepared once; records already in
 * `opts.existing` are reused by id, so a resumed sweep replays the same decisions. The first
 * failure stops the sweep (no new batch starts) and is thrown once the running trials settle.
 */
export async function driveChains(
  spec: SweepSpec,
  design: string,
  chains: readonly PlannedChain[],
  opts: RunSweepOptions,
): Promise<SweepResult> {
  const existing = new Map<string, TrialRecord>();
  for (const r of opts.existing ?? []) if (!existing.has(r.id)) existing.set(r.id, r);

  const inner = new AbortController();
  const forward = () => inner.abort();
  if (opts.signal?.aborted) inner.abort();
  else opts.signal?.addEventListener('abort', forward, { once: true });

  const t0 = Date.now();
  let done = 0,
    resumed = 0,
    running = 0,
    failure: unknown = null,
    failed = false;
  let current: SweepProgress['current'] = null;
  const trials = new Map<string, Promise<TrialRecord>>();
  const searchesTotal = chains.reduce((k, c) => k + c.plan.chain.ds.length, 0);

  const progress = () => {
    if (!opts.onProgress) return;
    const finished = chains.flatMap((c) => c.chain.results()).filter((r) => r.complete);
    const perSearch = finished.length ? finished.reduce((k, r) => k + r.trials, 0) / finished.length : 12;
    const remaining = chains.reduce((k, c) => k + c.chain.remainingTrials(perSearch), 0);
    opts.onProgress({
      done,
      resumed,
      running,
      estimatedTotal: Math.max(done + resumed + running, done + resumed + remaining),
      searchesDone: finished.length,
      searchesTotal,
      current,
      elapsedMs: Date.now() - t0,
    });
  };

  const runOne = (request: TrialRequest, plan: ChainPlan): Promise<TrialRecord> => {
    let trial: PreparedTrial;
    try {
      trial = prepareTrial(request);
    } catch (e) {
      return Promise.reject(e);
    }
    const old = existing.get(trial.id);
    if (old) {
      resumed++;
      return Promise.resolve(old);
    }
    let p = trials.get(trial.id);
    if (p) return p;
    running++;
    p = opts.runner
      .run(trial, { signal: inner.signal })
      .then((rec) => {
        if (rec.id !== trial.id)
          throw new Error(
            `the trial runner's record id ${rec.id} differs from the prepared trial's id ${trial.id}; resume and merge rely on them agreeing`,
          );
        done++;
        opts.onResult?.(rec, plan);
        return rec;
      })
      .finally(() => {
        running--;
        progress();
      });
    trials.set(trial.id, p);
    return p;
  };

  const runChain = async ({ plan, chain }: PlannedChain): Promise<void> => {
    for (;;) {
      if (inner.signal.aborted) return;
      const batch = chain.next();
      if (!batch) return;
      if (batch.length === 0) throw new Error(`a ${design} chain named an empty batch`);
      current = { method: plan.method, label: plan.label, d: batch[0]!.d!, n: batch[0]!.n! };
      const pending = batch.map((c) => runOne(c, plan));
      progress();
      const settled = await Promise.allSettled(pending);
      const bad = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (bad) {
        if (!(isAbortError(bad.reason) && inner.signal.aborted && !failed)) {
          if (!failed) {
            failed = true;
            failure = bad.reason;
          }
          inner.abort();
        }
        return;
      }
      chain.report(settled.map((s) => (s as PromiseFulfilledResult<TrialRecord>).value));
    }
  };

  try {
    await Promise.all(chains.map(runChain));
  } finally {
    opts.signal?.removeEventListener('abort', forward);
  }
  if (failed) throw failure;
  progress();
  const searches = chains.flatMap(({ plan, chain }) =>
    chain.results().map((r) => ({ ...r, label: plan.label, setting: plan.setting, chainIndex: plan.index })),
  );
  return {
    spec,
    design,
    chains: chains.map((c) => c.plan),
    searches,
    trialsRun: done,
    trialsResumed: resumed,
    aborted: searches.some((s) => !s.complete),
  };
}

/** The chains of `spec` (or of one shard), one per plan, made by `makeChain`: how the chain-sharded designs start. */
export function chainsByPlan(
  spec: SweepSpec,
  makeChain: (plan: ChainPlan) => SweepChain,
  shard?: Shard,
): PlannedChain[] {
  const all = expandSweep(spec);
  return (shard ? selectShard(all, shard) : all).map((plan) => ({ plan, chain: makeChain(plan) }));
}

export { PRESETS, PRESET_NAMES };

/** A TrialRunner over any pool whose task runs trials (the shipped `trial` task), sending each trial's validated config. */
export function poolTrialRunner(pool: TaskPool<TrialRequest, TrialRecord>): TrialRunner {
  return {
    run: (trial, o) =>
      pool.run(trial.spec.config, {
        ...(o?.signal ? { signal: o.signal } : {}),
        ...(o?.onProgress ? { onProgress: o.onProgress as (info: unknown) => void } : {}),
      }),
  };
}
