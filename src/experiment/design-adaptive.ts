// The adaptive design of DESIGN §2.4, the default on one machine: for each (learner, setting, d)
// a psi-method-like search places every next batch of trials at the √2-grid n that shrinks the
// posterior of μ = log₂ n*₅₀ most per unit of compute, and stops when the 90% interval of μ is
// narrow enough, or at a compute budget.
//
// - The model is the psychometric model of stats/psychometric.ts (same lapses, same σ prior),
//   on one μ grid shared by every d. The design posterior is prior × likelihood; the prior of the
//   first d is flat over the searchable range, and the prior of each later d is the previous d's
//   design posterior shifted by the learner's theory scaling (stats/theory.ts), blurred by the
//   uncertainty of that extrapolation, and mixed with a little flat mass so a wrong theory cannot
//   trap the search.
// - The stopping width is measured on what `prunelab fit` will report: the flat-prior fit of the
//   records (fitPsychometric), never on the informative prior, so a strong prior cannot stop a
//   search the data do not support.
// - Placement: the expected drop in the entropy of μ's marginal after one trial at n, divided by
//   the trial's cost (n + TRIAL_OVERHEAD_N)·costWidth. Cheaper trials below the threshold win
//   when they tell nearly as much, which is where the psi method's savings come from.
// - Every trial has its own seed (1, 2, 3, … within one (learner, setting, d)), so trials are
//   independent draws, as the psychometric fit assumes.
// - Determinism: decisions are made only after a whole batch of `batch` trials (a constant, not
//   the worker count) and are a pure function of the records, computed with our own exp and log.
//   So the same records give the same next trials on any machine and with any number of workers,
//   and a resumed sweep (records looked up by trial id) replays the same decisions.
// - Censoring works as in §2.3: no trial exceeds the per-trial cap (n·costWidth ≤ budget); when the
//   posterior puts 95% of μ above the cap, the search stops and the point reads "> N".
import { ConfigError, checkInt, checkNumber } from '../core/errors.js';
import { expd, log2, logd, normalCdf, pow } from '../core/math.js';
import type { TrialRecord } from '../core/types.js';
import { GRID_BASE, GRID_MAX_INDEX, gridN } from '../stats/n-grid.js';
import {
  type SearchResult,
  type TrialRequest,
  costWidth,
  nStarOfPoints,
  notReached,
  pointSucceeds,
} from './design-search.js';
import type { ChainPlan, SweepChain } from './sweep.js';
import { TRIAL_DEFAULTS } from '../trial/config.js';
import { PSYCHOMETRIC_MODEL, type TrialCount, fitPsychometric } from '../stats/psychometric.js';
import { scaling, scalingFor } from '../stats/theory.js';

export interface AdaptiveOptions {
  /** Stop when the 90% interval of log₂ n*₅₀ is at most this wide (octaves) at the chain's cheapest d. Default 0.5. */
  targetWidth?: number;
  /** At most this many trials per (learner, setting, d). Default 48. */
  maxTrials?: number;
  /** At most this much compute per (learner, setting, d), as Σ n·costWidth over its trials. Default: no cap beyond maxTrials. */
  searchBudget?: number;
  /** Trials per decision (all at the chosen n, each with its own seed). Default 2. */
  batch?: number;
}

export const ADAPTIVE_DEFAULTS: Readonly<Required<AdaptiveOptions>> = Object.freeze({
  targetWidth: 0.5,
  maxTrials: 48,
  searchBudget: Infinity,
  batch: 2,
});

export function validateAdaptiveOptions(o: AdaptiveOptions = {}): Required<AdaptiveOptions> {
  const v = { ...ADAPTIVE_DEFAULTS, ...o };
  checkNumber('target-width', v.targetWidth, 0.05, 20);
  checkInt('max-trials', v.maxTrials, 1, 100_000);
  if (v.searchBudget !== Infinity) checkNumber('search-budget', v.searchBudget, 32, Number.MAX_VALUE);
  checkInt('batch', v.batch, 1, 64);
  if (v.maxTrials < v.batch) throw new ConfigError('max-trials', v.maxTrials, `at least the batch (${v.batch})`);
  return v;
}

/** Why a search stopped. */
export type AdaptiveStop = 'width' | 'cap' | 'floor' | 'max-trials' | 'budget';

export interface AdaptiveSearchResult extends SearchResult {
  stop: AdaptiveStop | null;
  /** Σ n·costWidth over the search's trials. */
  compute: number;
}

