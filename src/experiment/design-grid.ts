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
import type { TrialRequest } from './design-search.js';
import {
  type ChainPlan,
  type RunSweepOptions,
  type Shard,
  type SweepProgress,
  expandSweep,
  isAbortError,
  validateShard,
} from './sweep.js';
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

export const GRID_DEFAULT_N_MAX = 2 ** 17;

/** Every trial of the grid design, in its one deterministic order (chains, then d, then n, then replicate). */
export function expandGrid(spec: SweepSpec, design: GridDesign = {}): GridTrial[] {
  const nMin = checkNumber('nMin', design.nMin ?? 32, 32, Number.MAX_SAFE_INTEGER);
  const nMax = checkNumber('nMax', design.nMax ?? GRID_DEFAULT_N_MAX, nMin, Number.MAX_SAFE_INTEGER);
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

export interface GridRunResult {
  trials: GridTrial[];
  trialsRun: number;
  trialsResumed: number;
  aborted: boolean;
}

/** Runs the grid (or one shard of it). Records of `existing` with a trial's id are reused, not rerun. */
export async function runGrid(
  spec: SweepSpec,
  opts: RunSweepOptions & { design?: GridDesign },
): Promise<GridRunResult> {
  const all = expandGrid(spec, opts.design);
  const trials = opts.shard ? selectGridShard(all, opts.shard) : all;
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
    failed = false,
    current: SweepProgress['current'] = null;
  const progress = () =>
    opts.onProgress?.({
      done,
      resumed,
      running,
      estimatedTotal: trials.length,
      searchesDone: 0,
      searchesTotal: 0,
      current,
      elapsedMs: Date.now() - t0,
    });
  const pending: Promise<void>[] = [];
  for (const t of trials) {
    if (inner.signal.aborted) break;
    const id = opts.runner.id(t.request);
    if (existing.has(id)) {
      resumed++;
      continue;
    }
    running++;
    current = { method: t.chain.method, label: t.chain.label, d: t.request.d, n: t.request.n };
    pending.push(
      opts.runner
        .run(t.request, { signal: inner.signal })
        .then((rec) => {
          if (rec.id !== id)
            throw new Error(`the trial runner's record id ${rec.id} differs from its id(config) ${id}`);
          done++;
          opts.onResult?.(rec, t.chain);
        })
        .catch((e: unknown) => {
          if (isAbortError(e) && inner.signal.aborted && !failed) return;
          if (!failed) {
            failed = true;
            failure = e;
          }
          inner.abort();
        })
        .finally(() => {
          running--;
          progress();
        }),
    );
  }
  progress();
  try {
    await Promise.all(pending);
  } finally {
    opts.signal?.removeEventListener('abort', forward);
  }
  if (failed) throw failure;
  return { trials, trialsRun: done, trialsResumed: resumed, aborted: done + resumed < trials.length };
}
