// The psychometric and scaling fits against a synthetic learner with known truth
// (test/helpers/synthetic-threshold.ts). Coverage acceptance: with R intervals, the count that
// cover the truth must be consistent with a true coverage in [0.85, 0.95]: each side's false-alarm
// rate is at most 1e-5 (binomial quantiles, coverageBand), so the suite's checks together raise a
// false alarm less than once in 10^4 runs. A deliberately overconfident fit (each trial counted
// 4 times, as if correlated seeds were independent) must fail the same band.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitPsychometric, gridQuantile, psychometric } from '../src/stats/psychometric.js';
import { exponentDifference, fitExponent, type ScalingPoint } from '../src/stats/exponent.js';
import { gridN } from '../src/stats/n-grid.js';
import { approxEqual } from './helpers/approx.js';
import { coverageBand, createPrng, syntheticCells, trueMu, type Truth } from './helpers/synthetic-threshold.js';

const TRUTH: Truth = { a: 2, b: 0.75, sigma: 0.4 };
const DS = [256, 1024, 4096, 16384];
const REPS = 200;
const ALPHA = 1e-5;

/** The √2-grid n within ±2.5 octaves of the true threshold (a design that brackets it, as a search would). */
function design(d: number): number[] {
  const mu = trueMu(TRUTH, d);
  const out: number[] = [];
  for (let j = 0; j <= 60; j++) {
    const n = gridN(j);
    if (Math.abs(Math.log2(n) - mu) <= 2.5) out.push(n);
  }
  return out;
}

function replicate(weight: number, seed: number) {
  const prng = createPrng(seed);
  let coverB = 0,
    coverN = 0,
    nIntervals = 0;
  for (let r = 0; r < REPS; r++) {
    const points: ScalingPoint[] = DS.map((d) => {
      const fit = fitPsychometric(syntheticCells(TRUTH, d, design(d), 4, prng), { weight });
      const mu = trueMu(TRUTH, d);
      nIntervals++;
      if (fit.n50CI.lo <= 2 ** mu && 2 ** mu <= fit.n50CI.hi) coverN++;
      return { d, x: Math.log2(d), fit };
    });
    const e = fitExponent(points)!;
    if (e.exponentCI.lo <= TRUTH.b && TRUTH.b <= e.exponentCI.hi) coverB++;
  }
  return { coverB, coverN, nIntervals };
}

test('the coverage band comes from the binomial (and rejects what it should)', () => {
  const band = coverageBand(200, 0.85, 0.95, ALPHA);
  assert.ok(band.lo > 140 && band.lo < 160, `lo ${band.lo}`);
  assert.is(band.hi, 200); // 200 intervals cannot show over-coverage at this false-alarm rate
  const b800 = coverageBand(800, 0.85, 0.95, ALPHA);
  assert.ok(b800.lo > 630 && b800.hi < 800, `${b800.lo} ${b800.hi}`);
});

const honest = replicate(1, 20261202);

test(`90% intervals of b and n*50 cover the truth in 85-95% of ${REPS} replications`, () => {
  const bandB = coverageBand(REPS, 0.85, 0.95, ALPHA);
  const bandN = coverageBand(honest.nIntervals, 0.85, 0.95, ALPHA);
  console.log(
    `  coverage: b ${honest.coverB}/${REPS} (band [${bandB.lo}, ${bandB.hi}]), n*50 ${honest.coverN}/${honest.nIntervals} (band [${bandN.lo}, ${bandN.hi}])`,
  );
  assert.ok(honest.coverB >= bandB.lo && honest.coverB <= bandB.hi, `b covered ${honest.coverB}/${REPS}`);
  assert.ok(
    honest.coverN >= bandN.lo && honest.coverN <= bandN.hi,
    `n50 covered ${honest.coverN}/${honest.nIntervals}`,
  );
});

test('power: an overconfident likelihood (each trial counted 4 times) fails the band', () => {
  const wrong = replicate(4, 20261202);
  const bandB = coverageBand(REPS, 0.85, 0.95, ALPHA);
  const bandN = coverageBand(wrong.nIntervals, 0.85, 0.95, ALPHA);
  console.log(`  overconfident coverage: b ${wrong.coverB}/${REPS}, n*50 ${wrong.coverN}/${wrong.nIntervals}`);
  assert.ok(wrong.coverB < bandB.lo, `b covered ${wrong.coverB}`);
  assert.ok(wrong.coverN < bandN.lo, `n50 covered ${wrong.coverN}`);
});

test('complete separation gives a finite interval inside the tested range', () => {
  const cells = [256, 362, 512, 724, 1024].map((n) => ({ n, successes: n >= 512 ? 5 : 0, trials: 5 }));
  const f = fitPsychometric(cells);
  assert.ok(f.n50CI.lo >= 362 && f.n50CI.hi <= 512, `${f.n50CI}`);
  assert.is(f.censored, null);
  const all = fitPsychometric([256, 512].map((n) => ({ n, successes: 0, trials: 5 })));
  assert.is(all.censored, 'above');
  const none = fitPsychometric([256, 512].map((n) => ({ n, successes: 5, trials: 5 })));
  assert.is(none.censored, 'below');
  approxEqual(psychometric(2 ** 10, 10, 0.5), 0.5, { abs: 1e-15 });
  approxEqual(gridQuantile(f.muPosterior, 0.5), f.mu, { abs: 0 });
});

test('Δb: clearly different exponents exclude 0; equal ones include it', () => {
  const prng = createPrng(5);
  const fitFor = (t: Truth) =>
    fitExponent(
      DS.map((d) => {
        const mu = t.a + t.b * Math.log2(d);
        const ns = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2].map((o) => Math.round(2 ** (mu + o)));
        return { d, x: Math.log2(d), fit: fitPsychometric(syntheticCells(t, d, ns, 6, prng)) };
      }),
    )!;
  const pruned = fitFor({ a: 3, b: 0.5, sigma: 0.4 });
  const dense = fitFor({ a: 0, b: 1.1, sigma: 0.4 });
  const dense2 = fitFor({ a: 0, b: 1.1, sigma: 0.4 });
  const diff = exponentDifference(pruned.posterior, dense.posterior);
  assert.ok(diff.deltaCI.hi < 0 && !diff.containsZero, `${diff.deltaCI}`);
  assert.ok(exponentDifference(dense2.posterior, dense.posterior).containsZero);
});

test.run();
