// The joint model (stats/joint-fit.ts) against synthetic learners with known truth
// (test/helpers/synthetic-threshold.ts): straight lines, a log factor, random per-d deviations and
// a kink. Each replication brackets every threshold (4 trials at each √2-grid n within ±2.5
// octaves of it), so the data, not the design, are under test here.
//
// Acceptance, as in test/psychometric.test.ts: a count of covering 90% intervals must be
// consistent with a true coverage in [0.85, 0.95] (binomial quantiles, coverageBand, each side's
// false-alarm rate at most 1e-5). The line check's false alarms on a straight line must be
// consistent with a rate of at most 4% per learner (four d at 1% each; upper 1e-5 quantile).
// Each assertion here has a false-alarm rate of at most 1e-5, and there are 9 of them: together
// below 1e-4 per run. Power: a deliberately overconfident analysis (each trial counted 4 times;
// τ fixed at 0 on a truth that scatters about its line) fails the same band, and on a kinked
// truth the line check fires far more often than the false-alarm rate allows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { log2 } from '../src/core/math.js';
import { type JointExponent, type JointFit, fitJoint, fitJointExponent } from '../src/stats/joint-fit.js';
import { compareJoint, fitLearnerJoint } from '../src/stats/learner-joint.js';
import type { NStarPoint } from '../src/stats/grid-rule.js';
import { covers, width } from '../src/stats/interval.js';
import {
  type MuCurve,
  coverageBand,
  createPrng,
  curveDims,
  gaussian,
  olsSlope,
} from './helpers/synthetic-threshold.js';

const REPS = 200;
const ALPHA = 1e-5;
const DS = [256, 1024, 4096, 16384];
const SIGMA = 0.4;

function band(n: number) {
  return coverageBand(n, 0.85, 0.95, ALPHA);
}
function inBand(count: number, n: number, what: string) {
  const b = band(n);
  assert.ok(count >= b.lo && count <= b.hi, `${what}: ${count}/${n} outside [${b.lo}, ${b.hi}]`);
}
/** The upper 1e-5 quantile of Binomial(n, p): a count above it is a false alarm at most that often. */
function upper(n: number, p: number): number {
  return coverageBand(n, 0, p, ALPHA).hi;
}

interface Tally {
  coverB: number;
  coverN: number;
  nIntervals: number;
  flagged: number;
  widths: number[];
}
const tally = (): Tally => ({ coverB: 0, coverN: 0, nIntervals: 0, flagged: 0, widths: [] });

function score(t: Tally, f: JointFit | JointExponent, b: number, mu: MuCurve, ds: readonly number[] = []) {
  if (covers(f.exponent.interval, b)) t.coverB++;
  t.widths.push(width(f.exponent.interval));
  if (!('points' in f)) return;
  for (const p of f.points) {
    if (ds.length && !ds.includes(p.d)) continue;
    t.nIntervals++;
    if (covers(p.mu.interval, mu(p.d))) t.coverN++;
  }
  if (f.misfit.length > 0) t.flagged++;
}

// Straight: μ = 2 + 0.75·log₂ d. Scored as the model says (weight 1) and overconfidently (4).
const straight: MuCurve = (d) => 2 + 0.75 * log2(d);
const S = { honest: tally(), over: tally(), tau0: tally(), ratios: [] as number[] };
{
  const prng = createPrng(20261203);
  for (let r = 0; r < REPS; r++) {
    const dims = curveDims(straight, SIGMA, DS, prng).map((p) => ({ ...p, x: log2(p.d) }));
    const f = fitJoint(dims)!;
    score(S.honest, f, 0.75, straight);
    score(S.over, fitJoint(dims, { weight: 4 })!, 0.75, straight);
    score(S.tau0, fitJointExponent(dims, { weight: 4, tau: 0 })!, 0.75, straight);
    const f0 = fitJointExponent(dims, { tau: 0 })!;
    S.ratios.push(width(f.exponent.interval) / width(f0.exponent.interval));
  }
}

// A log factor: n*₅₀ = 4·d^0.5·ln d. Against the theory regressor x = d^0.5·ln d the line is
// exact with b = 1; against log₂ d it bends slightly, and its exponent is the least-squares slope
// of the true thresholds over these d.
const logFactor: MuCurve = (d) => 2 + log2(d ** 0.5 * Math.log(d));
const L = { regressor: tally(), vsD: tally() };
const logSlope = olsSlope(
  DS.map((d) => log2(d)),
  DS.map(logFactor),
);
{
  const prng = createPrng(20261204);
  for (let r = 0; r < REPS; r++) {
    const dims = curveDims(logFactor, SIGMA, DS, prng);
    score(L.regressor, fitJoint(dims.map((p) => ({ ...p, x: log2(p.d ** 0.5 * Math.log(p.d)) })))!, 1, logFactor);
    score(L.vsD, fitJointExponent(dims.map((p) => ({ ...p, x: log2(p.d) })))!, logSlope, logFactor);
  }
}

