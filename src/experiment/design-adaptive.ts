// The adaptive design of DESIGN §2.4/§2.4b, the default on one machine: for each (learner,
// setting) a chain over its dimensions places every next batch of trials where it shrinks the
// posterior of the learner's EXPONENT b most per unit of compute, and stops when b's 90% interval
// from the joint fit `prunelab fit` reports (stats/joint-fit.ts, against log₂ d) is narrow enough.
//
// Everything lives on the shared psychometric grid (stats/psychometric-grid.ts), and σ is shared
// across d as in the joint model: each d's posteriors weight σ by its prior times what the other
// d's trials say about it (their profile likelihood of σ).
// - Bracketing, one d at a time in increasing d: the psi method's rule (the n whose expected drop
//   in the entropy of μ_d = log₂ n*₅₀ per unit of compute is largest), with the prior of each d the
//   previous d's posterior shifted by the learner's theory slope (stats/theory.ts), blurred by the
//   uncertainty of that extrapolation and mixed with a little flat mass so a wrong theory cannot
//   trap the search. A d leaves this phase when its own 90% interval of μ_d (flat prior over its
//   tested range padded by 4 octaves, as the per-d fit) lies inside its tested range (half an
//   octave of slack) and is at most `pointWidth` wide, or when it is censored at the cap or floor.
// - The exponent: then every next batch goes to the (d, n) that most reduces ln Var(b) per unit of
//   compute (n + 256)·costWidth. Var(b) is the joint model in its Gaussian form
//   (experiment/design-exponent.ts): each d's threshold N(m_d, v_d) from its own trials (v_d the
//   variance of the normal with the same 90% interval), μ_d = c + b·x_d + δ_d, τ averaged over its
//   posterior on the joint fit's grid. A candidate batch is scored at the data it is expected to
//   bring: v_d down to its expected value after the batch (averaged over the batch's outcomes) and
//   m_d moved to where the joint model expects it (own data combined with the line through the
//   other d). So the cheap small d and the lever arm of the large d are traded against each other,
//   and a d near the middle, which cannot move the slope, is still measured when it would tell
//   whether the line bends (τ). A batch must promise a 0.2% drop in Var(b): when none does, the
//   chain stops ('done').
// - Stop: the joint fit runs on the records when the τ-averaged Var(b), scaled by how the last
//   joint fit compared with it, says the target may be met (within 15%); the chain stops when the
//   joint fit's interval of b is at most `targetWidth` wide. A chain with d of its own beyond the
//   ones it shares with the other learners (a preset's extraD, ChainSpec.sharedDs) must also narrow
//   b over the shared d, where Δb is taken: its long lever arm can meet the target over all d while
//   b over the shared ones, and so Δb, stays wide. Until both are met, a candidate scores the sum
//   of its drops in ln Var(b) over the targets not yet met. Each d also stops at `maxTrials` or
//   `searchBudget`, and is censored as in §2.3 when 95% of its posterior lies beyond the per-trial
//   cap (n·costWidth ≤ budget) or below the grid's floor.
// - Every trial has its own seed (1, 2, 3, … within one (learner, setting, d)), so trials are
//   independent draws, as the fits assume; the trials themselves are those of the √2-grid search.
// - Determinism: decisions are made only after a whole batch (a constant, not the worker count)
//   and are a pure function of the records, computed with our own exp and log. So the same records
//   give the same next trials on any machine and with any number of workers, and a resumed sweep
//   (records looked up by trial id) replays the same decisions. Chains of different learners are
//   independent, so completion order cannot couple them: for a target width W of Δb = b₁ − b₂, give
//   each chain W/√2 (two independent intervals of width w combine to about √2·w).
import { ConfigError, checkInt, checkNumber } from '../core/errors.js';
import { log2, logd } from '../core/math.js';
import { sigmaGrid } from '../stats/psychometric-grid.js';
import type { TrialRecord } from '../core/types.js';
import { GRID_BASE, gridN } from '../stats/n-grid.js';
import { fitJointExponent } from '../stats/joint-fit.js';
import { exponentVariance, plugInExponentVariance } from './design-exponent.js';
import { scaling, scalingFor } from '../stats/theory.js';
import { roundPow } from '../trial/sparsity.js';
import { parseLink } from '../trial/link.js';
import { TEACHER_DEFAULTS, TRIAL_DEFAULTS } from '../trial/config.js';
import {
  type SearchResult,
  type TrialRequest,
  costWidth,
  nStarOfPoints,
  notReached,
  pointSucceeds,
} from './design-search.js';
import type { ChainPlan, SweepChain } from './sweep.js';
import { AdaptivePoint, type PointStop, capIndex, extrapolatedPrior, flatPrior } from './design-adaptive-point.js';

