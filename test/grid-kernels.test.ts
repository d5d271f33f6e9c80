// The numerical pieces under the grid posteriors, against direct computation (deterministic
// bounds, no statistics): expNeg against expd, the Gaussian blur against the analytic blur of a
// Gaussian bump (and its edges, mass and identity), and the shared likelihood update against
// normalCdf evaluated cell by cell. Each bound is tight enough that a deliberately wrong variant
// (a shorter series, a missing renormalisation, a wrong block variance) fails it; the tests
// below check that too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expd, logd, normalCdf } from '../src/core/math.js';
import { createPrng } from '../src/core/prng.js';
import { expNeg } from '../src/stats/exp-neg.js';
import { gaussianBlur } from '../src/stats/gaussian-blur.js';
import { PSYCHOMETRIC_MODEL, addTrials, sigmaGrid } from '../src/stats/psychometric-grid.js';

test('expNeg agrees with expd to 4e-15 relative on [-745, 0], and is 0 below', () => {
  const prng = createPrng(1);
  let worst = 0;
  for (let k = 0; k < 200_000; k++) {
    const x = k < 100 ? -k / 64 : -745 * prng.next() ** 3;
    const a = expNeg(x),
      b = expd(x);
    if (b > 1e-300) worst = Math.max(worst, Math.abs(a - b) / b);
  }
  assert.ok(worst < 4e-15, `worst relative error ${worst}`);
  assert.is(expNeg(0), 1);
  assert.is(expNeg(-800), 0);
  // power: a degree-3 series for e^-r on [0, 1/64) errs by about r^4/24 ≈ 1e-9, far outside the bound
  const r = 1 / 128;
  const short = 1 - r + (r * r) / 2 - (r * r * r) / 6;
  assert.ok(Math.abs(short - expd(-r)) / expd(-r) > 4e-15);
});

/** A unit-mass Gaussian bump of sd w at m on a grid of step h. */
function bump(G: number, h: number, m: number, w: number): Float64Array {
  const out = new Float64Array(G);
  for (let i = 0; i < G; i++) out[i] = (expd(-0.5 * ((i * h - m) / w) ** 2) * h) / (w * Math.sqrt(2 * Math.PI));
  return out;
}

test('gaussianBlur: a Gaussian bump of sd w becomes one of sd sqrt(w² + τ² + h²/12), for narrow and wide kernels', () => {
  const G = 600,
    h = 0.05,
    m = 15,
    w = 0.3;
  for (const tau of [0.03, 0.11, 0.3, 0.75, 1.2]) {
    const out = gaussianBlur(bump(G, h, m, w), h, tau, 'zero');
    // the cell-integrated kernel adds the variance of a uniform cell, h²/12
    const expected = bump(G, h, m, Math.sqrt(w * w + tau * tau + (h * h) / 12));
    let peak = 0,
      worst = 0;
    for (let i = 0; i < G; i++) peak = Math.max(peak, expected[i]!);
    for (let i = 0; i < G; i++) worst = Math.max(worst, Math.abs(out[i]! - expected[i]!));
    // direct kernels: 0.1% of the peak; the block path (τ ≥ 4h): its stated 0.8%
    const bound = tau >= 0.2 ? 0.008 : 0.001;
    assert.ok(worst <= bound * peak, `tau ${tau}: worst ${worst / peak} of the peak`);
    let mass = 0;
    for (let i = 0; i < G; i++) mass += out[i]!;
    assert.ok(Math.abs(mass - 1) < 1e-6, `tau ${tau}: mass ${mass}`);
  }
});

test('gaussianBlur: tau 0 copies, a constant stays constant with clamped edges, and a range leaves the rest alone', () => {
  const prng = createPrng(2);
  const src = new Float64Array(101).map(() => prng.next());
  assert.equal(Array.from(gaussianBlur(src, 0.05, 0, 'clamp')), Array.from(src));
  const flat = new Float64Array(80).fill(0.7);
  for (const tau of [0.05, 0.4, 1.2]) {
    const out = gaussianBlur(flat, 0.05, tau, 'clamp');
    for (const v of out) assert.ok(Math.abs(v - 0.7) < 1e-12, `tau ${tau}: ${v}`);
  }
  const out = new Float64Array(101).fill(-1);
  gaussianBlur(src, 0.05, 0.3, 'clamp', out, 40, 60);
  assert.is(out[39], -1);
  assert.is(out[61], -1);
  const full = gaussianBlur(src, 0.05, 0.3, 'clamp');
  for (let i = 40; i <= 60; i++) assert.ok(Math.abs(out[i]! - full[i]!) < 1e-12, `at ${i}`);
});

test('addTrials: the shared likelihood update equals normalCdf and logd cell by cell (to 1e-6 per trial)', () => {
  const sg = sigmaGrid();
  const mu = { lo: 3, step: 0.05, count: 200 };
  const ll = new Float64Array(sg.sigma.length * mu.count);
  addTrials(ll, mu, sg, 9.3, 3, 2);
  const { lapseLo, lapseHi } = PSYCHOMETRIC_MODEL;
  let worst = 0;
  for (let j = 0; j < sg.sigma.length; j++)
    for (let i = 0; i < mu.count; i++) {
      const p = lapseLo + (1 - lapseLo - lapseHi) * normalCdf((9.3 - (mu.lo + i * mu.step)) / sg.sigma[j]!);
      const direct = 3 * logd(p) + 2 * logd(1 - p);
      worst = Math.max(worst, Math.abs(ll[j * mu.count + i]! - direct));
    }
  assert.ok(worst < 5e-6, `worst ${worst}`);
});

test.run();
