// The adaptive design (experiment/design-adaptive.ts) on the synthetic learner with known truth
// (test/helpers/design-comparison.ts: μ(d) = a + b·log₂ d, σ, every trial an independent draw),
// analysed as `prunelab fit` analyses it: the joint model (stats/joint-fit.ts).
// Coverage acceptance as in test/psychometric.test.ts: the count of 90% intervals that cover the
// truth must be consistent with a true coverage in [0.85, 0.95], each side's false-alarm rate at
// most 1e-5 (binomial quantiles, coverageBand); with the power checks, the suite's statistical
// assertions raise a false alarm less than once in 10^4 runs. Power: an overconfident analysis
// (each trial counted 4 times; for b also τ fixed at 0, since b's interval is mostly τ's allowance
// for bends) must fail the same band.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AdaptiveChain, AdaptivePoint } from '../src/experiment/design-adaptive.js';
import { exponentVariance, plugInExponentVariance, slopeVariance } from '../src/experiment/design-exponent.js';
import type { TrialRecord } from '../src/core/types.js';
import type { TrialRequest } from '../src/experiment/design-search.js';
import { fitJointExponent } from '../src/stats/joint-fit.js';
import { expandSweep } from '../src/experiment/sweep.js';
import {
  type ComparisonSetup,
  analyseAdaptive,
  compareDesigns,
  dimsOf,
  driveAdaptive,
  plan,
  syntheticSuccess,
} from './helpers/design-comparison.js';
import { coverageBand, trueMu } from './helpers/synthetic-threshold.js';

const SETUP: ComparisonSetup = {
  truth: { a: 2, b: 1, sigma: 0.4 },
  ds: [256, 1024, 4096],
  budget: 2 ** 32,
  searchSeeds: 5,
};
const REPS = 200;
const ALPHA = 1e-5;

/** Coverage of the 90% intervals over REPS replications, analysed as the model says and overconfidently. */
function coverage() {
  const tally = () => ({ coverB: 0, coverN: 0, nIntervals: 0 });
  const out = { honest: tally(), over: tally(), overTau0: tally(), widthStops: 0, widthAtStop: [] as number[] };
  for (let r = 0; r < REPS; r++) {
    const run = driveAdaptive(SETUP, 5000 + r);
    const variants = [
      [out.honest, analyseAdaptive(run)],
      [out.over, analyseAdaptive(run, 4)],
      [out.overTau0, analyseAdaptive(run, 4, 0)],
    ] as const;
    for (const [c, x] of variants) {
      if (x.ok && x.lo <= SETUP.truth.b && SETUP.truth.b <= x.hi) c.coverB++;
      for (const p of x.perD) {
        const n50 = 2 ** trueMu(SETUP.truth, p.d);
        c.nIntervals++;
        if (p.n50CI[0] <= n50 && n50 <= p.n50CI[1]) c.coverN++;
      }
    }
    if (run.results.every((x) => x.stop === 'width')) {
      out.widthStops++;
      out.widthAtStop.push(variants[0][1].width);
    }
  }
  return out;
}
const COVERAGE = coverage();

/** Drives a chain to its end with the synthetic outcomes, returning every request in order. */
function drive(chain: AdaptiveChain, rep: number, setup = SETUP): TrialRequest[] {
  const all: TrialRequest[] = [];
  for (let batch = chain.next(); batch; batch = chain.next()) {
    all.push(...batch);
    chain.report(batch.map((c) => ({ success: syntheticSuccess(setup.truth, rep, c) }) as TrialRecord));
  }
  return all;
}

test(`adaptive design: 90% intervals of b and n*50 cover the truth in 85-95% of ${REPS} replications`, () => {
  const c = COVERAGE.honest;
  const bandB = coverageBand(REPS, 0.85, 0.95, ALPHA);
  const bandN = coverageBand(c.nIntervals, 0.85, 0.95, ALPHA);
  console.log(
    `  adaptive coverage: b ${c.coverB}/${REPS} (band [${bandB.lo}, ${bandB.hi}]), n*50 ${c.coverN}/${c.nIntervals} (band [${bandN.lo}, ${bandN.hi}])`,
  );
  assert.ok(c.coverB >= bandB.lo && c.coverB <= bandB.hi, `b covered ${c.coverB}/${REPS}`);
  assert.ok(c.coverN >= bandN.lo && c.coverN <= bandN.hi, `n50 covered ${c.coverN}/${c.nIntervals}`);
});

