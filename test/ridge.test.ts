import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ridgeSolve, type RidgeSums } from '../src/trial/ridge.js';
import { netFeatures, readoutAccumulate, readoutPredict, readoutScratchBytes } from '../src/kernels/net.js';
import { approxEqual } from './helpers/approx.js';
import { normals } from './helpers/data.js';
import { wasm } from './helpers/wasm.js';

/** Raw sums of an explicit n×p float64 design (upper and lower triangles filled). */
function sumsOf(F: Float64Array, y: Float64Array, n: number, p: number): RidgeSums {
  const S = new Float64Array(p * p),
    Fy = new Float64Array(p),
    Fsum = new Float64Array(p);
  let sumY = 0,
    sumYY = 0;
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < p; i++) {
      Fsum[i]! += F[t * p + i]!;
      Fy[i]! += F[t * p + i]! * y[t]!;
      for (let j = 0; j < p; j++) S[i * p + j]! += F[t * p + i]! * F[t * p + j]!;
    }
    sumY += y[t]!;
    sumYY += y[t]! ** 2;
  }
  return { p, n, S, Fy, Fsum, sumY, sumYY };
}

/** Gaussian elimination with partial pivoting on the explicitly centred normal equations (an independent method). */
function direct(
  F: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  lambda: number,
): { beta: Float64Array; intercept: number } {
  const mu = new Float64Array(p);
  let ybar = 0;
  for (let t = 0; t < n; t++) {
    ybar += y[t]! / n;
    for (let i = 0; i < p; i++) mu[i]! += F[t * p + i]! / n;
  }
  const A = Array.from({ length: p }, () => new Float64Array(p + 1));
  for (let t = 0; t < n; t++)
    for (let i = 0; i < p; i++) {
      const ci = F[t * p + i]! - mu[i]!;
      for (let j = 0; j < p; j++) A[i]![j]! += ci * (F[t * p + j]! - mu[j]!);
      A[i]![p]! += ci * (y[t]! - ybar);
    }
  for (let i = 0; i < p; i++) A[i]![i]! += lambda;
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = c + 1; r < p; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let j = c; j <= p; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  const beta = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = A[i]![p]!;
    for (let j = i + 1; j < p; j++) s -= A[i]![j]! * beta[j]!;
    beta[i] = s / A[i]![i]!;
  }
  let intercept = ybar;
  for (let i = 0; i < p; i++) intercept -= mu[i]! * beta[i]!;
  return { beta, intercept };
}

test('ridge: agrees with a direct solve of the centred normal equations', async () => {
  const w = await wasm();
  for (const [n, p, lambda] of [
    [50, 1, 0.1],
    [200, 7, 0.2],
    [500, 64, 0.5],
    [80, 120, 0.08],
  ] as const) {
    const z = normals(w, n + p, n * p),
      e = normals(w, n + p + 1, n);
    // correlated, non-centred columns: F[t,i] = 2 + z[t,i] + 0.5 z[t,0]
    const F = new Float64Array(n * p),
      y = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      for (let i = 0; i < p; i++) F[t * p + i] = 2 + z[t * p + i]! + 0.5 * z[t * p]!;
      y[t] = 1 + F[t * p]! - 0.3 * F[t * p + p - 1]! + 0.1 * e[t]!;
    }
    const got = ridgeSolve(sumsOf(F, y, n, p), lambda);
    const want = direct(F, y, n, p, lambda);
    assert.ok(got.ok, got.ok ? '' : got.reason);
    if (!got.ok) return;
    for (let i = 0; i < p; i++)
      approxEqual(got.beta[i]!, want.beta[i]!, { rel: 1e-8, abs: 1e-9 }, `n=${n} p=${p} beta[${i}]`);
    approxEqual(got.intercept, want.intercept, { rel: 1e-8, abs: 1e-9 }, `n=${n} p=${p} intercept`);
  }
});

test('ridge: recovers a known exact answer with lambda = 0, and shrinks it as lambda grows', async () => {
  const w = await wasm();
  const n = 300,
    p = 5;
  const z = normals(w, 11, n * p);
  const F = Float64Array.from(z, (v) => v + 1);
  const betaTrue = [0.5, -2, 0, 1.25, 3];
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    y[t] = -4;
    for (let i = 0; i < p; i++) y[t]! += betaTrue[i]! * F[t * p + i]!;
  }
  const r = ridgeSolve(sumsOf(F, y, n, p), 0);
  assert.ok(r.ok);
  if (!r.ok) return;
  for (let i = 0; i < p; i++) approxEqual(r.beta[i]!, betaTrue[i]!, { abs: 1e-10 }, `beta[${i}]`);
  approxEqual(r.intercept, -4, { abs: 1e-10 }, 'intercept');
  let prev = Infinity;
  for (const lambda of [1, 100, 1e4]) {
    const s = ridgeSolve(sumsOf(F, y, n, p), lambda);
    assert.ok(s.ok);
    if (!s.ok) return;
    const norm = Math.hypot(...s.beta);
    assert.ok(norm < prev, `|beta| = ${norm} should shrink with lambda = ${lambda}`);
    prev = norm;
  }
});

