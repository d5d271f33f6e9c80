// Local exponents (stats/local-exponents.ts) on synthetic learners whose local slopes are known:
// a kink (slope 1 up to d = 1024, then 1.6) and a log factor (n*₅₀ = 4·d^0.5·ln d, whose slope
// against log₂ d is 0.5 + Δlog₂ ln d/Δlog₂ d and exactly 1 against log₂(d^0.5·ln d)). Each
// replication brackets every threshold as in test/joint-fit.test.ts.
//
// Acceptance: the count of covering 90% intervals consistent with a true coverage in [0.85, 0.95]
// (binomial quantiles, each side at most 1e-5). Neighbouring slopes share a threshold: the
// correlation the fit reports must match the correlation of the slope estimates across
// replications within 5 standard errors of a sample correlation ((1 − ρ²)/√R, false alarm below
// 1e-6), and it must be clearly negative (a fit that called them independent fails). Five
// assertions at ≤ 1e-5 each: below 1e-4 per run. Power: counting each trial 4 times fails the band.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { log2 } from '../src/core/math.js';
import { covers } from '../src/stats/interval.js';
import { fitFromDMin, localExponents } from '../src/stats/local-exponents.js';
import { type MuCurve, coverageBand, createPrng, curveDims } from './helpers/synthetic-threshold.js';

const REPS = 200;
const ALPHA = 1e-5;
const DS = [256, 1024, 4096, 16384];
const kink: MuCurve = (d) => 2 + (log2(d) <= 10 ? log2(d) : 10 + 1.6 * (log2(d) - 10));
const KINK_SLOPES = [1, 1.6, 1.6];
const logFactor: MuCurve = (d) => 2 + log2(d ** 0.5 * Math.log(d));
const regressor = (d: number) => log2(d ** 0.5 * Math.log(d));
const LOG_SLOPES = DS.slice(1).map((d, k) => (logFactor(d) - logFactor(DS[k]!)) / (log2(d) - log2(DS[k]!)));

const inBand = (count: number, n: number, what: string) => {
  const b = coverageBand(n, 0.85, 0.95, ALPHA);
  assert.ok(count >= b.lo && count <= b.hi, `${what}: ${count}/${n} outside [${b.lo}, ${b.hi}]`);
};

const K = { cover: 0, over: 0, n: 0, estimates: [] as number[][], reported: [] as number[], dMin: 0 };
{
  const prng = createPrng(20261207);
  for (let r = 0; r < REPS; r++) {
    const dims = curveDims(kink, 0.4, DS, prng);
    const honest = localExponents(dims, { sweep: false });
    const over = localExponents(dims, { sweep: false, weight: 4 });
    honest.vsD.forEach((s, k) => {
      K.n++;
      if (covers(s.interval, KINK_SLOPES[k]!)) K.cover++;
      if (covers(over.vsD[k]!.interval, KINK_SLOPES[k]!)) K.over++;
    });
    K.estimates.push(honest.vsD.map((s) => s.slope));
    K.reported.push(honest.vsD[0]!.correlationWithNext!);
    // the finite-size-scaling check: the exponent from the largest d only (here two d, where the slope is 1.6)
    if (covers(fitFromDMin(dims, 4096)!.exponent.interval, 1.6)) K.dMin++;
  }
}

const G = { vsD: 0, vsRegressor: 0, n: 0 };
{
  const prng = createPrng(20261208);
  for (let r = 0; r < REPS; r++) {
    const dims = curveDims(logFactor, 0.4, DS, prng).map((p) => ({ ...p, regressor: regressor(p.d) }));
    const L = localExponents(dims, { sweep: false });
    L.vsD.forEach((s, k) => {
      G.n++;
      if (covers(s.interval, LOG_SLOPES[k]!)) G.vsD++;
      if (covers(L.vsRegressor![k]!.interval, 1)) G.vsRegressor++;
    });
  }
}

test(`a kink: the 90% intervals of the consecutive slopes cover 1, 1.6, 1.6 in 85-95% of ${REPS} replications`, () => {
  console.log(
    `  kink: local slopes ${K.cover}/${K.n}; counted 4 times ${K.over}/${K.n}; exponent over d >= 4096 ${K.dMin}/${REPS}`,
  );
  inBand(K.cover, K.n, 'local slopes');
  inBand(K.dMin, REPS, 'exponent over d >= 4096');
});

test('power: counting each trial 4 times fails the band', () => {
  assert.ok(K.over < coverageBand(K.n, 0.85, 0.95, ALPHA).lo, `${K.over}/${K.n}`);
});

test('neighbouring slopes: the reported correlation matches the replications and is clearly negative', () => {
  const a = K.estimates.map((e) => e[0]!),
    b = K.estimates.map((e) => e[1]!);
  const m = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = m(a),
    mb = m(b);
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < REPS; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  const empirical = sab / Math.sqrt(saa * sbb);
  const reported = m(K.reported);
  const tol = (5 * (1 - reported * reported)) / Math.sqrt(REPS);
  console.log(
    `  correlation of neighbouring slopes: reported ${reported.toFixed(2)}, across replications ${empirical.toFixed(2)} (tolerance ${tol.toFixed(2)})`,
  );
  assert.ok(Math.abs(empirical - reported) <= tol, `${empirical} vs ${reported}`);
  assert.ok(reported < -tol, 'independent slopes would report 0');
});

test('a log factor: slopes against log d are b + (change of log2 ln d), against the regressor 1; both covered', () => {
  console.log(
    `  log factor: vs log d (truth ${LOG_SLOPES.map((s) => s.toFixed(3)).join(', ')}) ${G.vsD}/${G.n}, vs log2(d^0.5 ln d) ${G.vsRegressor}/${G.n}`,
  );
  inBand(G.vsD, G.n, 'vs log d');
  inBand(G.vsRegressor, G.n, 'vs regressor');
});

test('shape: one slope per pair with its interval and level, a d_min sweep, censored ends flagged', () => {
  const prng = createPrng(9);
  const dims = curveDims(kink, 0.4, DS, prng);
  const L = localExponents(dims, { level: 0.8 });
  assert.is(L.vsD.length, 3);
  assert.is(L.vsRegressor, null);
  assert.equal(
    L.fromDMin.map((f) => f.dMin),
    [256, 1024, 4096],
  );
  assert.ok(L.vsD.every((s) => s.interval.level === 0.8 && s.interval.lo <= s.slope && s.slope <= s.interval.hi));
  assert.is(L.vsD[2]!.correlationWithNext, null);
  const censored = localExponents([
    ...dims.slice(0, 2),
    { d: 4096, cells: [10, 11].map((k) => ({ n: 2 ** k, successes: 0, trials: 4 })) },
  ]);
  assert.is(censored.vsD[1]!.censored, 'above');
  assert.is(localExponents(dims.slice(0, 1)).vsD.length, 0);
});

test.run();
