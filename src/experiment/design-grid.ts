// The fixed-grid design of DESIGN §2.4, for clusters: every (setting, learner, d, n, replicate)
// trial is known up front, so `--shard i/N` splits at the level of trials (trial k of the one
// deterministic order goes to shard k mod N) for any N, and merge + fit of the N files equal one
// unsharded run record for record.
//
// The cells: for each (setting, method) and each of its d, every √2-grid n with
// nMin <= n <= min(nMax, budget/d), and `seeds` replicates per cell. Every trial has its own
// seed, 1 + rep + seeds·j (j the grid index of n), so trials at different n are independent, as
// the psychometric fit assumes (stats/psychometric.ts).
import { checkNumber } from '../core/errors.js';
import { GRID_MAX_INDEX, gridN } from '../stats/n-grid.js';
import { nStarOfPoints, pointSucceeds } from '../stats/grid-rule.js';
import type { SearchResult, TrialRequest } from './design-search.js';
import { type ChainPlan, type PlannedChain, type Shard, type SweepChain, expandSweep, validateShard } from './sweep.js';
import type { SweepSpec } from './presets.js';
import type { TrialRecord } from '../core/types.js';

export interface GridDesign {
  /** The smallest and largest n of every cell row (default 32 and 2^17), further capped by budget/d. */
  nMin?: number;
  nMax?: number;
}

export interface GridTrial {
  /** Position in the sweep's one trial order; decides the shard. */
  index: number;
  chain: ChainPlan;
  request: TrialRequest & { d: number; n: number; seed: number };
}

const GRID_DEFAULT_N_MAX = 2 ** 17;

/** The grid's n range, checked: nMin in [32, 2^53), nMax at least nMin. */
export function validateGridDesign(design: GridDesign = {}): Required<GridDesign> {
  const nMin = checkNumber('n-min', design.nMin ?? 32, 32, Number.MAX_SAFE_INTEGER);
  const nMax = checkNumber('n-max', design.nMax ?? GRID_DEFAULT_N_MAX, nMin, Number.MAX_SAFE_INTEGER);
  return { nMin, nMax };
}

/** Every trial of the grid design, in its one deterministic order (chains, then d, then n, then replicate). */
export function expandGrid(spec: SweepSpec, design: GridDesign = {}): GridTrial[] {
  const { nMin, nMax } = validateGridDesign(design);
  const out: GridTrial[] = [];
  for (const chain of expandSweep(spec)) {
    for (const d of chain.chain.ds) {
      const top = Math.min(nMax, spec.budget / d);
      for (let j = 0; j <= GRID_MAX_INDEX; j++) {
        const n = gridN(j);
        if (n > top) break;
        if (n < nMin) continue;
        for (let rep = 0; rep < spec.seeds; rep++) {
          out.push({
            index: out.length,
            chain,
            request: { ...structuredClone(chain.chain.base), d, n, seed: 1 + rep + spec.seeds * j },
          });
        }
      }
    }
  }
  return out;
}

/** The trials of one shard: trial k goes to shard k mod N. */
export function selectGridShard(trials: readonly GridTrial[], shard: Shard): GridTrial[] {
  validateShard(shard);
  return trials.filter((t) => t.index % shard.count === shard.index);
}

/**
 * The grid trials of one chain (or of one shard's share of it) as a chain of the sweep driver: one
 * batch holding all of them, so they run as fast as the runner allows. Its results per d are the
 * grid rule on whatever trials it holds.
 */
export class GridChain implements SweepChain {
  private readonly records = new Map<number, TrialRecord[]>();
  private submitted = false;
  private reported = false;

  constructor(
    readonly plan: ChainPlan,
    readonly trials: readonly GridTrial[],
  ) {}

  next(): TrialRequest[] | null {
    if (this.submitted || this.trials.length === 0) return null;
    this.submitted = true;
    return this.trials.map((t) => t.request);
  }

  report(records: readonly TrialRecord[]): void {
    if (!this.submitted || this.reported) throw new Error('GridChain.report: no batch is pending');
    this.reported = true;
    for (const r of records) {
      const d = r.config.d;
      const list = this.records.get(d) ?? [];
      list.push(r);
      this.records.set(d, list);
    }
  }

  results(): SearchResult[] {
    const complete = this.reported || this.trials.length === 0;
    return this.plan.chain.ds.map((d) => {
      const cells = new Map<number, { successes: number; seeds: number }>();
      for (const r of this.records.get(d) ?? []) {
        const c = cells.get(r.config.n) ?? { successes: 0, seeds: 0 };
        c.seeds++;
        if (r.success) c.successes++;
        cells.set(r.config.n, c);
      }
      const points = [...cells.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([n, c]) => ({ n, ...c, success: pointSucceeds(c.successes, c.seeds) }));
      const score = complete && points.length ? nStarOfPoints(points) : null;
      return {
        method: this.plan.method,
        d,
        nStar: score?.nStar ?? null,
        censored: score?.censored ?? false,
        bound: score?.bound ?? null,
        atFloor: score?.atFloor ?? false,
        points,
        trials: points.reduce((k, p) => k + p.seeds, 0),
        complete,
      };
    });
  }

  remainingTrials(): number {
    return this.reported ? 0 : this.trials.length;
  }
}

/** The grid's chains for `spec` (or for one shard): trial k of the one order goes to shard k mod N. */
export function gridChains(spec: SweepSpec, design: GridDesign = {}, shard?: Shard): PlannedChain[] {
  const all = expandGrid(spec, design);
  const mine = shard ? selectGridShard(all, shard) : all;
  return expandSweep(spec)
    .map(
      (plan) =>
        new GridChain(
          plan,
          mine.filter((t) => t.chain.index === plan.index),
        ),
    )
    .filter((c) => c.trials.length > 0 || !shard)
    .map((chain) => ({ plan: chain.plan, chain }));
}
