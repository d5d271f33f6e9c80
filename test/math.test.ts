// src/core/math.ts against the host's Math (V8's fdlibm ports, < 1 ulp) over wide ranges: within 2 ulp
// everywhere the result is normal, exact where exactness is promised, same special cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exp, expd, log, log10, log2, logd, normalCdf, pow } from '../src/core/math.js';
import { PHI_LOWER_TAIL, PHI_TABLE } from './helpers/normal-cdf-table.js';
import { createPrng, type Prng } from '../src/core/prng.js';

const view = new DataView(new ArrayBuffer(8));
function bits(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigInt64(0);
}
/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (Math.sign(a) !== Math.sign(b)) return Infinity;
  const d = bits(a) - bits(b);
  return Number(d < 0n ? -d : d);
}
/** m * 2^e with m uniform in [1, 2), e a uniform integer in [lo, hi]. */
function wide(rng: Prng, lo: number, hi: number): number {
  return (1 + rng.next()) * 2 ** (lo + rng.int(hi - lo + 1));
}

function check(
  name: string,
  ours: (x: number) => number,
  host: (x: number) => number,
  xs: number[],
  maxUlps = 2,
): void {
  let worst = 0,
    at = NaN,
    exact = 0;
  for (const x of xs) {
    const u = ulps(ours(x), host(x));
    if (u === 0) exact++;
    if (u > worst) {
      worst = u;
      at = x;
    }
  }
  assert.ok(worst <= maxUlps, `${name}: ${worst} ulp at x=${at} (ours ${ours(at)}, host ${host(at)})`);
  // Both sides are within ~0.5-1 ulp of the truth, so most results agree to the bit.
  assert.ok(exact / xs.length > 0.9, `${name}: only ${exact}/${xs.length} bit-identical to the host`);
}

test('log, log2, log10 across every binade (subnormals included) and near 1', () => {
  const rng = createPrng(1);
  const xs: number[] = [];
  for (let i = 0; i < 20000; i++) xs.push(wide(rng, -1074, 1022));
  for (let i = 0; i < 5000; i++) xs.push(1 + (rng.next() - 0.5) * 2 ** -rng.int(50));
  for (let i = 0; i < 2000; i++) xs.push(rng.next() * 1e6);
  xs.push(Number.MIN_VALUE, 2.2250738585072014e-308, Number.MAX_VALUE, 0.5, 2, 3, 10, Math.E);
  check('log', log, Math.log, xs);
  check('log2', log2, Math.log2, xs);
  check('log10', log10, Math.log10, xs);
});

test('exp over its whole normal range and for tiny arguments', () => {
  const rng = createPrng(2);
  const xs: number[] = [];
  for (let i = 0; i < 20000; i++) xs.push(-708 + rng.next() * (709.78 - -708));
  for (let i = 0; i < 5000; i++) xs.push((rng.next() - 0.5) * 2 ** -rng.int(60));
  xs.push(709.782712893384, -708.3964185322641, 1, -1, 0.5, 1e-300);
  check('exp', exp, Math.exp, xs);
});

test('pow over wide (x, y), integer and negative bases', () => {
  const rng = createPrng(3);
  const pairs: [number, number][] = [];
  for (let i = 0; i < 20000; i++) {
    const x = wide(rng, -60, 60);
    const lx = Math.log(x);
    // y such that the result stays normal: |y ln x| < 700.
    const y = (rng.next() * 2 - 1) * (700 / Math.max(Math.abs(lx), 1e-3));
    pairs.push([x, y]);
  }
  for (let i = 0; i < 5000; i++) pairs.push([rng.next() * 100, rng.int(41) - 20]);
  for (let i = 0; i < 2000; i++) pairs.push([-(rng.next() * 50), rng.int(21) - 10]);
  for (let i = 0; i < 2000; i++) pairs.push([1 + (rng.next() - 0.5) * 1e-9, (rng.next() - 0.5) * 1e12]);
  let worst = 0,
    at: [number, number] = [NaN, NaN],
    exact = 0;
  for (const [x, y] of pairs) {
    const u = ulps(pow(x, y), Math.pow(x, y));
    if (u === 0) exact++;
    if (u > worst) {
      worst = u;
      at = [x, y];
    }
  }
  assert.ok(worst <= 2, `pow: ${worst} ulp at (${at[0]}, ${at[1]}): ours ${pow(...at)}, host ${Math.pow(...at)}`);
  assert.ok(exact / pairs.length > 0.9, `pow: only ${exact}/${pairs.length} bit-identical`);
});