export { AdaptivePoint, extrapolatedPrior };

export interface AdaptiveOptions {
  /** Stop a chain when the 90% interval of its exponent b (joint fit, against log₂ d) is at most this wide. Default 0.3. */
  targetWidth?: number;
  /** Bracket each d first, to a 90% interval of log₂ n*₅₀ at most this wide (octaves). Default 2. */
  pointWidth?: number;
  /** At most this many trials per (learner, setting, d). Default 64. */
  maxTrials?: number;
  /** At most this much compute per (learner, setting, d), as Σ n·costWidth over its trials. Default: no cap beyond maxTrials. */
  searchBudget?: number;
  /** Trials per decision (all at the chosen (d, n), each with its own seed). Default 2. */
  batch?: number;
}

export const ADAPTIVE_DEFAULTS: Readonly<Required<AdaptiveOptions>> = Object.freeze({
  targetWidth: 0.3,
  pointWidth: 2,
  maxTrials: 64,
  searchBudget: Infinity,
  batch: 2,
});

export function validateAdaptiveOptions(o: AdaptiveOptions = {}): Required<AdaptiveOptions> {
  const v = { ...ADAPTIVE_DEFAULTS, ...o };
  checkNumber('target-width', v.targetWidth, 0.05, 20);
  checkNumber('point-width', v.pointWidth, 0.1, 20);
  checkInt('max-trials', v.maxTrials, 1, 100_000);
  if (v.searchBudget !== Infinity) checkNumber('search-budget', v.searchBudget, 32, Number.MAX_VALUE);
  checkInt('batch', v.batch, 1, 64);
  if (v.maxTrials < v.batch) throw new ConfigError('max-trials', v.maxTrials, `at least the batch (${v.batch})`);
  return v;
}

/** Why a dimension stopped: its own reasons, or the chain's ('width': b reached its target; 'done': nothing left worth a trial). */
export type AdaptiveStop = 'width' | 'done' | PointStop;

export interface AdaptiveSearchResult extends SearchResult {
  stop: AdaptiveStop | null;
  /** Σ n·costWidth over this d's trials. */
  compute: number;
}

// The extrapolation to the next d: its uncertainty (octaves).
const PRIOR_SD_BASE = 0.5,
  PRIOR_SD_PER_OCTAVE_OF_D = 0.5;
const Z90 = 1.6448536269514722; // Φ⁻¹(0.95)

/** log₂ of the learner's theory scaling at d (for shifting the prior), or log₂ d without one. */
export function theoryLog2(base: TrialRequest & { method: TrialRecord['config']['method'] }, d: number): number {
  const id = scalingFor(base.method, base.batch ?? TRIAL_DEFAULTS.batch);
  if (!id) return log2(d);
  let s = base.s;
  if (s === undefined) {
    if (base.alpha === undefined) throw new ConfigError('alpha', undefined, 'a number in (0, 1] (or give s)');
    s = roundPow(d, base.alpha);
  }
  return log2(scaling(id).shape(d, Math.min(s, d), parseLink(base.link, base.r ?? TEACHER_DEFAULTS.r).kStar));
}

// A batch must promise at least this drop in ln Var(b) (0.2%) to be run.
const MIN_GAIN = 0.002;
// The joint fit is run once the approximation, scaled as the last joint fit said, is within 15% of the target.
const CHECK_SLACK = 1.15,
  RECHECK = 0.97;

/**
 * One exponent a chain narrows: b over every d (dims null), or over the d it shares with the other
 * learners, where Δb is taken. Met once its joint fit's interval is at most the target width: more
 * trials only narrow it further, so it is not fitted again.
 */
class ExponentTarget {
  met = false;
  /** The joint fit's width over the approximation's, from the last check. */
  private ratio = 0; // 0: the first joint fit runs as soon as its d are bracketed
  private lastApprox = Infinity;
  lastWidth = Infinity;

  constructor(private readonly dims: ReadonlySet<number> | null) {}

  covers(d: number): boolean {
    return this.dims === null || this.dims.has(d);
  }