// Scatter about the line: μ_d = 2 + 0.75·log₂ d + δ_d, δ_d ~ N(0, 0.25²) drawn afresh per replication,
// the model's own picture of a line that does not hold exactly. τ = 0 hides it.
const R = { honest: tally(), tau0: tally() };
{
  const prng = createPrng(20261205);
  for (let r = 0; r < REPS; r++) {
    const delta = new Map(DS.map((d) => [d, 0.25 * gaussian(prng)]));
    const mu: MuCurve = (d) => straight(d) + delta.get(d)!;
    const dims = curveDims(mu, SIGMA, DS, prng).map((p) => ({ ...p, x: log2(p.d) }));
    score(R.honest, fitJoint(dims)!, 0.75, mu);
    score(R.tau0, fitJointExponent(dims, { tau: 0 })!, 0.75, mu);
  }
}

// A kink: slope 1 up to d = 1024, then 1.6 (the dense fresh learner at k* = 3 reads about 1.3 then 1.85).
const kink: MuCurve = (d) => 2 + (log2(d) <= 10 ? log2(d) : 10 + 1.6 * (log2(d) - 10));
const K = { honest: tally(), ratios: [] as number[] };
{
  const prng = createPrng(20261206);
  for (let r = 0; r < REPS; r++) {
    const dims = curveDims(kink, SIGMA, DS, prng).map((p) => ({ ...p, x: log2(p.d) }));
    const f = fitJoint(dims)!;
    score(K.honest, f, olsSlope(DS.map(log2), DS.map(kink)), kink);
    K.ratios.push(width(f.exponent.interval) / width(fitJointExponent(dims, { tau: 0 })!.exponent.interval));
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const se = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length);
};

test(`straight line: 90% intervals of b and n*50 cover the truth in 85-95% of ${REPS} replications`, () => {
  const h = S.honest;
  console.log(
    `  straight: b ${h.coverB}/${REPS}, n*50 ${h.coverN}/${h.nIntervals}, line check fired in ${h.flagged}/${REPS}; mean width ${mean(h.widths).toFixed(3)} (${mean(S.ratios).toFixed(2)}x the tau = 0 width)`,
  );
  inBand(h.coverB, REPS, 'b');
  inBand(h.coverN, h.nIntervals, 'n*50');
});

// On a straight line b's interval is mostly τ's prior allowance for bends (about 1.4x the τ = 0
// width), so counting each trial 4 times shrinks n*50's intervals but not b's enough to fail; with
// τ fixed at 0 as well, b fails too.
test('power: counting each trial 4 times fails the band for n*50, and for b once tau is fixed at 0', () => {
  console.log(
    `  overconfident: n*50 ${S.over.coverN}/${S.over.nIntervals}, b ${S.over.coverB}/${REPS}; with tau = 0 too: b ${S.tau0.coverB}/${REPS}`,
  );
  assert.ok(S.over.coverN < band(S.over.nIntervals).lo, `n*50 ${S.over.coverN}`);
  assert.ok(S.tau0.coverB < band(REPS).lo, `b ${S.tau0.coverB}`);
});

test('the line check: false alarms on a straight line at most 4% per learner; on a kink it fires far more', () => {
  const limit = upper(REPS, 0.04);
  console.log(`  line check: straight ${S.honest.flagged}/${REPS} (limit ${limit}), kink ${K.honest.flagged}/${REPS}`);
  assert.ok(S.honest.flagged <= limit, `straight: ${S.honest.flagged}`);
  assert.ok(K.honest.flagged > limit, `kink: ${K.honest.flagged}`);
});

test('a log factor: b = 1 against the theory regressor, the least-squares slope against log d, both covered', () => {
  console.log(
    `  log factor: b vs regressor ${L.regressor.coverB}/${REPS}, vs log d (truth ${logSlope.toFixed(3)}) ${L.vsD.coverB}/${REPS}, n*50 ${L.regressor.coverN}/${L.regressor.nIntervals}`,
  );
  inBand(L.regressor.coverB, REPS, 'b vs regressor');
  inBand(L.vsD.coverB, REPS, 'b vs log d');
  inBand(L.regressor.coverN, L.regressor.nIntervals, 'n*50');
});

test('scatter about the line: tau estimated keeps the coverage of b; tau fixed at 0 loses it', () => {
  console.log(
    `  scatter tau = 0.25: b ${R.honest.coverB}/${REPS} (tau = 0: ${R.tau0.coverB}/${REPS}), n*50 ${R.honest.coverN}/${R.honest.nIntervals}`,
  );
  inBand(R.honest.coverB, REPS, 'b');
  inBand(R.honest.coverN, R.honest.nIntervals, 'n*50');
  assert.ok(R.tau0.coverB < band(REPS).lo, `tau = 0: ${R.tau0.coverB}`);
});

test('a kink widens the interval of b beyond what a straight line costs, and keeps n*50 covered', () => {
  const z = (mean(K.ratios) - mean(S.ratios)) / Math.hypot(se(K.ratios), se(S.ratios));
  console.log(
    `  kink: width over the tau = 0 width ${mean(K.ratios).toFixed(2)} against ${mean(S.ratios).toFixed(2)} on a straight line (z = ${z.toFixed(1)}); b (least-squares truth) ${K.honest.coverB}/${REPS}, n*50 ${K.honest.coverN}/${K.honest.nIntervals}`,
  );
  assert.ok(z > 5, `z ${z}`);
  inBand(K.honest.coverN, K.honest.nIntervals, 'n*50');
});

