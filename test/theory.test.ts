import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  fitConstant,
  formatStatedSlope,
  referenceCurve,
  referenceScalings,
  scaling,
  scalingFor,
} from '../src/stats/theory.js';
import { ConfigError } from '../src/core/errors.js';
import { approxEqual } from './helpers/approx.js';

test('shapes at hand-computed teachers', () => {
  approxEqual(scaling('pruned').shape(1024, 6, 2), 36 * Math.log(1024), { rel: 1e-15 });
  assert.is(scaling('dense-reuse').shape(4096, 8, 2), 4096);
  assert.is(scaling('dense-fresh').shape(1000, 8, 2), 1000);
  approxEqual(scaling('dense-fresh').shape(1000, 8, 3), 1e6, { rel: 1e-15 });
  approxEqual(scaling('dense-fresh').shape(100, 8, 4), 1e6, { rel: 1e-15 });
  approxEqual(scaling('csq-rotation').shape(256, 4, 3), 4096, { rel: 1e-15 });
  assert.is(scaling('csq-sparse').shape(256, 4, 2), 16);
  assert.is(scaling('csq-sparse').shape(256, 64, 2), 256);
});

test('stated slopes: alpha*k* for pruned, 1 (a floor for k* > 2) for dense reuse, max(1, k*-1) fresh', () => {
  assert.equal(scaling('pruned').statedSlope(2, 0.25), { slope: 0.5, atLeast: false, plusLog: true });
  assert.equal(scaling('dense-reuse').statedSlope(2, 0.25), { slope: 1, atLeast: false, plusLog: false });
  assert.equal(scaling('dense-reuse').statedSlope(3, 0.25), { slope: 1, atLeast: true, plusLog: false });
  assert.is(scaling('dense-fresh').statedSlope(4, 0.25).slope, 3);
  assert.is(scaling('csq-rotation').statedSlope(3, 0.25).slope, 1.5);
  assert.is(scaling('csq-sparse').statedSlope(2, 0.25).slope, 0.5);
  assert.is(scaling('csq-sparse').statedSlope(2, 0.75).slope, 1); // sparsity stops helping at alpha >= 1/2
  assert.is(scaling('pruned').statedSlope(2, null).slope, 0);
  assert.is(formatStatedSlope(scaling('pruned').statedSlope(2, 0.25)), '0.5 (+ log d)');
  assert.is(formatStatedSlope(scaling('dense-reuse').statedSlope(3, null)), '≥ 1');
});

test('each stated slope is the log-log slope of its shape when s = d^alpha', () => {
  for (const k of [1, 2, 3, 4]) {
    for (const alpha of [0.2, 0.25, 0.5, 0.75]) {
      for (const sc of referenceScalings()) {
        const d1 = 2 ** 10,
          d2 = 2 ** 20;
        const at = (d: number) => sc.shape(d, d ** alpha, k);
        let slope = (Math.log(at(d2)) - Math.log(at(d1))) / (Math.log(d2) - Math.log(d1));
        if (sc.statedSlope(k, alpha).plusLog)
          slope -= (Math.log(Math.log(d2)) - Math.log(Math.log(d1))) / (Math.log(d2) - Math.log(d1));
        approxEqual(slope, sc.statedSlope(k, alpha).slope, { abs: 1e-12 }, `${sc.id} k*=${k} alpha=${alpha}`);
      }
    }
  }
});

test('fitConstant recovers C exactly, skips censored points, and is null with nothing measured', () => {
  const teachers = [
    { d: 256, s: 4 },
    { d: 1024, s: 6 },
    { d: 4096, s: 8 },
  ];
  for (const sc of referenceScalings()) {
    const pts = teachers.map((t) => ({ ...t, kStar: 2, nStar: 7.5 * sc.shape(t.d, t.s, 2) }));
    const f = fitConstant(sc.id, [...pts, { d: 16384, s: 11, kStar: 2, nStar: null }])!;
    approxEqual(f.C, 7.5, { rel: 1e-14 }, sc.id);
    assert.is(f.points, 3);
    const curve = referenceCurve(sc.id, f.C, pts);
    curve.forEach((c, i) => {
      approxEqual(c.n, pts[i]!.nStar, { rel: 1e-13 });
    });
  }
  // Scattered points: C is the geometric mean of the ratios.
  const f = fitConstant('dense-reuse', [
    { d: 100, s: 2, kStar: 2, nStar: 200 },
    { d: 1000, s: 2, kStar: 2, nStar: 8000 },
  ])!;
  approxEqual(f.C, 4, { rel: 1e-15 });
  assert.is(fitConstant('pruned', [{ d: 256, s: 4, kStar: 2, nStar: null }]), null);
  assert.is(fitConstant('pruned', [{ d: 256, s: 4, kStar: 2, nStar: 512 }])!.points, 1);
});

test('which scaling a method is compared with', () => {
  assert.is(scalingFor('hermite-thr', 'reuse'), 'pruned');
  assert.is(scalingFor('hermite', 'fresh'), 'pruned');
  assert.is(scalingFor('oracle', 'reuse'), 'pruned');
  assert.is(scalingFor('none', 'reuse'), 'dense-reuse');
  assert.is(scalingFor('none', 'fresh'), 'dense-fresh');
  assert.is(scalingFor('random', 'reuse'), null);
  assert.is(scalingFor('gradmag', 'reuse'), null);
});

test('bad arguments name the field', () => {
  assert.throws(
    () => scaling('pruned').shape(0, 1, 2),
    (e: unknown) => e instanceof ConfigError && e.field === 'd',
  );
  assert.throws(
    () => scaling('pruned').shape(100, 200, 2),
    (e: unknown) => e instanceof ConfigError && e.field === 's',
  );
  assert.throws(
    () => scaling('pruned').shape(100, 2, 1.5),
    (e: unknown) => e instanceof ConfigError && e.field === 'kStar',
  );
  assert.throws(
    () => scaling('nope' as never),
    (e: unknown) => e instanceof ConfigError && e.field === 'scaling',
  );
});

test.run();