// The fixed overhead of a trial in samples (test set, readout, setup): it keeps the placement
// from treating a trial at n = 32 as nearly free.
const TRIAL_OVERHEAD_N = 256;
// The shared μ grid (log₂ n): wide enough for any cap of wasm32-sized trials and for shifted priors.
const MU_LO = 0,
  MU_STEP = 0.05,
  MU_COUNT = 961; // up to μ = 48
// The extrapolation to the next d: its uncertainty (octaves) and the flat mass mixed in.
const PRIOR_SD_BASE = 0.5,
  PRIOR_SD_PER_OCTAVE_OF_D = 0.5,
  PRIOR_FLAT_MASS = 0.005;
const CENSOR_MASS = 0.95;
const WIDTH_GROWTH_CAP = 4;

// P(success | z) with the model's lapses, tabulated once (step 1/256 on [-9, 9], linear interpolation).
const Z_MAX = 9,
  Z_PER = 256,
  Z_COUNT = 2 * Z_MAX * Z_PER + 1;
let pTable: Float64Array | null = null;
function successTable(): Float64Array {
  if (!pTable) {
    const { lapseLo, lapseHi } = PSYCHOMETRIC_MODEL;
    pTable = new Float64Array(Z_COUNT);
    for (let i = 0; i < Z_COUNT; i++) pTable[i] = lapseLo + (1 - lapseLo - lapseHi) * normalCdf(-Z_MAX + i / Z_PER);
  }
  return pTable;
}
function pSuccess(t: Float64Array, z: number): number {
  const u = (z + Z_MAX) * Z_PER;
  if (u <= 0) return t[0]!;
  if (u >= Z_COUNT - 1) return t[Z_COUNT - 1]!;
  const i = Math.floor(u);
  return t[i]! + (u - i) * (t[i + 1]! - t[i]!);
}

function sigmaGrid(): { sigma: number[]; logPrior: number[] } {
  const m = PSYCHOMETRIC_MODEL;
  const lsMin = logd(m.sigmaMin),
    lsMax = logd(m.sigmaMax),
    lsMed = logd(m.sigmaMedian);
  const sigma: number[] = [],
    logPrior: number[] = [];
  for (let j = 0; j < m.sigmaPoints; j++) {
    const ls = lsMin + ((lsMax - lsMin) * j) / (m.sigmaPoints - 1);
    sigma.push(expd(ls));
    const u = (ls - lsMed) / m.sigmaLogSd;
    logPrior.push(-0.5 * u * u);
  }
  return { sigma, logPrior };
}

const muAt = (i: number) => MU_LO + i * MU_STEP;

/** The largest grid index whose trial fits the per-trial cap (n·width ≤ cap), or -1. */
function capIndex(width: number, cap: number): number {
  let j = -1;
  while (j + 1 <= GRID_MAX_INDEX && gridN(j + 1) * width <= cap) j++;
  return j;
}

/** A flat prior of μ over [lo, hi] on the shared grid (normalised). */
function flatPrior(lo: number, hi: number): Float64Array {
  const p = new Float64Array(MU_COUNT);
  let total = 0;
  for (let i = 0; i < MU_COUNT; i++) {
    const mu = muAt(i);
    if (mu >= lo && mu <= hi) {
      p[i] = 1;
      total++;
    }
  }
  for (let i = 0; i < MU_COUNT; i++) p[i]! /= total;
  return p;
}

/**
 * The prior of the next d: `marginal` (of the previous d) shifted by `shift` octaves, blurred by a
 * normal of sd `sd`, and mixed with PRIOR_FLAT_MASS of `flat`.
 */
function extrapolatedPrior(marginal: Float64Array, shift: number, sd: number, flat: Float64Array): Float64Array {
  const out = new Float64Array(MU_COUNT);
  const reach = Math.ceil((5 * sd) / MU_STEP);
  const offset = shift / MU_STEP;
  for (let i = 0; i < MU_COUNT; i++) {
    const m = marginal[i]!;
    if (m < 1e-300) continue;
    const centre = i + offset;
    const c0 = Math.round(centre);
    const frac = centre - c0; // sub-cell shift, applied by shifting the kernel's evaluation points
    for (let k = -reach; k <= reach; k++) {
      const t = c0 + k;
      if (t < 0 || t >= MU_COUNT) continue;
      const u = ((k - frac) * MU_STEP) / sd;
      out[t]! += m * expd(-0.5 * u * u);
    }
  }
  let total = 0;
  for (let i = 0; i < MU_COUNT; i++) total += out[i]!;
  if (!(total > 0)) return flat.slice();
  for (let i = 0; i < MU_COUNT; i++) out[i] = (1 - PRIOR_FLAT_MASS) * (out[i]! / total) + PRIOR_FLAT_MASS * flat[i]!;
  return out;
}

