import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitSeries, fitSlope, leastSquares, quantileSorted, regressorValue } from '../src/stats/grid-rule-slope.js';
import { scaling } from '../src/stats/theory.js';
import { groupSeries, scoreNStar, type NStarPoint } from '../src/stats/grid-rule.js';
import { createPrng } from '../src/core/prng.js';
import { gridN } from '../src/stats/n-grid.js';
import { ConfigError } from '../src/core/errors.js';
import { approxEqual } from './helpers/approx.js';
import { series } from './helpers/records.js';

function point(d: number, nStar: number | null, extra: Partial<NStarPoint> = {}): NStarPoint {
  return {
    method: 'hermite-thr',
    d,
    s: 4,
    kStar: 2,
    series: 'S',
    setting: {} as NStarPoint['setting'],
    nStar,
    censoredAbove: nStar === null ? 4096 : null,
    perN: [],
    ...extra,
  };
}

test('leastSquares recovers an exact line; degenerate xs give null', () => {
  const xs = [1, 2, 3, 4.5, 7];
  const f = leastSquares(
    xs,
    xs.map((x) => 2 - 0.7 * x),
  )!;
  approxEqual(f.slope, -0.7, { abs: 1e-14 });
  approxEqual(f.intercept, 2, { abs: 1e-14 });
  approxEqual(f.r2!, 1, { abs: 1e-14 });
  approxEqual(f.slopeSe!, 0, { abs: 1e-7 });
  assert.is(leastSquares([1], [2]), null);
  assert.is(leastSquares([3, 3, 3], [1, 2, 3]), null);
  assert.is(leastSquares([1, 2], [5, 6])!.slopeSe, null);
  assert.throws(
    () => leastSquares([1, 2], [1]),
    (e: unknown) => e instanceof ConfigError,
  );
});

test('a known slope in d is recovered exactly without noise', () => {
  const ds = [256, 1024, 4096, 16384, 65536];
  for (const b of [0.5, 0.75, 1, 1.5]) {
    const pts = ds.map((d) => point(d, 3 * Math.pow(d, b)));
    const f = fitSlope(pts, { replicates: 0 });
    approxEqual(f.fit!.slope, b, { abs: 1e-12 }, `slope ${b}`);
    approxEqual(f.fit!.intercept, Math.log2(3), { abs: 1e-10 });
    assert.equal(f.usedD, ds);
    assert.is(f.interval, null);
  }
});

test('a known slope in s^k* log d is recovered exactly without noise', () => {
  const ds = [256, 1024, 4096, 65536];
  const ss = [4, 6, 8, 16];
  const pts = ds.map((d, i) => point(d, 5 * Math.pow(ss[i]! ** 2 * Math.log(d), 1.1), { s: ss[i]! }));
  const pruned = scaling('pruned').regressor;
  const f = fitSlope(pts, { against: pruned, replicates: 0 });
  approxEqual(f.fit!.slope, 1.1, { abs: 1e-12 });
  approxEqual(regressorValue({ d: 1024, s: 6, kStar: 2 }, pruned)!, Math.log2(36 * Math.log(1024)), { abs: 1e-13 });
  assert.is(regressorValue({ d: 1, s: 1, kStar: 2 }, pruned), null);
});

test('with noise the slope is within 5 standard errors', () => {
  const rng = createPrng(11);
  const ds = Array.from({ length: 25 }, (_, i) => Math.round(256 * Math.pow(2, i / 3)));
  const sigma = 0.2;
  const pts = ds.map((d) => {
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    return point(d, 2 * Math.pow(d, 0.6) * Math.exp(sigma * z));
  });
  const f = fitSlope(pts, { replicates: 0 }).fit!;
  const lx = ds.map(Math.log),
    m = lx.reduce((a, b) => a + b) / lx.length;
  const se = sigma / Math.sqrt(lx.reduce((a, x) => a + (x - m) ** 2, 0));
  assert.ok(Math.abs(f.slope - 0.6) < 5 * se, `slope ${f.slope} vs 0.6, se ${se}`);
  assert.ok(Math.abs(f.slopeSe! - se) < 0.5 * se, `reported se ${f.slopeSe} vs ${se}`);
});

test('censored points are left out of the slope and reported', () => {
  const pts = [point(256, 256), point(1024, 512), point(4096, 1024), point(16384, null, { censoredAbove: 1448 })];
  const f = fitSlope(pts, { replicates: 0 });
  approxEqual(f.fit!.slope, 0.5, { abs: 1e-12 });
  assert.equal(f.usedD, [256, 1024, 4096]);
  assert.equal(f.censored, [{ d: 16384, censoredAbove: 1448 }]);
});

