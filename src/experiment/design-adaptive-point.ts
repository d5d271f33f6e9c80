// One dimension of an adaptive chain (experiment/design-adaptive.ts): its trials, its grid
// likelihood of (σ, μ = log₂ n*₅₀) on the shared psychometric grid (stats/psychometric-grid.ts,
// the grid the fits use), and the two placement rules the chain uses on it:
// - while the threshold is not yet bracketed, the psi method's rule: the n whose expected drop in
//   the entropy of μ (under the design prior: the smaller d extrapolated by the theory slope) per
//   unit of compute is largest;
// - afterwards, the expected variance of μ after a batch at n under this d's own data (flat μ
//   prior, σ under its prior), which the chain turns into the variance of the exponent.
import { log2, logd, pow } from '../core/math.js';
import type { TrialRecord } from '../core/types.js';
import { GRID_BASE, GRID_MAX_INDEX, gridN } from '../stats/n-grid.js';
import { type PsychometricFit, type TrialCount, fitPsychometric } from '../stats/psychometric.js';
import { expNeg } from '../stats/exp-neg.js';
import { scratch } from '../stats/scratch.js';
import { type MuGrid, addTrials, muGridFor, sigmaGrid, successAt, successTables } from '../stats/psychometric-grid.js';
import { type TrialRequest, costWidth } from './design-search.js';

// The fixed overhead of a trial in samples (test set, readout, setup): it keeps the placement
// from treating a trial at n = 32 as nearly free.
export const TRIAL_OVERHEAD_N = 256;
/** The design's μ grid (log₂ n): wide enough for any cap of wasm32-sized trials and for shifted priors. */
export const DESIGN_GRID: MuGrid = Object.freeze({ lo: 0, step: 0.05, count: 961 }); // up to μ = 48
const MU_COUNT = DESIGN_GRID.count,
  MU_STEP = DESIGN_GRID.step;
export const muAt = (i: number): number => DESIGN_GRID.lo + i * MU_STEP;
const CENSOR_MASS = 0.95;
// The extrapolation to the next d: the flat mass mixed in so a wrong theory cannot trap the search.
const PRIOR_FLAT_MASS = 0.005;

/** The largest grid index whose trial fits the per-trial cap (n·width ≤ cap), or -1. */
export function capIndex(width: number, cap: number): number {
  let j = -1;
  while (j + 1 <= GRID_MAX_INDEX && gridN(j + 1) * width <= cap) j++;
  return j;
}

/** A flat prior of μ over [lo, hi] on the design grid (normalised). */
export function flatPrior(lo: number, hi: number): Float64Array {
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
export function extrapolatedPrior(marginal: Float64Array, shift: number, sd: number, flat: Float64Array): Float64Array {
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
      out[t]! += m * expNeg(-0.5 * u * u);
    }
  }
  let total = 0;
  for (let i = 0; i < MU_COUNT; i++) total += out[i]!;
  if (!(total > 0)) return flat.slice();
  for (let i = 0; i < MU_COUNT; i++) out[i] = (1 - PRIOR_FLAT_MASS) * (out[i]! / total) + PRIOR_FLAT_MASS * flat[i]!;
  return out;
}

const Z90 = 1.6448536269514722; // Φ⁻¹(0.95)

/**
 * Quantiles (log₂ n) of masses `mass[i]`, i < span, on the design grid starting at index
 * `first` (mass spread evenly over each cell, as gridQuantile reads it).
 */