  /**
   * Runs the joint fit when the approximation, scaled by how the last joint fit compared with it,
   * says the target may be met; true (and met from then on) when it is.
   */
  check(varNow: number, targetWidth: number, points: readonly AdaptivePoint[]): boolean {
    const approx = 2 * Z90 * Math.sqrt(varNow);
    // again only once the approximation has moved by 3% since the last joint fit
    if (approx * this.ratio > CHECK_SLACK * targetWidth || approx > RECHECK * this.lastApprox) return false;
    this.lastApprox = approx;
    const fit = fitJointExponent(points.map((p) => ({ d: p.d, x: log2(p.d), cells: p.cells() })));
    if (!fit) return false;
    const width = fit.exponent.interval.hi - fit.exponent.interval.lo;
    this.lastWidth = width;
    this.ratio = width / approx;
    this.met = width <= targetWidth && !fit.unbounded;
    return this.met;
  }
}

/** The adaptive chain of one (setting, learner) over its dimensions. */
export class AdaptiveChain implements SweepChain {
  private readonly points: AdaptivePoint[] = [];
  private readonly options: Required<AdaptiveOptions>;
  private pending: { point: AdaptivePoint; n: number } | null = null;
  private finished: AdaptiveStop | null = null;
  /** b over every d of the chain, then (with extra d of its own) b over the d shared with the other learners. */
  private readonly targets: ExponentTarget[];

  constructor(
    readonly plan: ChainPlan,
    options: AdaptiveOptions = {},
  ) {
    this.options = validateAdaptiveOptions(options);
    this.targets = [new ExponentTarget(null)];
    if (plan.chain.sharedDs) this.targets.push(new ExponentTarget(new Set(plan.chain.sharedDs)));
  }

  /** The width of b's interval over every d at the last joint fit (Infinity before the first). */
  get lastWidth(): number {
    return this.targets[0]!.lastWidth;
  }

  private get ds(): readonly number[] {
    return this.plan.chain.ds;
  }

  private open(k: number): AdaptivePoint {
    const d = this.ds[k]!;
    const base = { ...this.plan.chain.base, d };
    const j = capIndex(costWidth(base), this.plan.chain.budget);
    // the searchable range, one octave beyond each end so the posterior can say "beyond"
    const flat = flatPrior(log2(GRID_BASE) - 1, j >= 0 ? log2(gridN(j)) + 1 : log2(GRID_BASE));
    let prior = flat;
    const prev = this.points[k - 1];
    if (prev) {
      const dPrev = this.ds[k - 1]!;
      const shift = theoryLog2(base, d) - theoryLog2(base, dPrev);
      const spread = PRIOR_SD_PER_OCTAVE_OF_D * log2(d / dPrev);
      const sd = Math.sqrt(PRIOR_SD_BASE * PRIOR_SD_BASE + spread * spread);
      prior = extrapolatedPrior(prev.marginal(), shift, sd, flat);
    }
    const point = new AdaptivePoint(base, this.plan.chain.budget, prior);
    this.points.push(point);
    return point;
  }

  /** True when d's own interval of μ (σ shared with the other d) lies in its tested range and is at most pointWidth wide. */
  private bracketed(p: AdaptivePoint): boolean {
    if (p.trials === 0) return false;
    const iv = p.ownInterval();
    return iv.inside && iv.hi - iv.lo <= this.options.pointWidth;
  }

  /** Gives every d the σ weights of the joint model: its prior times the evidence of the other d. */
  private shareSigma(): void {
    const prior = sigmaGrid().logPrior;
    const z = this.points.map((p) => p.logEvidence());
    this.points.forEach((p, k) => {
      const w = new Float64Array(prior.length);
      for (let j = 0; j < w.length; j++) {
        let v = prior[j]!;
        z.forEach((zz, m) => {
          if (m !== k) v += zz[j]!;
        });
        w[j] = v;
      }
      p.setSigmaWeights(w);
    });
  }

  /** Stops d at max-trials or budget when it cannot take another batch at `n`. */
  private canTake(p: AdaptivePoint, n: number): boolean {
    if (p.stopped) return false;
    if (p.trials + this.options.batch > this.options.maxTrials) return false;
    return p.trials === 0 || p.compute + this.options.batch * n * p.width <= this.options.searchBudget;
  }

  private stopFor(p: AdaptivePoint): void {
    if (p.stopped) return;
    p.stopped = p.trials + this.options.batch > this.options.maxTrials ? 'max-trials' : 'budget';
  }