test('censoring: a d that never succeeds up to the cap is a one-sided constraint that pushes the line up', () => {
  const prng = createPrng(7);
  const dims = curveDims(straight, SIGMA, [256, 1024, 4096], prng).map((p) => ({ ...p, x: log2(p.d) }));
  const without = fitJoint(dims)!;
  // d = 16384 (true log2 n*50 = 12.5): every trial up to n = 2^k fails, as if the cap stopped it there
  const capped = (k: number) =>
    fitJoint([
      ...dims,
      { d: 16384, x: 14, cells: [k - 2, k - 1, k].map((j) => ({ n: 2 ** j, successes: 0, trials: 4 })) },
    ])!;
  const low = capped(11),
    high = capped(15);
  for (const f of [low, high]) {
    const top = f.points.find((p) => p.d === 16384)!;
    assert.is(top.censored, 'above');
    assert.is(top.check, null);
  }
  // "> 2^11" agrees with the line and leaves b where it was; "> 2^15" can only be met by a steeper line
  assert.ok(
    Math.abs(low.exponent.median - without.exponent.median) < 0.05,
    `${low.exponent.median} vs ${without.exponent.median}`,
  );
  assert.ok(
    high.exponent.median > without.exponent.median + 0.1,
    `${high.exponent.median} vs ${without.exponent.median}`,
  );
  assert.ok(high.points.find((p) => p.d === 16384)!.mu.interval.lo > 15, 'the censored threshold lies above its bound');
});

test('shape of the result: intervals carry the level and the estimator; two d suffice; one x does not; same input, same bits', () => {
  const prng = createPrng(8);
  const dims = curveDims(straight, SIGMA, [256, 4096], prng).map((p) => ({ ...p, x: log2(p.d) }));
  const f = fitJoint(dims, { level: 0.8 })!;
  assert.is(f.exponent.interval.level, 0.8);
  assert.match(f.exponent.interval.method, /joint posterior/);
  assert.is(f.points.length, 2);
  assert.ok(f.points.every((p) => p.check === null && p.n50.interval.lo <= p.n50.median));
  assert.ok(f.crossCheck !== null && f.posterior.mass.length > 10);
  assert.ok(f.tau.interval.lo >= 0 && f.sigma.interval.lo > 0);
  assert.is(fitJoint(dims.map((p) => ({ ...p, x: 3 }))), null);
  assert.equal(JSON.stringify(fitJoint(dims, { level: 0.8 })!.exponent), JSON.stringify(f.exponent));
});

test('Delta b over the shared d: clearly different exponents exclude 0, equal ones include it', () => {
  const prng = createPrng(5);
  const learner = (a: number, b: number) =>
    curveDims((d) => a + b * log2(d), SIGMA, DS, prng).map((p) => ({ ...p, x: log2(p.d) }));
  const pruned = learner(3, 0.5),
    dense = learner(0, 1.1),
    dense2 = learner(0, 1.1);
  const c = compareJoint({ label: 'pruned', dims: pruned }, { label: 'dense', dims: dense.slice(0, 3) })!;
  assert.equal(c.ds, [256, 1024, 4096]);
  assert.ok(c.delta.interval.hi < 0 && !c.containsZero, JSON.stringify(c.delta));
  assert.match(c.delta.interval.method, /convolution/);
  assert.ok(compareJoint({ label: 'a', dims: dense2 }, { label: 'b', dims: dense })!.containsZero);
  assert.is(compareJoint({ label: 'a', dims: dense.slice(0, 1) }, { label: 'b', dims: dense }), null);
});

test('fitLearnerJoint: against log d and the theory scaling (pruned: s^k*·log d), with local exponents', () => {
  const prng = createPrng(6);
  // pruned hermite-thr at alpha = 1/4, k* = 2: theory n* ∝ s²·log d with s = round(d^(1/4))
  const s = (d: number) => Math.round(d ** 0.25);
  const mu: MuCurve = (d) => 4 + log2(s(d) ** 2 * Math.log(d));
  const points = curveDims(mu, SIGMA, DS, prng).map(
    (p) =>
      ({
        method: 'hermite-thr',
        d: p.d,
        s: s(p.d),
        kStar: 2,
        series: 'x',
        setting: { batch: 'reuse' },
        nStar: null,
        censoredAbove: null,
        perN: p.cells.map((c) => ({ n: c.n, successes: c.successes, seeds: c.trials })),
      }) as unknown as NStarPoint,
  );
  const f = fitLearnerJoint(points, { sweep: false });
  assert.ok(f.vsD && f.vsTheory, 'both fits');
  assert.is(f.vsTheory!.scaling, 'pruned');
  assert.ok(covers(f.vsTheory!.exponent.interval, 1), JSON.stringify(f.vsTheory!.exponent));
  assert.is(f.local.vsD.length, 3);
  assert.ok(f.local.vsRegressor !== null && f.local.fromDMin.length === 0);
});

test.run();