function entropy(mass: Float64Array, lo: number, hi: number, total: number): number {
  let h = 0;
  for (let i = lo; i <= hi; i++) {
    const p = mass[i]! / total;
    if (p > 1e-300) h -= p * logd(p);
  }
  return h;
}

/** The adaptive search of one (learner, setting, d). */
export class AdaptiveSearch {
  private readonly sig = sigmaGrid();
  private readonly logLik: Float64Array;
  private readonly logPriorMu: Float64Array;
  private readonly counts = new Map<number, { successes: number; trials: number }>();
  private readonly jMax: number;
  private readonly width: number;
  private trialCount = 0;
  private spent = 0;
  private stopped: AdaptiveStop | null = null;
  private pendingN: number | null = null;

  constructor(
    readonly base: TrialRequest & { d: number; method: TrialRecord['config']['method'] },
    /** The per-trial cap on n·costWidth (the sweep's budget). */
    readonly cap: number,
    prior: Float64Array,
    readonly options: Required<AdaptiveOptions>,
    /** The width at which this search stops (octaves); the chain widens it at costly d. */
    readonly targetWidth = options.targetWidth,
  ) {
    this.width = costWidth(base);
    this.jMax = capIndex(this.width, cap);
    this.logPriorMu = new Float64Array(MU_COUNT);
    for (let i = 0; i < MU_COUNT; i++) this.logPriorMu[i] = prior[i]! > 0 ? logd(prior[i]!) : -Infinity;
    this.logLik = new Float64Array(MU_COUNT * this.sig.sigma.length);
    if (this.jMax < 0) this.stopped = 'cap';
  }

  get done(): boolean {
    return this.stopped !== null;
  }
  get trials(): number {
    return this.trialCount;
  }
  /** The largest n a trial may have. */
  get nCap(): number {
    return this.jMax >= 0 ? gridN(this.jMax) : 0;
  }

  /** The design posterior: weights over (μ, σ) cells (unnormalised, max 1) and μ's marginal. */
  private posterior(): { w: Float64Array; marginal: Float64Array; total: number; lo: number; hi: number } {
    const S = this.sig.sigma.length;
    let best = -Infinity;
    for (let i = 0; i < MU_COUNT; i++) {
      const lp = this.logPriorMu[i]!;
      if (lp === -Infinity) continue;
      for (let j = 0; j < S; j++) {
        const v = lp + this.sig.logPrior[j]! + this.logLik[i * S + j]!;
        if (v > best) best = v;
      }
    }
    const w = new Float64Array(MU_COUNT * S);
    const marginal = new Float64Array(MU_COUNT);
    let total = 0,
      lo = MU_COUNT,
      hi = -1;
    for (let i = 0; i < MU_COUNT; i++) {
      const lp = this.logPriorMu[i]!;
      if (lp === -Infinity) continue;
      let m = 0;
      for (let j = 0; j < S; j++) {
        const v = lp + this.sig.logPrior[j]! + this.logLik[i * S + j]! - best;
        if (v > -46) {
          const x = expd(v);
          w[i * S + j] = x;
          m += x;
        }
      }
      marginal[i] = m;
      total += m;
      if (m > 0) {
        if (i < lo) lo = i;
        hi = i;
      }
    }
    return { w, marginal, total, lo, hi };
  }

  /** The cost of one trial at the posterior median of μ (n·costWidth). */
  medianCost(): number {
    const m = this.marginal();
    let acc = 0,
      i = 0;
    while (i < MU_COUNT - 1 && acc + m[i]! < 0.5) acc += m[i++]!;
    return pow(2, muAt(i)) * this.width;
  }

  /** The marginal posterior of μ (normalised), the next d's starting point. */
  marginal(): Float64Array {
    const p = this.posterior();
    const out = new Float64Array(MU_COUNT);
    for (let i = 0; i < MU_COUNT; i++) out[i] = p.marginal[i]! / p.total;
    return out;
  }

  private massAbove(marginal: Float64Array, total: number, x: number): number {
    let m = 0;
    for (let i = 0; i < MU_COUNT; i++) if (muAt(i) > x) m += marginal[i]!;
    return m / total;
  }