test('power: an overconfident analysis of the adaptive trials fails the band', () => {
  const { over, overTau0 } = COVERAGE;
  console.log(
    `  counted 4 times: n*50 ${over.coverN}/${over.nIntervals}, b ${over.coverB}/${REPS}; and tau = 0: b ${overTau0.coverB}/${REPS}`,
  );
  assert.ok(over.coverN < coverageBand(over.nIntervals, 0.85, 0.95, ALPHA).lo, `n50 covered ${over.coverN}`);
  assert.ok(overTau0.coverB < coverageBand(REPS, 0.85, 0.95, ALPHA).lo, `b covered ${overTau0.coverB}`);
});

test('the chain stops at its target: every chain that stops on width has a joint interval of b at most that wide', () => {
  const { widthStops, widthAtStop } = COVERAGE;
  const worst = Math.max(...widthAtStop);
  console.log(`  stopped on width in ${widthStops}/${REPS}; widest interval then ${worst.toFixed(3)} (target 0.3)`);
  assert.ok(widthStops >= REPS / 2, `${widthStops}`);
  assert.ok(worst <= 0.3 + 1e-12, `${worst}`);
});

test('deterministic: the same outcomes give the same trials; each trial has its own seed within its d; next() waits for report()', () => {
  const a = drive(new AdaptiveChain(plan(SETUP)), 7);
  const b = drive(new AdaptiveChain(plan(SETUP)), 7);
  assert.equal(a, b);
  const keys = a.map((c) => `${c.d}|${c.seed}`);
  assert.is(new Set(keys).size, keys.length);
  const other = drive(new AdaptiveChain(plan(SETUP)), 8);
  assert.not.equal(other, a, 'different outcomes lead elsewhere');
  const chain = new AdaptiveChain(plan(SETUP));
  assert.equal(chain.next(), chain.next(), 'the pending batch is the same until it is reported');
});

test('a chain with d of its own also narrows b over the d it shares with the other learner, where Δb is taken', () => {
  // the separation preset's shape: the pruned learner has 16384 and 65536 beyond the shared 256..4096
  const [pruned, dense] = expandSweep({
    name: 'synthetic',
    summary: 'synthetic',
    settings: [{ alpha: 0.25, link: 'he2' }],
    methods: ['hermite-thr', 'none'],
    d: [256, 1024, 4096],
    extraD: { 'hermite-thr': [16384, 65536] },
    seeds: 1,
    budget: 2 ** 40,
  });
  assert.equal(pruned!.chain.sharedDs, [256, 1024, 4096]);
  assert.is(dense!.chain.sharedDs, undefined, 'a chain whose every d is shared has one target');
  const truth = { a: 6, b: 0.5, sigma: 0.4 };
  const shared = new Set([256, 1024, 4096]);
  const widths: number[] = [];
  for (let rep = 0; rep < 12; rep++) {
    const chain = new AdaptiveChain(pruned!);
    for (let batch = chain.next(); batch; batch = chain.next())
      chain.report(batch.map((c) => ({ success: syntheticSuccess(truth, rep, c) }) as TrialRecord));
    const results = chain.results();
    if (!results.every((r) => r.stop === 'width')) continue;
    const fit = fitJointExponent(dimsOf(results.filter((r) => shared.has(r.d))));
    assert.ok(fit, `rep ${rep}: a joint fit over the shared d`);
    widths.push(fit!.exponent.interval.hi - fit!.exponent.interval.lo);
  }
  console.log(`  b over the shared d at a width stop: ${widths.map((w) => w.toFixed(2)).join(', ')}`);
  assert.ok(widths.length >= 6, `${widths.length} of 12 chains stopped on width`);
  for (const w of widths) assert.ok(w <= 0.3 + 1e-12, `b over the shared d is ${w.toFixed(3)} wide at the stop`);
});

test('the prior of a larger d comes from the smaller one: its first trials land near the threshold', () => {
  const reqs = drive(new AdaptiveChain(plan(SETUP)), 11);
  for (const d of [1024, 4096]) {
    const first = reqs.find((c) => c.d === d)!;
    const off = Math.log2(first.n!) - trueMu(SETUP.truth, d);
    assert.ok(Math.abs(off) <= 2, `d=${d}: first n ${first.n}, ${off.toFixed(2)} octaves from the threshold`);
  }
  // the first d starts from a flat prior: its first trial is the cheapest informative one, far below
  const first = reqs[0]!;
  assert.ok(Math.log2(first.n!) < trueMu(SETUP.truth, 256) - 2, `first n ${first.n}`);
  // once bracketed, trials go to every d, not one d at a time
  const afterBracketing = reqs.slice(reqs.findIndex((c) => c.d === 4096));
  assert.ok(new Set(afterBracketing.map((c) => c.d)).size >= 2, 'the exponent phase spreads over the dimensions');
});