test('too few points: null with a reason, never a throw', () => {
  const one = fitSlope([point(256, 512)]);
  assert.is(one.fit, null);
  assert.match(one.reason!, /only one uncensored point \(d = 256\)/);
  const allCensored = fitSlope([point(256, null), point(1024, null)]);
  assert.is(allCensored.fit, null);
  assert.match(allCensored.reason!, /all 2 points are censored/);
  assert.is(allCensored.censored.length, 2);
  const oneLeft = fitSlope([point(256, 512), point(1024, null)]);
  assert.match(oneLeft.reason!, /only one uncensored point \(d = 256\), 1 censored/);
  assert.match(fitSlope([]).reason!, /no points/);
  assert.throws(
    () => fitSlope([point(256, 1), point(1024, 2, { series: 'T' })]),
    (e: unknown) => e instanceof ConfigError && e.field === 'points',
  );
  assert.throws(
    () => fitSlope([point(256, 1)], { level: 1 }),
    (e: unknown) => e instanceof ConfigError && e.field === 'level',
  );
});

// A synthetic series whose true n* sits on the grid: d = 4^i and n_true = n_(a + 3i), so the
// true slope of log n* against log d is exactly 3/4 (each 4x in d is 3 half-octaves in n).
function synthetic(prng: ReturnType<typeof createPrng>, seeds: number) {
  const ds = [256, 1024, 4096, 16384, 65536];
  const nTrue = (d: number) => gridN(2 + 3 * (Math.round(Math.log2(d)) / 2 - 4));
  return groupSeries(scoreNStar(series({ method: 'none', ds, nTrue, seeds, prng, sharpness: 6, span: 4 })))[0]!;
}

test('bootstrap: the 90% interval contains the true slope on seeded synthetic data', () => {
  const pts = synthetic(createPrng(5), 5);
  const f = fitSlope(pts, { replicates: 1000, seed: 3 });
  const iv = f.interval!;
  assert.ok(iv.lo <= 0.75 && 0.75 <= iv.hi, `[${iv.lo}, ${iv.hi}] misses 0.75 (point estimate ${f.fit!.slope})`);
  assert.ok(iv.lo < f.fit!.slope + 1e-12 && f.fit!.slope - 1e-12 < iv.hi);
  assert.is(iv.replicates, 1000);
  assert.ok(iv.usable >= 990);
  assert.ok(iv.hi - iv.lo < 0.5, `interval too wide: ${iv.hi - iv.lo}`);
});

test('bootstrap coverage over 40 synthetic data sets is near its level', () => {
  let covered = 0;
  for (let k = 0; k < 40; k++) {
    const f = fitSlope(synthetic(createPrng(100 + k), 5), { replicates: 300, seed: k });
    if (f.interval && f.interval.lo <= 0.75 && 0.75 <= f.interval.hi) covered++;
  }
  // Nominal 90%: 36 of 40. A binomial(40, 0.9) falls below 28 with probability < 1e-4.
  assert.ok(covered >= 28, `covered ${covered}/40`);
});

test('bootstrap is reproducible from its seed and depends on it', () => {
  const pts = synthetic(createPrng(6), 3);
  const a = fitSeries(pts, { replicates: 200, seed: 9 });
  const b = fitSeries(pts, { replicates: 200, seed: 9 });
  assert.equal(a, b);
  // Intervals are percentiles of a discrete distribution, so two seeds may tie; six should not all.
  const distinct = new Set(
    [9, 10, 11, 12, 13, 14].map((seed) => JSON.stringify(fitSlope(pts, { replicates: 200, seed }).interval)),
  );
  assert.ok(distinct.size > 1);
  assert.ok(a.skLogd.fit !== null);
});

test('cells with no spread give a zero-width interval', () => {
  // Every cell all-or-nothing: resampling seeds cannot change n*.
  const pts = groupSeries(scoreNStar(series({ method: 'none', ds: [256, 1024, 4096], nTrue: (d) => d, seeds: 3 })))[0]!;
  const f = fitSlope(pts, { replicates: 100 });
  assert.is(f.interval!.lo, f.fit!.slope);
  assert.is(f.interval!.hi, f.fit!.slope);
});

test('quantileSorted interpolates (type 7)', () => {
  assert.is(quantileSorted([1, 2, 3, 4, 5], 0.5), 3);
  assert.is(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.is(quantileSorted([7], 0.05), 7);
  approxEqual(quantileSorted([0, 10], 0.05), 0.5, { abs: 1e-15 });
});

test.run();
