// The n* search of DESIGN §2.3 for one (method, teacher setting, d), and the chain of such
// searches over increasing d. Both are synchronous state machines: `next()` names the batch of
// trials to run (one per seed, at one grid point), `report()` takes their records. A decision is
// made only after a whole batch, so the set of trials a search runs is a pure function of the
// trial results, never of scheduling. `searchNStar` drives one search with any async runner.
import { ConfigError, checkInt, checkNumber } from '../core/errors.js';
import { log, pow } from '../core/math.js';
import { GRID_BASE, GRID_MAX_INDEX, gridN, snapGrid } from '../stats/n-grid.js';
import { type NStar, type PointOutcome, nStarOfPoints, pointSucceeds } from '../stats/grid-rule.js';

export { type NStar, type PointOutcome, nStarOfPoints, pointSucceeds };
import type { Method, TrialConfig, TrialRecord } from '../core/types.js';
import { resolveSim } from '../trial/sim.js';
import { compactCostWidth, subspaceCostWidth } from '../trial/subspace-cost.js';
import { TRIAL_DEFAULTS, TEACHER_DEFAULTS } from '../trial/config.js';

/**
 * The width the budget divides by: d for the direct path; for the span simulations (DESIGN §2.2b,
 * §2.2c), whose cost per sample does not grow with d, the d of a direct trial of the same cost per sample.
 * So the budget caps estimated compute on either path.
 */
export function costWidth(base: TrialRequest & { d: number }): number {
  const c = {
    sim: base.sim ?? TRIAL_DEFAULTS.sim,
    method: base.method ?? 'none',
    batch: base.batch ?? TRIAL_DEFAULTS.batch,
    d: base.d,
    r: base.r ?? TEACHER_DEFAULTS.r,
    m: base.m ?? TRIAL_DEFAULTS.m,
    steps: base.steps ?? TRIAL_DEFAULTS.steps,
  };
  const sim = resolveSim(c);
  if (sim === 'subspace') return Math.min(base.d, subspaceCostWidth(c));
  if (sim === 'compact') return Math.min(base.d, compactCostWidth(c));
  return base.d;
}

/** What a search asks a trial runner for: a partial config that `lab.trial` completes with defaults. */
export type TrialRequest = Partial<TrialConfig>;

/** The largest grid index j with n_j <= n, or -1 when n is below the grid. */
function gridIndexAtMost(n: number): number {
  return n >= GRID_BASE ? (snapGrid(n, 'down') ?? -1) : -1;
}

// ---------------------------------------------------------------------------------------------
// One search.

export interface SearchSpec {
  /** The trial config shared by every trial of the search (teacher, method, d, learner options); no n, no seed. */
  base: TrialRequest & { d: number; method: Method };
  /** The seeds of every grid point, in the order the batch lists them. */
  seeds: readonly number[];
  /** The cap on n*d (n*costWidth on the subspace path): grid points beyond it are never run, and a search that reaches it is censored. */
  budget: number;
  /** The grid index of the first point (clamped to the cap). */
  startIndex: number;
}

export interface SearchResult extends NStar {
  method: Method;
  d: number;
  /** Every visited point, ordered by n. */
  points: PointOutcome[];
  /** Trials the search used (run or resumed). */
  trials: number;
  /** False when the search was stopped before it reached a decision; n* is then null and not censored. */
  complete: boolean;
}

function validateSearchSpec(spec: SearchSpec): void {
  checkInt('d', spec.base.d, 1, 2 ** 31);
  if (!Array.isArray(spec.seeds) || spec.seeds.length === 0)
    throw new ConfigError('seeds', spec.seeds, 'a non-empty list of seeds');
  for (const s of spec.seeds) checkInt('seed', s, 0, Number.MAX_SAFE_INTEGER);
  if (new Set(spec.seeds).size !== spec.seeds.length) throw new ConfigError('seeds', spec.seeds, 'distinct seeds');
  checkNumber('budget', spec.budget, 1, Number.MAX_SAFE_INTEGER);
  checkInt('startIndex', spec.startIndex, 0, GRID_MAX_INDEX);
}