  /** The next (d, n), or null when the chain is finished. */
  private decide(): { point: AdaptivePoint; n: number } | null {
    if (this.finished) return null;
    this.shareSigma();
    // Bracketing, in increasing d.
    for (let k = 0; k < this.ds.length; k++) {
      if (!this.points[k]) {
        this.open(k);
        this.shareSigma();
      }
      const p = this.points[k]!;
      if (p.stopped || this.bracketed(p)) continue;
      const n = p.psiChoice();
      if (this.canTake(p, n)) return { point: p, n };
      this.stopFor(p);
    }
    // The exponent.
    const usable = this.points.filter(
      (p) => p.stopped === null || p.stopped === 'max-trials' || p.stopped === 'budget',
    );
    const measured = usable.filter((p) => p.trials > 0 && p.ownInterval().inside);
    if (new Set(measured.map((p) => p.d)).size < 2) return this.finish('done');
    // Each target not yet met scores a candidate by the drop in ln Var(b) it promises over its own d;
    // a target whose d cannot define a line yet (fewer than two measured) has nothing to narrow.
    const open = this.targets.flatMap((t) => {
      if (t.met) return [];
      const at = measured.filter((p) => t.covers(p.d));
      if (new Set(at.map((p) => p.d)).size < 2) return [];
      const summary = at.map((p) => ({ x: log2(p.d), ...p.moments() }));
      const varNow = exponentVariance(summary);
      const fitted = this.points.filter((p) => p.trials > 0 && t.covers(p.d));
      if (t.check(varNow, this.options.targetWidth, fitted)) return [];
      return [{ at, summary, varNow }];
    });
    if (open.length === 0) return this.finish(this.targets[0]!.met ? 'width' : 'done');
    let best: { point: AdaptivePoint; n: number } | null = null,
      bestScore = 0;
    for (const p of measured) {
      if (p.stopped) continue;
      for (const c of p.expectedVariances(this.options.batch)) {
        if (!this.canTake(p, c.n)) continue;
        let gain = 0;
        for (const o of open) {
          const k = o.at.indexOf(p);
          if (k >= 0) gain += logd(o.varNow) - logd(plugInExponentVariance(o.summary, k, c.variance));
        }
        if (gain < MIN_GAIN) continue;
        const score = gain / (this.options.batch * p.cost(c.n));
        if (score > bestScore) {
          bestScore = score;
          best = { point: p, n: c.n };
        }
      }
    }
    return best ?? this.finish('done');
  }

  private finish(why: AdaptiveStop): null {
    this.finished = why;
    return null;
  }

  next(): TrialRequest[] | null {
    this.pending ??= this.decide();
    if (!this.pending) return null;
    return this.pending.point.batch(this.pending.n, this.options.batch);
  }

  report(records: readonly TrialRecord[]): void {
    const pend = this.pending;
    if (!pend) throw new Error('AdaptiveChain.report: no batch is pending');
    if (records.length !== this.options.batch)
      throw new Error(`AdaptiveChain.report: expected ${this.options.batch} records, got ${records.length}`);
    this.pending = null;
    pend.point.report(pend.n, records);
    pend.point.checkCensored();
  }

  results(): AdaptiveSearchResult[] {
    return this.ds.map((d, k) => {
      const p = this.points[k];
      if (!p)
        return {
          ...notReached(this.plan.method, d),
          stop: this.finished,
          compute: 0,
          complete: this.finished !== null,
        };
      const points = p.cells().map((c) => ({
        n: c.n,
        successes: c.successes,
        seeds: c.trials,
        success: pointSucceeds(c.successes, c.trials),
      }));
      const score = nStarOfPoints(points);
      const censored = p.stopped === 'cap';
      const complete = this.finished !== null || p.stopped === 'cap' || p.stopped === 'floor';
      return {
        method: this.plan.method,
        d,
        nStar: censored ? null : score.nStar,
        censored: censored || (complete && score.censored),
        bound: censored ? (points.length ? points[points.length - 1]!.n : null) : score.bound,
        atFloor: p.stopped === 'floor' || score.atFloor,
        points,
        trials: p.trials,
        complete,
        stop: p.stopped ?? this.finished,
        compute: p.compute,
      };
    });
  }

  remainingTrials(meanTrialsPerSearch: number): number {
    if (this.finished) return 0;
    const left = this.ds.length - this.points.length;
    return Math.max(this.options.batch, Math.round(meanTrialsPerSearch * (left + 1)));
  }
}