  /** The n of the next batch: the most informative per unit of compute. */
  private choose(): number {
    const { w, marginal, total, lo, hi } = this.posterior();
    const S = this.sig.sigma.length;
    const table = successTable();
    const h0 = entropy(marginal, lo, hi, total);
    // Candidates: the posterior's central 95% widened by one octave each side. Without the limit
    // a nearly free trial far below the bulk would win by trimming the prior's flat tail.
    let acc = 0,
      qLo = muAt(lo),
      qHi = muAt(hi);
    for (let i = lo; i <= hi; i++) {
      acc += marginal[i]!;
      if (acc / total < 0.025) qLo = muAt(i);
      if (acc / total < 0.975) qHi = muAt(i + 1);
    }
    let bestJ = -1,
      bestScore = -Infinity;
    const ms = new Float64Array(MU_COUNT),
      mf = new Float64Array(MU_COUNT);
    for (let j = 0; j <= this.jMax; j++) {
      const n = gridN(j);
      const x = log2(n);
      if (x < qLo - 1 || x > qHi + 1) continue;
      let ps = 0;
      for (let i = lo; i <= hi; i++) {
        let s = 0,
          f = 0;
        const mu = muAt(i);
        for (let k = 0; k < S; k++) {
          const wk = w[i * S + k]!;
          if (wk === 0) continue;
          const p = pSuccess(table, (x - mu) / this.sig.sigma[k]!);
          s += wk * p;
          f += wk * (1 - p);
        }
        ms[i] = s;
        mf[i] = f;
        ps += s;
      }
      const pf = total - ps;
      const hExp =
        (ps > 0 ? (ps / total) * entropy(ms, lo, hi, ps) : 0) + (pf > 0 ? (pf / total) * entropy(mf, lo, hi, pf) : 0);
      const score = (h0 - hExp) / ((n + TRIAL_OVERHEAD_N) * this.width);
      if (score > bestScore) {
        bestScore = score;
        bestJ = j;
      }
    }
    // no candidate inside the bulk (the posterior lies wholly beyond the cap or below the floor)
    if (bestJ < 0) bestJ = qLo > log2(GRID_BASE) ? this.jMax : 0;
    return gridN(bestJ);
  }

  /** The batch to run next (each trial with its own seed); null once the search has stopped. */
  next(): TrialRequest[] | null {
    if (this.stopped) return null;
    if (this.pendingN === null) {
      const n = this.choose();
      const cost = this.options.batch * n * this.width;
      if (this.trialCount > 0 && this.spent + cost > this.options.searchBudget) {
        this.stopped = 'budget';
        return null;
      }
      this.pendingN = n;
    }
    const n = this.pendingN;
    return Array.from({ length: this.options.batch }, (_, k) => ({
      ...this.base,
      n,
      seed: 1 + this.trialCount + k,
    }));
  }

  report(records: readonly Pick<TrialRecord, 'success'>[]): void {
    if (this.stopped || this.pendingN === null) throw new Error('AdaptiveSearch.report: no batch is pending');
    if (records.length !== this.options.batch)
      throw new Error(`AdaptiveSearch.report: expected ${this.options.batch} records, got ${records.length}`);
    const n = this.pendingN;
    this.pendingN = null;
    const x = log2(n);
    const S = this.sig.sigma.length;
    const table = successTable();
    const c = this.counts.get(n) ?? { successes: 0, trials: 0 };
    for (const r of records) {
      const ok = r.success === true;
      for (let i = 0; i < MU_COUNT; i++) {
        const mu = muAt(i);
        for (let k = 0; k < S; k++) {
          const p = pSuccess(table, (x - mu) / this.sig.sigma[k]!);
          this.logLik[i * S + k]! += logd(ok ? p : 1 - p);
        }
      }
      c.trials++;
      if (ok) c.successes++;
    }
    this.counts.set(n, c);
    this.trialCount += records.length;
    this.spent += records.length * n * this.width;
    this.decideStop();
  }

  private cells(): TrialCount[] {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]).map(([n, c]) => ({ n, ...c }));
  }

  private decideStop(): void {
    const fit = fitPsychometric(this.cells());
    if (fit.censored === null && fit.muCI.hi - fit.muCI.lo <= this.targetWidth) {
      this.stopped = 'width';
      return;
    }
    const { marginal, total } = this.posterior();
    if (this.massAbove(marginal, total, log2(this.nCap)) >= CENSOR_MASS) {
      this.stopped = 'cap';
      return;
    }
    if (1 - this.massAbove(marginal, total, log2(GRID_BASE)) >= CENSOR_MASS) {
      this.stopped = 'floor';
      return;
    }
    if (this.trialCount + this.options.batch > this.options.maxTrials) this.stopped = 'max-trials';
  }

  result(): AdaptiveSearchResult {
    const points = this.cells().map((c) => ({
      n: c.n,
      successes: c.successes,
      seeds: c.trials,
      success: pointSucceeds(c.successes, c.trials),
    }));
    const score = nStarOfPoints(points);
    const censored = this.stopped === 'cap';
    return {
      method: this.base.method,
      d: this.base.d,
      nStar: censored ? null : score.nStar,
      censored: censored || (this.stopped !== null && score.censored),
      bound: censored ? (points.length ? points[points.length - 1]!.n : null) : score.bound,
      atFloor: this.stopped === 'floor' || score.atFloor,
      points,
      trials: this.trialCount,
      complete: this.stopped !== null,
      stop: this.stopped,
      compute: this.spent,
    };
  }
}

