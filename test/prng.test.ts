import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPrng } from '../src/core/prng.js';
import { ConfigError } from '../src/core/errors.js';

test('same seed, same stream; different seeds differ (also above 2^32)', () => {
  const a = createPrng(42),
    b = createPrng(42),
    c = createPrng(43),
    d = createPrng(42 + 2 ** 32);
  const xa = Array.from({ length: 50 }, () => a.nextU32());
  assert.equal(
    Array.from({ length: 50 }, () => b.nextU32()),
    xa,
  );
  assert.not.equal(
    Array.from({ length: 50 }, () => c.nextU32()),
    xa,
  );
  assert.not.equal(
    Array.from({ length: 50 }, () => d.nextU32()),
    xa,
  );
});

test('known answers (freeze the stream: bootstrap intervals depend on it)', () => {
  const first = createPrng(0).nextU32();
  // fmix32(0x9e3779b9), computed by hand from murmur3's finaliser.
  let z = 0x9e3779b9 | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  assert.is(first, (z ^ (z >>> 16)) >>> 0);
  const take3 = (seed: number) => {
    const r = createPrng(seed);
    return [r.nextU32(), r.nextU32(), r.nextU32()];
  };
  assert.equal(take3(0), [2462723854, 1020716019, 454327756]);
  assert.equal(take3(12345), [1200724404, 818072533, 996137225]);
});

test('int(n) is uniform: chi-square within a real bound', () => {
  const r = createPrng(7);
  for (const n of [2, 3, 5, 10, 37]) {
    const N = 20000 * n;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < N; i++) counts[r.int(n)]!++;
    const e = N / n;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    // chi2 has mean n-1 and sd sqrt(2(n-1)); 6 sd is a bound a correct generator essentially never breaks.
    assert.ok(chi2 < n - 1 + 6 * Math.sqrt(2 * (n - 1)), `n=${n}: chi2 ${chi2.toFixed(1)}`);
  }
});

test('next() is in [0, 1) with mean 1/2', () => {
  const r = createPrng(9);
  let s = 0;
  const N = 100000;
  for (let i = 0; i < N; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    s += u;
  }
  // sd of the mean is sqrt(1/12/N); 5 standard errors.
  assert.ok(Math.abs(s / N - 0.5) < 5 * Math.sqrt(1 / 12 / N));
});

test('bad seeds and bounds are ConfigErrors', () => {
  assert.throws(
    () => createPrng(-1),
    (e: unknown) => e instanceof ConfigError && e.field === 'seed',
  );
  assert.throws(
    () => createPrng(1.5),
    (e: unknown) => e instanceof ConfigError,
  );
  assert.throws(
    () => createPrng(1).int(0),
    (e: unknown) => e instanceof ConfigError && e.field === 'n',
  );
});

test.run();
