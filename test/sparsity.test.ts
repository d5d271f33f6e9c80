import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { roundPow } from '../src/trial/sparsity.js';

test('roundPow is exact for alpha = 1/2, 1/4, 3/4 (checked by integer arithmetic) on many d', () => {
  // d^(a/b) < s + 1/2  <=>  d^a < (s + 1/2)^b  <=>  2^b d^a < (2s + 1)^b
  const check = (d: number, a: number, b: number) => {
    const s = roundPow(d, a / b);
    const below = (t: number) => 2n ** BigInt(b) * BigInt(d) ** BigInt(a) < BigInt(2 * t + 1) ** BigInt(b);
    assert.ok(below(s) && (s === 1 || !below(s - 1)), `d=${d} alpha=${a}/${b}: got ${s}`);
  };
  for (let d = 1; d < 3000; d++) {
    check(d, 1, 2);
    check(d, 1, 4);
    check(d, 3, 4);
  }
  for (const d of [65536, 1e6, 2 ** 31 - 1, 123456789]) {
    check(d, 1, 2);
    check(d, 1, 4);
    check(d, 3, 4);
  }
});

test('roundPow agrees with host pow away from rounding edges, and is monotone in alpha', () => {
  for (const d of [2, 10, 256, 1000, 4096, 1e5, 2 ** 31 - 1]) {
    let prev = 1;
    for (let i = 1; i <= 100; i++) {
      const alpha = i / 100;
      const s = roundPow(d, alpha);
      const x = d ** alpha;
      if (Math.abs(x - Math.floor(x) - 0.5) > 1e-9 * x) assert.is(s, Math.round(x), `d=${d} alpha=${alpha}`);
      assert.ok(s >= prev, `monotone at d=${d} alpha=${alpha}`);
      prev = s;
    }
  }
  assert.is(roundPow(1000, 1 / 3), 10, '1000^(1/3) as a double exponent');
  assert.is(roundPow(1, 0.3), 1);
  assert.is(roundPow(7, 1), 7);
  assert.is(roundPow(2, Number.MIN_VALUE), 1, 'subnormal alpha');
});

test('roundPow decides alphas placed on a rounding edge (neighbouring doubles straddle it)', () => {
  // alpha = log(s + 1/2) / log(d) puts d^alpha within a few ulps of s + 1/2; the answer must be s
  // or s + 1, and stepping alpha by 1e-12 must land on the expected side.
  for (const [d, s] of [
    [1024, 5],
    [1e6, 999],
    [65536, 16],
    [2 ** 31 - 1, 46340],
  ] as const) {
    const edge = Math.log(s + 0.5) / Math.log(d);
    const got = roundPow(d, edge);
    assert.ok(got === s || got === s + 1, `d=${d}: ${got}`);
    assert.is(roundPow(d, edge - 1e-12), s, `d=${d} just below`);
    assert.is(roundPow(d, edge + 1e-12), s + 1, `d=${d} just above`);
  }
  assert.throws(() => roundPow(10, 0), /alpha must be in \(0, 1\]/);
  assert.throws(() => roundPow(10, NaN), /alpha/);
  assert.throws(() => roundPow(0, 0.5), /d must be an integer/);
});

test.run();
