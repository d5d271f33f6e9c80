// Running the paper's checklist: the experiments the chosen claims need, all at once over one
// trial runner (their chains share the workers, so a slow chain never leaves a core idle while
// another experiment waits), each record routed to its experiment; then every claim's verdict.
// Isomorphic: `prunelab paper` runs it on worker threads with files, the demo page on Web Workers.
import { ConfigError } from '../core/errors.js';
import type { TrialRecord } from '../core/types.js';
import { type ClaimResult, claimVerdict } from './claim-verdict.js';
import { CLAIMS, CLAIM_IDS, type ClaimDef, EXPERIMENTS, type Experiment, type Tier } from './claims.js';
import { adaptiveDesign, gridDesign } from './design.js';
import type { SweepSpec } from './presets.js';
import {
  type ChainPlan,
  type PlannedChain,
  type RunSweepOptions,
  type Shard,
  type SweepResult,
  driveChains,
} from './sweep.js';

/** The claims with these ids (all when empty), in registry order. */
export function selectClaims(ids: readonly string[] = []): ClaimDef[] {
  for (const id of ids)
    if (!CLAIM_IDS.includes(id)) throw new ConfigError('claim', id, `one of ${CLAIM_IDS.join(', ')}`);
  return CLAIMS.filter((c) => ids.length === 0 || ids.includes(c.id));
}

/** The experiments a set of claims needs at a tier, each once, in registry order. */
export function claimExperiments(claims: readonly ClaimDef[], tier: Tier): Experiment[] {
  const names = new Set(claims.flatMap((c) => c.experiments[tier]));
  return Object.values(EXPERIMENTS).filter((e) => names.has(e.name));
}

/** The chains of an experiment (one shard's share when `shard` is given; the grid shards by trial). */
export function experimentChains(e: Experiment, shard?: Shard): PlannedChain[] {
  const design =
    e.design === 'grid' ? gridDesign({ nMin: e.grid!.nMin, nMax: e.grid!.nMax }) : adaptiveDesign(e.adaptive);
  const spec: SweepSpec = e.grid ? { ...e.spec, seeds: e.grid.seeds } : e.spec;
  return design.chains(spec, shard);
}

export interface RunClaimsOptions extends Omit<RunSweepOptions, 'onResult' | 'existing'> {
  tier: Tier;
  /** Records already made, by experiment name (resume: a trial whose id is there is not run again). */
  existing?: Record<string, readonly TrialRecord[]>;
  /** Called once per trial run, with the experiment whose file it belongs in. */
  onResult?: (record: TrialRecord, experiment: Experiment) => void;
  /**
   * Stand-ins for some of the registry's experiments, by name (each must be one the claims need
   * at the tier): smaller versions for tests and smoke runs, whose records the claims then read
   * as if they were the registry's. Their verdicts are not the paper's; whoever passes them says so.
   */
  experiments?: readonly Experiment[];
}

/** The experiments the claims need at the tier, with `standIns` replacing those of the same name. */
export function experimentsToRun(
  claims: readonly ClaimDef[],
  tier: Tier,
  standIns: readonly Experiment[] = [],
): Experiment[] {
  const needed = claimExperiments(claims, tier);
  const names = needed.map((e) => e.name);
  for (const e of standIns)
    if (!names.includes(e.name))
      throw new ConfigError('experiments', e.name, `one the claims need at the ${tier} tier: ${names.join(', ')}`);
  return needed.map((e) => standIns.find((x) => x.name === e.name) ?? e);
}

/** Runs every experiment the claims need at `opts.tier` (or one shard of them) and returns the sweep's result. */
export function runClaimExperiments(claims: readonly ClaimDef[], opts: RunClaimsOptions): Promise<SweepResult> {
  const experiments = experimentsToRun(claims, opts.tier, opts.experiments);
  const owner = new Map<ChainPlan, Experiment>();
  const chains: PlannedChain[] = [];
  for (const e of experiments)
    for (const c of experimentChains(e, opts.shard)) {
      owner.set(c.plan, e);
      chains.push(c);
    }
  const spec: SweepSpec = {
    name: `paper-${opts.tier}`,
    summary: `the experiments of ${claims.map((c) => c.id).join(', ')}`,
    settings: experiments.flatMap((e) => e.spec.settings),
    methods: [...new Set(experiments.flatMap((e) => e.spec.methods))],
    d: [...new Set(experiments.flatMap((e) => e.spec.d))].sort((a, b) => a - b),
    seeds: 1,
    budget: Math.max(...experiments.map((e) => e.spec.budget)),
  };
  const { tier: _t, existing, onResult, experiments: _e, ...rest } = opts;
  return driveChains(spec, opts.tier === 'full' ? 'grid' : 'adaptive', chains, {
    ...rest,
    existing: Object.values(existing ?? {}).flat(),
    onResult: (r, plan) => onResult?.(r, owner.get(plan)!),
  });
}

/**
 * The verdict of each claim from the records at hand: its full-tier verdict when every full-tier
 * experiment of the claim has records, else its quick-tier verdict.
 */
export function claimResults(
  claims: readonly ClaimDef[],
  records: Record<string, readonly TrialRecord[]>,
): ClaimResult[] {
  return claims.map((c) => {
    const has = (names: readonly string[]) => names.length > 0 && names.every((n) => (records[n]?.length ?? 0) > 0);
    const tier: Tier = has(c.experiments.full) ? 'full' : 'quick';
    const recs = c.experiments[tier].flatMap((n) => records[n] ?? []);
    return claimVerdict(c, recs, tier);
  });
}

/** runClaimExperiments, then claimResults: the library's one call for the checklist. */
export async function runClaims(
  claims: readonly ClaimDef[],
  opts: RunClaimsOptions,
): Promise<{ results: ClaimResult[]; sweep: SweepResult; records: Record<string, TrialRecord[]> }> {
  const records: Record<string, TrialRecord[]> = {};
  for (const [k, v] of Object.entries(opts.existing ?? {})) records[k] = [...v];
  const sweep = await runClaimExperiments(claims, {
    ...opts,
    onResult: (r, e) => {
      (records[e.name] ??= []).push(r);
      opts.onResult?.(r, e);
    },
  });
  return { results: claimResults(claims, records), sweep, records };
}