/** log₂ of the learner's theory scaling at d (for shifting the prior), or log₂ d without one. */
/** log₂ of the learner's theory scaling at the chain's k-th d (for shifting the prior), or log₂ d without one. */
function theoryLog2(plan: ChainPlan, k: number): number {
  const t = plan.teachers[k]!;
  const id = scalingFor(plan.method, plan.chain.base.batch ?? TRIAL_DEFAULTS.batch);
  return (id ? scaling(id).regressor.log2(t.d, t.s, t.kStar) : null) ?? log2(t.d);
}

/** The adaptive searches of one (setting, learner) over its dimensions, each d's prior from the one before. */
export class AdaptiveChain implements SweepChain {
  private readonly searches: AdaptiveSearch[] = [];
  private readonly options: Required<AdaptiveOptions>;

  constructor(
    readonly plan: ChainPlan,
    options: AdaptiveOptions = {},
  ) {
    this.options = validateAdaptiveOptions(options);
    this.open(0);
  }

  private open(k: number): void {
    const d = this.plan.chain.ds[k]!;
    const base = { ...this.plan.chain.base, d };
    const j = capIndex(costWidth(base), this.plan.chain.budget);
    // the searchable range, one octave beyond each end so the posterior can say "beyond"
    const flat = flatPrior(log2(GRID_BASE) - 1, j >= 0 ? log2(gridN(j)) + 1 : log2(GRID_BASE));
    let prior = flat;
    const prev = this.searches[k - 1];
    if (prev) {
      const dPrev = this.plan.chain.ds[k - 1]!;
      const shift = theoryLog2(this.plan, k) - theoryLog2(this.plan, k - 1);
      const octaves = log2(d / dPrev);
      const spread = PRIOR_SD_PER_OCTAVE_OF_D * octaves;
      const sd = Math.sqrt(PRIOR_SD_BASE * PRIOR_SD_BASE + spread * spread);
      prior = extrapolatedPrior(prev.marginal(), shift, sd, flat);
    }
    const search = new AdaptiveSearch(base, this.plan.chain.budget, prior, this.options);
    const first = this.searches[0];
    if (!first) {
      this.searches.push(search);
      return;
    }
    // The exponent's interval gains most per unit of compute from the cheap dimensions: with
    // N_k trials at cost c_k, Var(b) ∝ Σ w_k²/N_k is smallest for N_k ∝ w_k/√c_k, so the width
    // at d_k may grow as (c_k/c_0)^(1/4). Capped at 4x the target (2 octaves at the default) so no n* is left vague.
    const growth = Math.min(WIDTH_GROWTH_CAP, Math.max(1, pow(search.medianCost() / first.medianCost(), 0.25)));
    this.searches.push(
      new AdaptiveSearch(base, this.plan.chain.budget, prior, this.options, this.options.targetWidth * growth),
    );
  }

  private get current(): AdaptiveSearch {
    return this.searches[this.searches.length - 1]!;
  }

  next(): TrialRequest[] | null {
    for (;;) {
      const batch = this.current.next();
      if (batch) return batch;
      if (this.searches.length === this.plan.chain.ds.length) return null;
      this.open(this.searches.length);
    }
  }

  report(records: readonly TrialRecord[]): void {
    this.current.report(records);
  }

  results(): AdaptiveSearchResult[] {
    return this.plan.chain.ds.map(
      (d, k) => this.searches[k]?.result() ?? { ...notReached(this.plan.method, d), stop: null, compute: 0 },
    );
  }

  remainingTrials(meanTrialsPerSearch: number): number {
    const cur = this.current;
    const left = this.plan.chain.ds.length - this.searches.length;
    const here = cur.done ? 0 : Math.max(this.options.batch, Math.round(meanTrialsPerSearch - cur.trials));
    return here + Math.round(meanTrialsPerSearch * left);
  }
}
