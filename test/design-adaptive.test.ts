// The adaptive design (experiment/design-adaptive.ts) on the synthetic learner with known truth
// (test/helpers/design-comparison.ts: μ(d) = a + b·log₂ d, σ, every trial an independent draw).
// Coverage acceptance as in test/psychometric.test.ts: the count of 90% intervals that cover the
// truth must be consistent with a true coverage in [0.85, 0.95], each side's false-alarm rate at
// most 1e-5 (binomial quantiles, coverageBand); with the power check, the suite's checks here
// raise a false alarm less than once in 10^4 runs. A deliberately overconfident analysis (each
// trial counted 4 times) must fail the same band.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AdaptiveChain, AdaptiveSearch } from '../src/experiment/design-adaptive.js';
import type { TrialRecord } from '../src/core/types.js';
import type { TrialRequest } from '../src/experiment/design-search.js';
import {
  type ComparisonSetup,
  compareDesigns,
  plan,
  analyseAdaptive,
  driveAdaptive,
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

/** Coverage of the 90% intervals over REPS replications, each analysed with likelihood weights 1 and 4. */
function coverage() {
  const out = [1, 4].map(() => ({ coverB: 0, coverN: 0, nIntervals: 0 }));
  for (let r = 0; r < REPS; r++) {
    const run = driveAdaptive(SETUP, 5000 + r);
    [1, 4].forEach((weight, k) => {
      const x = analyseAdaptive(run, weight);
      const c = out[k]!;
      if (x.ok && x.lo <= SETUP.truth.b && SETUP.truth.b <= x.hi) c.coverB++;
      for (const p of x.perD) {
        const n50 = 2 ** trueMu(SETUP.truth, p.d);
        c.nIntervals++;
        if (p.n50CI.lo <= n50 && n50 <= p.n50CI.hi) c.coverN++;
      }
    });
  }
  return { honest: out[0]!, overconfident: out[1]! };
}
const COVERAGE = coverage();

/** Drives a chain to its end with the synthetic outcomes, returning every request in order. */
function drive(chain: AdaptiveChain, rep: number): TrialRequest[] {
  const all: TrialRequest[] = [];
  for (let batch = chain.next(); batch; batch = chain.next()) {
    all.push(...batch);
    chain.report(batch.map((c) => ({ success: syntheticSuccess(SETUP.truth, rep, c) }) as TrialRecord));
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

test('power: an overconfident analysis of the adaptive trials (each counted 4 times) fails the band', () => {
  const c = COVERAGE.overconfident;
  const bandB = coverageBand(REPS, 0.85, 0.95, ALPHA);
  const bandN = coverageBand(c.nIntervals, 0.85, 0.95, ALPHA);
  console.log(`  overconfident coverage: b ${c.coverB}/${REPS}, n*50 ${c.coverN}/${c.nIntervals}`);
  assert.ok(c.coverB < bandB.lo, `b covered ${c.coverB}`);
  assert.ok(c.coverN < bandN.lo, `n50 covered ${c.coverN}`);
});

test('deterministic: the same outcomes give the same trials; each trial has its own seed within its d', () => {
  const a = drive(new AdaptiveChain(plan(SETUP)), 7);
  const b = drive(new AdaptiveChain(plan(SETUP)), 7);
  assert.equal(a, b);
  const keys = a.map((c) => `${c.d}|${c.seed}`);
  assert.is(new Set(keys).size, keys.length);
  const other = drive(new AdaptiveChain(plan(SETUP)), 8);
  assert.not.equal(other, a, 'different outcomes lead elsewhere');
});

test('the prior of a larger d comes from the smaller one: its first trials land near the threshold', () => {
  const reqs = drive(new AdaptiveChain(plan(SETUP)), 11);
  for (const d of [1024, 4096]) {
    const first = reqs.find((c) => c.d === d)!;
    const off = Math.log2(first.n!) - trueMu(SETUP.truth, d);
    assert.ok(Math.abs(off) <= 1.5, `d=${d}: first n ${first.n}, ${off.toFixed(2)} octaves from the threshold`);
  }
  // the first d starts from a flat prior: its first trial is the cheapest informative one, far below
  const first = reqs[0]!;
  assert.ok(Math.log2(first.n!) < trueMu(SETUP.truth, 256) - 2, `first n ${first.n}`);
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
    assert.ok(r.trials <= 48);
  }
});

test('a search with no affordable trial is censored at once', () => {
  const s = new AdaptiveSearch({ d: 4096, method: 'none' }, 16 * 4096, new Float64Array(961).fill(1 / 961), {
    targetWidth: 1,
    maxTrials: 48,
    searchBudget: Infinity,
    batch: 2,
  });
  assert.is(s.next(), null);
  assert.is(s.result().stop, 'cap');
});

test('against the sqrt(2)-grid search with 5 seeds: no wider exponent interval, for less compute', () => {
  const r = compareDesigns(SETUP, 40, {});
  console.log(
    `  adaptive (default target): width ${r.adaptive.meanWidth.toFixed(3)}, compute ${r.adaptive.meanCompute.toExponential(2)}, rmse ${r.adaptive.rmse.toFixed(3)}; ` +
      `search: width ${r.search.meanWidth.toFixed(3)}, compute ${r.search.meanCompute.toExponential(2)}, rmse ${r.search.rmse.toFixed(3)}; ` +
      `compute ratio ${r.computeRatio.toFixed(2)}`,
  );
  assert.ok(r.widthRatio <= 1, `width ratio ${r.widthRatio}`);
  assert.ok(r.computeRatio < 1, `compute ratio ${r.computeRatio}`);
  assert.ok(r.adaptive.rmse <= r.search.rmse, 'its point estimate is no less precise');
});

test.run();