/**
 * Walks the grid from the start: if the start succeeds it walks down until a point fails (or the
 * floor succeeds), otherwise up until a point succeeds (or the next point would exceed the cap).
 */
export class NStarSearch {
  private readonly visited = new Map<number, PointOutcome>();
  private readonly jMax: number;
  private j: number;
  private dir: -1 | 0 | 1 = 0;
  private finished: boolean;
  private trialCount = 0;

  constructor(readonly spec: SearchSpec) {
    validateSearchSpec(spec);
    this.jMax = Math.min(GRID_MAX_INDEX, gridIndexAtMost(spec.budget / costWidth(spec.base)));
    this.j = Math.min(spec.startIndex, Math.max(this.jMax, 0));
    this.finished = this.jMax < 0;
  }

  get done(): boolean {
    return this.finished;
  }
  /** The grid n of the pending batch (undefined when done). */
  get n(): number | undefined {
    return this.finished ? undefined : gridN(this.j);
  }
  /** Grid points visited so far. */
  get visits(): number {
    return this.visited.size;
  }

  /** The batch to run next, one request per seed in seed order; null once the search is decided. */
  next(): TrialRequest[] | null {
    if (this.finished) return null;
    const n = gridN(this.j);
    return this.spec.seeds.map((seed) => ({ ...this.spec.base, n, seed }));
  }

  /** Takes the records of the batch `next()` returned, in the same order. */
  report(records: readonly Pick<TrialRecord, 'success'>[]): void {
    if (this.finished) throw new Error('NStarSearch.report: the search is already decided');
    if (records.length !== this.spec.seeds.length)
      throw new Error(`NStarSearch.report: expected ${this.spec.seeds.length} records, got ${records.length}`);
    const successes = records.reduce((k, r) => k + (r.success === true ? 1 : 0), 0);
    const seeds = records.length;
    const point: PointOutcome = { n: gridN(this.j), successes, seeds, success: pointSucceeds(successes, seeds) };
    this.visited.set(this.j, point);
    this.trialCount += seeds;
    if (this.dir === 0) this.dir = point.success ? -1 : 1;
    if (this.dir === -1) {
      if (!point.success || this.j === 0) this.finished = true;
      else this.j--;
    } else {
      if (point.success || this.j >= this.jMax) this.finished = true;
      else this.j++;
    }
  }

  result(): SearchResult {
    const points = [...this.visited.values()].sort((a, b) => a.n - b.n);
    const score: NStar = this.finished
      ? nStarOfPoints(points)
      : { nStar: null, censored: false, bound: null, atFloor: false };
    return {
      method: this.spec.base.method,
      d: this.spec.base.d,
      ...score,
      points,
      trials: this.trialCount,
      complete: this.finished,
    };
  }
}

/** The result of a search a chain never opened: incomplete, with no points. */
export function notReached(method: Method, d: number): SearchResult {
  return {
    method,
    d,
    nStar: null,
    censored: false,
    bound: null,
    atFloor: false,
    points: [],
    trials: 0,
    complete: false,
  };
}

/** Runs one search to its decision with `run` (which runs a batch and returns its records in order). */
export async function searchNStar(
  spec: SearchSpec,
  run: (batch: TrialRequest[]) => Promise<readonly TrialRecord[]>,
): Promise<SearchResult> {
  const search = new NStarSearch(spec);
  for (let batch = search.next(); batch; batch = search.next()) search.report(await run(batch));
  return search.result();
}

// ---------------------------------------------------------------------------------------------
// A chain: the searches of one (method, setting) over increasing d, each starting near half the
// n* predicted from the previous d's (see nextStartIndex).