test('censoring: a threshold beyond the cap stops with "> N", and no trial exceeds the cap', () => {
  const setup = { ...SETUP, truth: { a: 30, b: 1, sigma: 0.4 } };
  const chain = new AdaptiveChain(plan(setup));
  let max = 0;
  for (let batch = chain.next(); batch; batch = chain.next()) {
    for (const c of batch) max = Math.max(max, c.n! * c.d!);
    chain.report(batch.map((c) => ({ success: syntheticSuccess(setup.truth, 1, c) }) as TrialRecord));
  }
  assert.ok(max <= setup.budget, `max n·d ${max}`);
  for (const r of chain.results()) {
    assert.is(r.stop, 'cap', `d=${r.d}: ${r.stop}`);
    assert.ok(r.censored && r.nStar === null && r.bound !== null, JSON.stringify(r));
    assert.ok(r.trials <= 64);
  }
  // a d censored while the others are measured stays a one-sided constraint in the joint fit
  const mixed = { ...SETUP, ds: [256, 1024, 4096], budget: 2 ** 24 };
  const run = driveAdaptive(mixed, 3);
  const top = run.results.find((r) => r.d === 4096)!;
  assert.is(top.stop, 'cap');
  assert.ok(fitJointExponent(dimsOf(run.results)) !== null);
});

test('a dimension with no affordable trial is censored at once', () => {
  const p = new AdaptivePoint({ d: 4096, method: 'none' }, 16 * 4096, new Float64Array(961).fill(1 / 961));
  assert.is(p.stopped, 'cap');
  assert.is(p.nCap, 0);
});

test('the placement criterion: sharpening an end helps; at a fixed tau the middle d cannot, but with tau estimated it can', () => {
  const pts = (v: number[], m = [10, 12, 14]) => [8, 10, 12].map((x, k) => ({ x, mean: m[k]!, variance: v[k]! }));
  const now = pts([0.04, 0.04, 0.04]);
  assert.ok(slopeVariance(pts([0.01, 0.04, 0.04]), 0.1) < slopeVariance(now, 0.1));
  assert.ok(Math.abs(slopeVariance(pts([0.04, 0.01, 0.04]), 0.1) - slopeVariance(now, 0.1)) < 1e-12);
  // τ averaged over its posterior: a sharper middle that stays on the line says the line holds
  assert.ok(plugInExponentVariance(now, 1, 0.01) < exponentVariance(now), 'the middle d is worth a trial');
  assert.ok(plugInExponentVariance(now, 0, 0.01) < exponentVariance(now), 'so is an end');
  // a middle d off the line is expected to come back towards it, not to sharpen the bend
  const off = pts([0.04, 0.04, 0.04], [10, 12.3, 14]);
  assert.ok(plugInExponentVariance(off, 1, 0.01) < exponentVariance(off));
});

test('against the sqrt(2)-grid search with 5 seeds: a more precise b, an interval no wider than the joint fit gives the search, for less compute', () => {
  const r = compareDesigns(SETUP, 40, {});
  console.log(
    `  adaptive (default target 0.3): width ${r.adaptive.meanWidth.toFixed(3)}, compute ${r.adaptive.meanCompute.toExponential(2)}, rmse ${r.adaptive.rmse.toFixed(3)}; ` +
      `search: bootstrap width ${r.search.meanWidth.toFixed(3)}, joint width ${r.searchJointWidth.toFixed(3)}, compute ${r.search.meanCompute.toExponential(2)}, rmse ${r.search.rmse.toFixed(3)}; compute ratio ${r.computeRatio.toFixed(2)}`,
  );
  assert.ok(r.adaptive.meanWidth <= r.searchJointWidth, `width ${r.adaptive.meanWidth} vs ${r.searchJointWidth}`);
  assert.ok(r.computeRatio < 1, `compute ratio ${r.computeRatio}`);
  assert.ok(r.adaptive.rmse <= r.search.rmse, 'its point estimate is no less precise');
});

test.run();