test('exact where exactness is promised', () => {
  for (let k = -1074; k <= 1023; k++) assert.is(log2(2 ** k), k, `log2(2^${k})`);
  for (let k = 0; k <= 22; k++) {
    assert.is(log10(Number(`1e${k}`)), k, `log10(1e${k})`);
    assert.is(pow(10, k), Number(`1e${k}`), `pow(10, ${k})`);
  }
  for (let k = -1074; k <= 1023; k++) assert.is(pow(2, k), 2 ** k, `pow(2, ${k})`);
  for (let a = 2; a <= 30; a++)
    for (let b = 0; b <= 10; b++) if (a ** b < 2 ** 53) assert.is(pow(a, b), a ** b, `pow(${a}, ${b})`);
  assert.is(pow(2, 0.5), Math.SQRT2);
  assert.is(log(1), 0);
  assert.is(log(3), 1.0986122886681098, 'log(3) correctly rounded (V8 gives 1 ulp less)');
  assert.is(exp(0), 1);
  assert.is(exp(1), Math.E);
});

/** Identical (NaN, signed zeros and infinities included), or finite and within 2 ulp. */
function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isFinite(a) && Number.isFinite(b) && a !== 0 && ulps(a, b) <= 2);
}

test('special cases match the host', () => {
  const specials = [
    NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    1,
    -1,
    0.5,
    -0.5,
    2,
    -2,
    3,
    -3,
    1e-320,
    -1e-320,
    1e308,
    -1e308,
    2 ** 60,
    -(2 ** 60) - 2 ** 8,
    2 ** 53 + 2,
  ];
  for (const x of specials) {
    assert.ok(same(log(x), Math.log(x)), `log(${x}): ${log(x)} vs ${Math.log(x)}`);
    assert.ok(same(log2(x), Math.log2(x)), `log2(${x})`);
    assert.ok(same(log10(x), Math.log10(x)), `log10(${x})`);
    assert.ok(same(exp(x), Math.exp(x)), `exp(${x})`);
    for (const y of specials) {
      const ours = pow(x, y),
        host = Math.pow(x, y);
      assert.ok(same(ours, host), `pow(${x}, ${y}): ours ${ours}, host ${host}`);
    }
  }
  assert.is(exp(710), Infinity);
  assert.is(exp(-746), 0);
  assert.is(pow(10, 400), Infinity);
  assert.is(pow(10, -400), 0);
  assert.is(pow(-10, 401), -Infinity);
});

test('pure: the same input gives the same bits on every call', () => {
  const xs = [0.1, 7, 123456.789, 1e-300];
  for (const x of xs) {
    assert.is(bits(log(x)), bits(log(x)));
    assert.is(bits(pow(x, 0.37)), bits(pow(x, 0.37)));
  }
});

test('expd and logd agree with the correctly rounded exp and log within their stated bounds', () => {
  const prng = createPrng(11);
  let worstExp = 0,
    worstLog = 0;
  for (let i = 0; i < 20000; i++) {
    const x = -745 + 1454 * prng.next();
    const e = exp(x);
    if (e > 2.3e-308) worstExp = Math.max(worstExp, Math.abs(expd(x) - e) / e);
    const y = exp(-700 + 1400 * prng.next());
    const l = log(y);
    worstLog = Math.max(worstLog, Math.abs(logd(y) - l) / (4e-16 + 2e-16 * Math.abs(l)));
  }
  for (const y of [1, 1 + 2 ** -52, 1 - 2 ** -53, 0.75, 1.4, 2, 0.5, 1e-300, 5e-324])
    worstLog = Math.max(worstLog, Math.abs(logd(y) - log(y)) / (4e-16 + 2e-16 * Math.abs(log(y))));
  assert.ok(worstExp < 4e-16, `expd relative error ${worstExp}`);
  assert.ok(worstLog < 1, `logd error ${worstLog} of its bound`);
  assert.is(expd(0), 1);
  assert.is(logd(1), 0);
  assert.is(expd(800), Infinity);
  assert.is(expd(-800), 0);
  assert.ok(Number.isNaN(logd(-1)) && Number.isNaN(expd(NaN)));
  assert.is(logd(0), -Infinity);
});

test('normalCdf is within 1e-15 of mpmath on [-8.3, 8.3] (relative 1e-14 below -3), symmetric, monotone', () => {
  let worst = 0;
  for (const [z, p] of PHI_TABLE) worst = Math.max(worst, Math.abs(normalCdf(z) - p));
  assert.ok(worst < 1e-15, `normalCdf absolute error ${worst}`);
  let worstRel = 0;
  for (const [z, p] of PHI_LOWER_TAIL) worstRel = Math.max(worstRel, Math.abs(normalCdf(z) - p) / p);
  assert.ok(worstRel < 1e-14, `normalCdf relative error in the lower tail ${worstRel}`);
  let prev = 0;
  for (let z = -40; z <= 9; z += 0.001) {
    const p = normalCdf(z);
    assert.ok(p >= prev, `not monotone at ${z}`);
    prev = p;
    assert.ok(Math.abs(p + normalCdf(-z) - 1) < 4e-16, `asymmetric at ${z}`);
  }
  assert.is(normalCdf(0), 0.5);
  assert.is(normalCdf(9), 1);
  assert.is(normalCdf(-39), 0);
  assert.ok(Number.isNaN(normalCdf(NaN)));
});

test.run();