export interface ChainSpec {
  /** The shared config of the chain: teacher setting, method and learner options; no d, n or seed. */
  base: TrialRequest & { method: Method };
  /** The dimensions, searched in this order. */
  ds: readonly number[];
  seeds: readonly number[];
  budget: number;
  /** The n to start the first search at (snapped down to the grid); the grid floor by default. */
  start?: number;
  /**
   * The dimensions this chain shares with the sweep's other learners, when it also has d of its own
   * (a preset's extraD): Δb between the learners is taken over these, so the adaptive design also
   * narrows b over them (experiment/design-adaptive.ts). Absent when every d is shared.
   */
  sharedDs?: readonly number[];
}

/**
 * The start of the next d's search: two grid steps (a factor 2) below the predicted n*. With one
 * finished point the prediction is the previous n* itself (DESIGN's start at half the previous n*); with two,
 * it extrapolates the local slope of log n* against log d (clamped to [0, 3]), so a chain whose
 * n* grows like d^a starts just below the answer instead of walking up to it one step at a time.
 * The walk down/up then finds n* exactly as from any other start; the prediction only saves trials,
 * and it is a pure function of earlier results (deterministic logs from math.ts), so the set of
 * trials run never depends on scheduling or the platform.
 */
export function nextStartIndex(history: readonly SearchResult[], nextD: number, previousStart: number): number {
  const known = history.filter((r) => r.complete && r.nStar !== null);
  const previous = history[history.length - 1];
  if (previous && previous.nStar === null) {
    return previous.bound !== null ? gridIndexAtMost(previous.bound) : previousStart;
  }
  if (known.length === 0) return previousStart;
  const last = known[known.length - 1]!;
  let predicted = last.nStar!;
  if (known.length >= 2) {
    const before = known[known.length - 2]!;
    const slope = Math.min(3, Math.max(0, log(last.nStar! / before.nStar!) / log(last.d / before.d)));
    predicted = last.nStar! * pow(nextD / last.d, slope);
  }
  return Math.max(0, gridIndexAtMost(predicted) - 2);
}

export class SearchChain {
  private readonly searches: NStarSearch[] = [];

  constructor(readonly spec: ChainSpec) {
    if (!Array.isArray(spec.ds) || spec.ds.length === 0)
      throw new ConfigError('d', spec.ds, 'a non-empty list of dimensions');
    if (spec.start !== undefined) checkNumber('start', spec.start, GRID_BASE, Number.MAX_SAFE_INTEGER);
    this.open(0, spec.start === undefined ? 0 : gridIndexAtMost(spec.start));
  }

  private open(k: number, startIndex: number): void {
    this.searches.push(
      new NStarSearch({
        base: { ...this.spec.base, d: this.spec.ds[k]! },
        seeds: this.spec.seeds,
        budget: this.spec.budget,
        startIndex,
      }),
    );
  }

  /** The search currently running (the last one opened). */
  get current(): NStarSearch {
    return this.searches[this.searches.length - 1]!;
  }
  get done(): boolean {
    return this.current.done && this.searches.length === this.spec.ds.length;
  }
  /** Searches not yet opened. */
  get remaining(): number {
    return this.spec.ds.length - this.searches.length;
  }

  next(): TrialRequest[] | null {
    while (this.current.done && this.searches.length < this.spec.ds.length) {
      const prev = this.current;
      const k = this.searches.length;
      this.open(
        k,
        nextStartIndex(
          this.searches.map((x) => x.result()),
          this.spec.ds[k]!,
          prev.spec.startIndex,
        ),
      );
    }
    return this.current.next();
  }

  report(records: readonly Pick<TrialRecord, 'success'>[]): void {
    this.current.report(records);
  }

  remainingTrials(meanTrialsPerSearch: number): number {
    if (this.done) return 0;
    const cur = this.current;
    const seeds = this.spec.seeds.length;
    const here = cur.done ? 0 : Math.max(seeds, Math.round(meanTrialsPerSearch - cur.visits * seeds));
    return here + Math.round(meanTrialsPerSearch * this.remaining);
  }

  /** One result per d, in chain order; searches never reached are reported incomplete with no points. */
  results(): SearchResult[] {
    return this.spec.ds.map((d, k) => this.searches[k]?.result() ?? notReached(this.spec.base.method, d));
  }
}