function quantiles(mass: Float64Array, first: number, span: number, total: number, ps: readonly number[]): number[] {
  const out: number[] = [];
  let acc = 0,
    i = 0;
  for (const p of ps) {
    const target = p * total;
    while (i < span - 1 && acc + mass[i]! < target) acc += mass[i++]!;
    const m = mass[i]!;
    out.push(muAt(first + i) + (-0.5 + (m > 0 ? (target - acc) / m : 0.5)) * MU_STEP);
  }
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

/** Why one dimension stopped taking trials. */
export type PointStop = 'cap' | 'floor' | 'max-trials' | 'budget';

/** A posterior on the design grid: weights over (σ, μ) cells (σ-major, max 1), μ's marginal and its support. */
interface GridState {
  w: Float64Array;
  marginal: Float64Array;
  total: number;
  lo: number;
  hi: number;
}

/** The trials and the likelihood of one (learner, setting, d). */
export class AdaptivePoint {
  private readonly sg = sigmaGrid();
  private readonly tables = successTables();
  private readonly logLik: Float64Array;
  private readonly logPriorMu: Float64Array;
  private readonly counts = new Map<number, { successes: number; trials: number }>();
  readonly jMax: number;
  readonly width: number;
  private trialCount = 0;
  private spent = 0;
  stopped: PointStop | null = null;
  private fitCache: PsychometricFit | null = null;
  private stateCache: [GridState | null, GridState | null] = [null, null];
  /** The log weights of σ the posteriors use: its prior, times what the other d say about it (the chain sets them). */
  private sigmaLog: Float64Array;
  private logZCache: Float64Array | null = null;
  private readonly buffers: ({ w: Float64Array; marginal: Float64Array } | undefined)[] = [undefined, undefined];

  constructor(
    readonly base: TrialRequest & { d: number; method: TrialRecord['config']['method'] },
    /** The per-trial cap on n·costWidth (the sweep's budget). */
    readonly cap: number,
    /** The design prior of μ (the placement's, never the reported fit's). */
    prior: Float64Array,
  ) {
    this.width = costWidth(base);
    this.jMax = capIndex(this.width, cap);
    this.logPriorMu = new Float64Array(MU_COUNT);
    for (let i = 0; i < MU_COUNT; i++) this.logPriorMu[i] = prior[i]! > 0 ? logd(prior[i]!) : -Infinity;
    this.logLik = new Float64Array(MU_COUNT * this.sg.sigma.length);
    this.sigmaLog = this.sg.logPrior;
    if (this.jMax < 0) this.stopped = 'cap';
  }

  get d(): number {
    return this.base.d;
  }
  get trials(): number {
    return this.trialCount;
  }
  get compute(): number {
    return this.spent;
  }
  /** The largest n a trial may have. */
  get nCap(): number {
    return this.jMax >= 0 ? gridN(this.jMax) : 0;
  }
  /** The cost of one trial at n, as the placement counts it. */
  cost(n: number): number {
    return (n + TRIAL_OVERHEAD_N) * this.width;
  }

  /** The batch of `size` trials at n, each with its own seed (1, 2, 3, … within this d). */
  batch(n: number, size: number): TrialRequest[] {
    return Array.from({ length: size }, (_, k) => ({ ...this.base, n, seed: 1 + this.trialCount + k }));
  }

  report(n: number, records: readonly Pick<TrialRecord, 'success'>[]): void {
    const c = this.counts.get(n) ?? { successes: 0, trials: 0 };
    let ok = 0;
    for (const r of records) if (r.success === true) ok++;
    addTrials(this.logLik, DESIGN_GRID, this.sg, log2(n), ok, records.length - ok, 1, this.tables);
    c.trials += records.length;
    c.successes += ok;
    this.counts.set(n, c);
    this.trialCount += records.length;
    this.spent += records.length * n * this.width;
    this.fitCache = null;
    this.stateCache = [null, null];
    this.logZCache = null;
  }

  /**
   * max over μ of ln L(μ, σ), for each σ: what this d's trials say about the shared σ. The joint
   * fit shares σ across d, so the chain gives each d the others' as its σ weights. The maximum
   * rather than the integral over a flat μ: in the joint fit the line pins each μ_d, and an integral
   * over a wide flat range would favour a large σ merely because it fits more places.
   */
  logEvidence(): Float64Array {
    if (!this.logZCache) {
      const S = this.sg.sigma.length,
        G = MU_COUNT;
      const z = new Float64Array(S);
      for (let j = 0; j < S; j++) {
        let m = -Infinity;
        for (let i = 0; i < G; i++) m = Math.max(m, this.logLik[j * G + i]!);
        z[j] = m;
      }
      this.logZCache = z;
    }
    return this.logZCache;
  }

  /** Sets the log weights of σ (prior plus the other d's evidence); the posteriors follow them. */
  setSigmaWeights(logW: Float64Array): void {
    let same = logW.length === this.sigmaLog.length;
    for (let j = 0; same && j < logW.length; j++) same = logW[j] === this.sigmaLog[j];
    if (same) return;
    this.sigmaLog = logW;
    this.stateCache = [null, null];
  }

  cells(): TrialCount[] {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]).map(([n, c]) => ({ n, ...c }));
  }

  /** The per-d fit `prunelab fit` reports for this d (flat μ prior), or null before any trial. */
  fit(): PsychometricFit | null {
    if (this.trialCount === 0) return null;
    this.fitCache ??= fitPsychometric(this.cells());
    return this.fitCache;
  }

  /** The posterior on the design grid, with the design prior of μ or with a flat one. */
  private state(withPrior: boolean): GridState {
    const k = withPrior ? 1 : 0;
    this.stateCache[k] ??= this.computeState(withPrior);
    return this.stateCache[k]!;
  }

  private computeState(withPrior: boolean): GridState {
    const S = this.sg.sigma.length,
      G = MU_COUNT;
    // the μ cells the prior allows: the design prior's support, or the per-d fit's flat range
    // (the tested range padded by muPad octaves each side)
    let from = 0,
      to = G - 1;
    if (withPrior) {
      while (from < G - 1 && this.logPriorMu[from] === -Infinity) from++;
      while (to > from && this.logPriorMu[to] === -Infinity) to--;
    } else {
      const cells = this.cells();
      if (cells.length) {
        const own = muGridFor(log2(cells[0]!.n), log2(cells[cells.length - 1]!.n));
        from = Math.max(0, Math.ceil((own.lo - DESIGN_GRID.lo) / MU_STEP - 1e-9));
        to = Math.min(G - 1, Math.floor((own.lo + (own.count - 1) * own.step - DESIGN_GRID.lo) / MU_STEP + 1e-9));
      }
    }
    const lp = (i: number) => (withPrior ? this.logPriorMu[i]! : 0);
    let best = -Infinity;
    for (let j = 0; j < S; j++)
      for (let i = from; i <= to; i++) {
        const v = lp(i) + this.sigmaLog[j]! + this.logLik[j * G + i]!;
        if (v > best) best = v;
      }
    const buf = (this.buffers[withPrior ? 1 : 0] ??= { w: new Float64Array(S * G), marginal: new Float64Array(G) });
    const { w, marginal } = buf;
    w.fill(0);
    marginal.fill(0);
    let total = 0,
      lo = G,
      hi = -1;
    for (let j = 0; j < S; j++)
      for (let i = from; i <= to; i++) {
        const v = lp(i) + this.sigmaLog[j]! + this.logLik[j * G + i]! - best;
        if (v > -46) {
          const x = expNeg(v);
          w[j * G + i] = x;
          marginal[i]! += x;
        }
      }
    for (let i = from; i <= to; i++) {
      const m = marginal[i]!;
      total += m;
      if (m > 0) {
        if (i < lo) lo = i;
        hi = i;
      }
    }
    return { w, marginal, total, lo, hi };
  }

  /** The marginal of μ under the design prior (normalised): the next d's starting point. */
  marginal(): Float64Array {
    const p = this.state(true);
    const out = new Float64Array(MU_COUNT);
    for (let i = 0; i < MU_COUNT; i++) out[i] = p.marginal[i]! / p.total;
    return out;
  }

  /** The cost of one trial at the design posterior's median of μ. */
  medianCost(): number {
    const m = this.marginal();
    let acc = 0,
      i = 0;
    while (i < MU_COUNT - 1 && acc + m[i]! < 0.5) acc += m[i++]!;
    return pow(2, muAt(i)) * this.width;
  }

  /** Stops this d when the design posterior puts 95% of μ beyond the cap, or below the grid floor. */
  checkCensored(): void {
    if (this.stopped) return;
    const { marginal, total } = this.state(true);
    let above = 0,
      below = 0;
    const top = log2(this.nCap),
      floor = log2(GRID_BASE);
    for (let i = 0; i < MU_COUNT; i++) {
      if (muAt(i) > top) above += marginal[i]!;
      if (muAt(i) <= floor) below += marginal[i]!;
    }
    if (above / total >= CENSOR_MASS) this.stopped = 'cap';
    else if (below / total >= CENSOR_MASS) this.stopped = 'floor';
  }

  /** The central 95% of μ's marginal, widened by one octave each side: where candidate n may lie. */
  private candidates(p: GridState): number[] {
    let acc = 0,
      qLo = muAt(p.lo),
      qHi = muAt(p.hi);
    for (let i = p.lo; i <= p.hi; i++) {
      acc += p.marginal[i]!;
      if (acc / p.total < 0.025) qLo = muAt(i);
      if (acc / p.total < 0.975) qHi = muAt(i + 1);
    }
    const out: number[] = [];
    for (let j = 0; j <= this.jMax; j++) {
      const x = log2(gridN(j));
      if (x >= qLo - 1 && x <= qHi + 1) out.push(j);
    }
    // no candidate inside the bulk (the posterior lies wholly beyond the cap or below the floor)
    if (out.length === 0) out.push(qLo > log2(GRID_BASE) ? this.jMax : 0);
    return out;
  }

  /**
   * Calls f(i, weight, P(success | n = 2^x)) for every (σ, μ_i) cell of nonzero weight in p's
   * window, σ-major: the order every caller accumulates in, so the sums are the same bits.
   */
  private eachCell(p: GridState, x: number, f: (i: number, wk: number, q: number) => void): void {
    const { w, lo, hi } = p;
    const S = this.sg.sigma.length,
      G = MU_COUNT;
    for (let k = 0; k < S; k++) {
      const inv = this.sg.inv[k]!;
      for (let i = lo; i <= hi; i++) {
        const wk = w[k * G + i]!;
        if (wk === 0) continue;
        f(i, wk, successAt((x - muAt(i)) * inv, this.tables));
      }
    }
  }

  /**
   * The psi rule: the n whose trial most reduces the entropy of μ (design prior, σ under the chain's weights) per unit of
   * compute. Candidates lie in the posterior's central 95% widened by one octave each side:
   * without the limit a nearly free trial far below the bulk would win by trimming the prior's flat tail.
   */
  psiChoice(): number {
    const p = this.state(true);
    const { marginal, total, lo, hi } = p;
    const G = MU_COUNT;
    const h0 = entropy(marginal, lo, hi, total);
    let bestN = gridN(0),
      bestScore = -Infinity;
    const ms = scratch('psiSuccess', G),
      mf = scratch('psiFailure', G);
    for (const j of this.candidates(p)) {
      const n = gridN(j);
      const x = log2(n);
      ms.fill(0, lo, hi + 1);
      mf.fill(0, lo, hi + 1);
      let ps = 0;
      this.eachCell(p, x, (i, wk, q) => {
        ms[i]! += wk * q;
        mf[i]! += wk * (1 - q);
        ps += wk * q;
      });
      const pf = total - ps;
      const hExp =
        (ps > 0 ? (ps / total) * entropy(ms, lo, hi, ps) : 0) + (pf > 0 ? (pf / total) * entropy(mf, lo, hi, pf) : 0);
      const score = (h0 - hExp) / this.cost(n);
      if (score > bestScore) {
        bestScore = score;
        bestN = n;
      }
    }
    return bestN;
  }

  /**
   * The 90% interval of μ from this d's own trials (flat μ prior, σ under the chain's weights), and
   * whether it lies inside the tested range (half an octave of slack each side): "bracketed".
   */
  ownInterval(): { lo: number; hi: number; inside: boolean } {
    const p = this.state(false);
    const q = (target: number) => {
      let acc = 0;
      for (let i = p.lo; i <= p.hi; i++) {
        const m = p.marginal[i]!;
        if (acc + m >= target * p.total && m > 0) return muAt(i) + (-0.5 + (target * p.total - acc) / m) * MU_STEP;
        acc += m;
      }
      return muAt(p.hi);
    };
    const lo = q(0.05),
      hi = q(0.95);
    const cells = this.cells();
    if (cells.length === 0) return { lo, hi, inside: false };
    const nLo = log2(cells[0]!.n),
      nHi = log2(cells[cells.length - 1]!.n);
    return { lo, hi, inside: lo >= nLo - 0.5 && hi <= nHi + 0.5 };
  }

  /**
   * Centre and spread of μ under this d's own data (flat μ prior, σ under the chain's weights), as
   * a normal would have them: the median, and the variance of the normal with the same 90%
   * interval. With a handful of trials the posterior has long flat tails (the lapses let μ lie far
   * off at little cost), which would make a raw variance useless as a summary.
   */
  moments(): { mean: number; variance: number } {
    const p = this.state(false);
    const span = p.hi - p.lo + 1;
    const [q05, q50, q95] = quantiles(p.marginal.subarray(p.lo, p.hi + 1), p.lo, span, p.total, [0.05, 0.5, 0.95]);
    const w = (q95! - q05!) / (2 * Z90);
    return { mean: q50!, variance: w * w };
  }

  /**
   * For each candidate n: the expected spread of μ (own data, flat prior; the variance of the
   * normal with the same 90% interval, as `moments`) after a batch of `size` trials there,
   * averaged over the batch's outcomes under the current posterior.
   */
  expectedVariances(size: number): { n: number; variance: number }[] {
    const p = this.state(false);
    const { lo, hi } = p;
    const out: { n: number; variance: number }[] = [];
    const span = hi - lo + 1;
    const m = scratch('outcomes', (size + 1) * span);
    for (const j of this.candidates(p)) {
      const n = gridN(j);
      const x = log2(n);
      m.fill(0);
      this.eachCell(p, x, (i, wk, q) => {
        // P(s successes of `size`) ∝ q^s (1 − q)^(size − s); the binomial factor is common to each s
        let t = wk;
        for (let s = 0; s < size; s++) t *= 1 - q;
        const r = q / (1 - q);
        for (let s = 0; s <= size; s++) {
          m[s * span + i - lo]! += t;
          t *= r;
        }
      });
      let binom = 1,
        totalAll = 0,
        acc = 0;
      for (let s = 0; s <= size; s++) {
        let m0 = 0;
        for (let i = 0; i < span; i++) m0 += m[s * span + i]!;
        if (m0 > 0) {
          const [q05, q95] = quantiles(m.subarray(s * span, (s + 1) * span), lo, span, m0, [0.05, 0.95]);
          const w = (q95! - q05!) / (2 * Z90);
          acc += binom * m0 * w * w;
        }
        totalAll += binom * m0;
        binom = (binom * (size - s)) / (s + 1);
      }
      out.push({ n, variance: acc / totalAll });
    }
    return out;
  }
}