test('ridge: a singular or non-finite system is a flagged result with a reason, not a crash', () => {
  const n = 10,
    p = 3;
  const F = new Float64Array(n * p),
    y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    F[t * p] = t;
    F[t * p + 1] = 2 * t;
    F[t * p + 2] = t % 3;
    y[t] = t;
  } // column 1 = 2 × column 0
  const r = ridgeSolve(sumsOf(F, y, n, p), 0);
  assert.is(r.ok, false);
  if (!r.ok) assert.match(r.reason, /not positive definite: pivot 1/);
  assert.ok(ridgeSolve(sumsOf(F, y, n, p), 1e-3).ok, 'lambda > 0 makes it solvable');
  const bad = sumsOf(F, y, n, p);
  bad.S[4] = NaN;
  const b = ridgeSolve(bad, 1);
  assert.is(b.ok, false);
  if (!b.ok) assert.match(b.reason, /non-finite entry in the centred FᵀF at \(1, 1\)/);
  assert.throws(() => ridgeSolve(bad, -1), /lambda must be a finite number >= 0/);
  assert.throws(() => ridgeSolve({ ...bad, n: 0 }, 1), /n must be a positive integer/);
});

test('ridge end to end: kernel sums over two chunks, solve, predict on the training rows', async () => {
  const w = await wasm();
  const rows = 1500,
    k = 6,
    m = 8,
    R = 2,
    p = m * R;
  const X = normals(w, 21, rows * k),
    W = normals(w, 22, m * k);
  const sign = normals(w, 23, p).map((v) => (v < 0 ? -1 : 1)),
    bias = normals(w, 24, p).map((v) => 3 * Math.tanh(v));
  const y = Float32Array.from({ length: rows }, (_, t) => X[t * k]! ** 2 - 1); // he2-like target on coordinate 0
  w.scoped(() => {
    const px = w.put(X),
      py = w.put(y),
      Z = w.allocF32(rows * m),
      F = w.allocF32(rows * p);
    netFeatures(w, { X: px, rows, k, W: w.put(W), m, sign: w.put(sign), bias: w.put(bias), R, Z, F });
    const S = w.put(new Float64Array(p * p)),
      Fy = w.put(new Float64Array(p)),
      Fsum = w.put(new Float64Array(p)),
      ys = w.put(new Float64Array(2));
    const scratch = w.alloc(readoutScratchBytes(w, p));
    for (const [t0, r] of [
      [0, 1024],
      [1024, 476],
    ] as const) {
      readoutAccumulate(w, { F: F + t0 * p * 4, rows: r, p, y: py + t0 * 4, S, Fy, Fsum, ys, scratch });
    }
    const sums: RidgeSums = {
      p,
      n: rows,
      S: w.copyF64(S, p * p),
      Fy: w.copyF64(Fy, p),
      Fsum: w.copyF64(Fsum, p),
      sumY: w.copyF64(ys, 2)[0]!,
      sumYY: w.copyF64(ys, 2)[1]!,
    };
    const sol = ridgeSolve(sums, 1e-3 * rows);
    assert.ok(sol.ok, sol.ok ? '' : sol.reason);
    if (!sol.ok) return;
    const out = w.put(new Float64Array(3)),
      pb = w.put(sol.beta);
    let se = 0;
    for (const [t0, r] of [
      [0, 1024],
      [1024, 476],
    ] as const) {
      se += readoutPredict(w, {
        F: F + t0 * p * 4,
        rows: r,
        p,
        beta: pb,
        intercept: sol.intercept,
        y: py + t0 * 4,
        sums: out,
      });
    }
    const [sse, sy, syy] = w.copyF64(out, 3);
    assert.is(se, sse);
    approxEqual(sy!, sums.sumY, { rel: 1e-12, abs: 1e-9 }, 'Σy');
    approxEqual(syy!, sums.sumYY, { rel: 1e-12 }, 'Σy²');
    // the in-sample residual of a least-squares fit with an intercept is below the variance of y
    const variance = syy! / rows - (sy! / rows) ** 2;
    assert.ok(sse! / rows < variance, `in-sample MSE ${sse! / rows} vs variance ${variance}`);
    // and equals the residual computed from scratch in float64
    const Fv = w.copyF32(F, rows * p);
    let direct = 0;
    for (let t = 0; t < rows; t++) {
      let yh = 0;
      for (let c = 0; c < p; c++) yh += sol.beta[c]! * Fv[t * p + c]!;
      direct += (sol.intercept + yh - y[t]!) ** 2;
    }
    approxEqual(sse!, direct, { rel: 1e-12 }, 'Σ(ŷ−y)²');
  });
});

test.run();
