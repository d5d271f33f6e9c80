import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Wasm } from '../src/wasm/index.js';
import {
  netFeatures,
  netForward,
  netGrad,
  netGradScratchBytes,
  netGradSetBlock,
  netStep,
  readoutAccumulate,
  readoutPredict,
  readoutScratchBytes,
} from '../src/kernels/net.js';
import * as ref from '../src/reference/net.js';
import { approxEqual, sameBits } from './helpers/approx.js';
import { normals } from './helpers/data.js';
import { wasm } from './helpers/wasm.js';

const U = 2 ** -24;

/** A random network and data: rows of X (ldx = k + pad), unit-norm rows of W, b ~ N(0,1), a = ±1, y ~ N(0,1). */
function problem(w: Wasm, rows: number, k: number, m: number, seed: number, pad = 0) {
  const ldx = k + pad;
  const X = new Float32Array(Math.max(0, (rows - 1) * ldx + k)).fill(99);
  const xs = normals(w, seed, rows * k);
  for (let t = 0; t < rows; t++) X.set(xs.subarray(t * k, (t + 1) * k), t * ldx);
  const W = normals(w, seed + 1, m * k);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += W[j * k + i]! ** 2;
    for (let i = 0; i < k; i++) W[j * k + i] = W[j * k + i]! / Math.sqrt(s);
  }
  const b = normals(w, seed + 2, m);
  const a = normals(w, seed + 3, m).map((v) => (v < 0 ? -1 : 1));
  const y = normals(w, seed + 4, rows);
  return { X, ldx, W, b, a, y, rows, k, m };
}
type Problem = ReturnType<typeof problem>;

function put(w: Wasm, P: Problem) {
  return { X: w.put(P.X), W: w.put(P.W), b: w.put(P.b), a: w.put(P.a), y: w.put(P.y) };
}

/** Runs net_grad over `chunks` (row counts) of P, starting from G0; returns G and the per-chunk losses. */
function kernelGrad(w: Wasm, P: Problem, chunks: number[], N: number, G0?: Float64Array) {
  return w.scoped(() => {
    const p = put(w, P);
    const G = G0 ? w.put(G0) : w.put(new Float64Array(P.m * P.k));
    const scratch = w.alloc(netGradScratchBytes(w, P.k, P.m));
    const losses: number[] = [];
    let t0 = 0;
    for (const rows of chunks) {
      losses.push(
        netGrad(w, {
          X: p.X + t0 * P.ldx * 4,
          rows,
          k: P.k,
          ldx: P.ldx,
          y: p.y + t0 * 4,
          W: p.W,
          m: P.m,
          b: p.b,
          a: p.a,
          N,
          G,
          scratch,
        }),
      );
      t0 += rows;
    }
    return { G: w.copyF64(G, P.m * P.k), losses };
  });
}

function twinGrad(P: Problem, chunks: number[], N: number, G0?: Float64Array) {
  const G = G0 ? G0.slice() : new Float64Array(P.m * P.k);
  const losses: number[] = [];
  let t0 = 0;
  for (const rows of chunks) {
    losses.push(
      ref.netGrad(P.X.subarray(t0 * P.ldx), rows, P.k, P.ldx, P.y.subarray(t0), P.W, P.m, P.k, P.b, P.a, N, G, P.k),
    );
    t0 += rows;
  }
  return { G, losses };
}

test('net_forward matches its twin bit for bit', async () => {
  const w = await wasm();
  let seed = 10;
  for (const rows of [1, 3, 7, 33, 257, 1100])
    for (const k of [1, 3, 7, 33, 257])
      for (const m of [1, 3, 7, 32, 33]) {
        if (rows * k * m > 3e6) continue;
        const P = problem(w, rows, k, m, (seed += 7), rows % 2);
        const twin = ref.netForward(P.X, rows, k, P.ldx, P.W, m, k, P.b, P.a);
        w.scoped(() => {
          const p = put(w, P);
          const Z = w.allocF32(rows * m),
            out = w.allocF64(rows);
          netForward(w, { X: p.X, rows, k, ldx: P.ldx, W: p.W, m, b: p.b, a: p.a, Z, out });
          sameBits(w.copyF64(out, rows), twin.out, `f rows=${rows} k=${k} m=${m}`);
          sameBits(w.copyF32(Z, rows * m), twin.Z, `Z rows=${rows} k=${k} m=${m}`);
        });
      }
});

test('net_grad matches its twin bit for bit (gradient and loss), odd and round sizes, several row blocks', async () => {
  const w = await wasm();
  let seed = 1000;
  const cases: [number, number, number][] = [];
  for (const rows of [1, 3, 7, 33, 257, 1024])
    for (const k of [1, 3, 7, 33, 257]) for (const m of [1, 3, 7, 32, 33]) cases.push([rows, k, m]);
  cases.push([40, 4096, 32], [1024, 8, 32], [300, 1000, 9], [5, 0, 4], [70, 41, 300]); // k = 4096: row blocks of 16; k = 1000: of 64; m = 300: two neuron blocks
  for (const [rows, k, m] of cases) {
    if (rows * k * m > 6e6) continue;
    const P = problem(w, rows, k, m, (seed += 7), k % 3);
    const G0 = Float64Array.from(normals(w, seed + 5, m * k)); // G accumulates: start from non-zero
    const N = 3 * rows + 1;
    const got = kernelGrad(w, P, [rows], N, G0),
      want = twinGrad(P, [rows], N, G0);
    sameBits(got.G, want.G, `G rows=${rows} k=${k} m=${m}`);
    assert.is(got.losses[0], want.losses[0], `loss rows=${rows} k=${k} m=${m}`);
  }
});

test('net_grad: the fused row block changes no bit (4 rows to the whole chunk, against the twin)', async () => {
  const w = await wasm();
  let seed = 3000;
  for (const [rows, k, m] of [
    [40, 4096, 32],
    [300, 1000, 9],
    [1024, 257, 33],
    [1024, 8, 32],
    [77, 3, 5],
  ] as [number, number, number][]) {
    const P = problem(w, rows, k, m, (seed += 7), k % 3);
    const G0 = Float64Array.from(normals(w, seed + 5, m * k));
    const want = twinGrad(P, [rows], rows, G0);
    // 1 value: 4-row blocks; 2^22 values: the whole chunk in one block at any k here
    for (const floats of [1, 4099, 65536, 262144, 1 << 22]) {
      const before = netGradSetBlock(w, floats);
      try {
        const got = kernelGrad(w, P, [rows], rows, G0);
        sameBits(got.G, want.G, `G rows=${rows} k=${k} m=${m}, block ${floats} floats`);
        assert.is(got.losses[0], want.losses[0], `loss rows=${rows} k=${k} m=${m}, block ${floats} floats`);
      } finally {
        netGradSetBlock(w, before);
      }
    }
  }
  assert.is(netGradSetBlock(w, 0), 65536, 'the default is back');
});

test('net_grad over several chunks equals its twin chunk by chunk, and the batched sum within the f32 bound', async () => {
  const w = await wasm();
  const P = problem(w, 2500, 20, 8, 77);
  const chunks = [1024, 1024, 452],
    N = 2500;
  const got = kernelGrad(w, P, chunks, N),
    want = twinGrad(P, chunks, N);
  sameBits(got.G, want.G, 'three chunks');
  assert.equal(got.losses, want.losses);
});

test('batch size 1: per-row calls, the batched kernel and an explicit float64 per-sample loop agree', async () => {
  const w = await wasm();
  const P = problem(w, 300, 9, 6, 31);
  const N = 300;
  const batched = kernelGrad(w, P, [300], N);
  const single = kernelGrad(
    w,
    P,
    Array.from({ length: 300 }, () => 1),
    N,
  );
  const exact = ref.gradF64(P.X, 300, 9, 9, P.y, Float64Array.from(P.W), 6, P.b, P.a, N);
  // float32 error bound of the batched chunk sum: gamma_rows * (1/N) Σ_t |y_t x_ti|
  for (let j = 0; j < 6; j++)
    for (let i = 0; i < 9; i++) {
      let mag = 0;
      for (let t = 0; t < 300; t++) mag += Math.abs(P.y[t]! * P.X[t * 9 + i]!) / N;
      const tol = ((300 * U) / (1 - 300 * U)) * mag + 1e-15;
      approxEqual(batched.G[j * 9 + i]!, exact[j * 9 + i]!, { abs: tol }, `batched vs f64 loop G[${j},${i}]`);
      approxEqual(single.G[j * 9 + i]!, exact[j * 9 + i]!, { abs: tol }, `batch-1 vs f64 loop G[${j},${i}]`);
    }
  const lossSingle = single.losses.reduce((s, v) => s + v, 0);
  const lossExact = ref.lossF64(P.X, 300, 9, 9, P.y, Float64Array.from(P.W), 6, P.b, P.a, N);
  approxEqual(batched.losses[0]!, lossExact, { rel: 1e-5, abs: 1e-7 }, 'batched loss');
  approxEqual(lossSingle, lossExact, { rel: 1e-5, abs: 1e-7 }, 'batch-1 loss');
});

test('the gradient equals central finite differences of the float64 loss (no ReLU kink crossed)', async () => {
  const w = await wasm();
  const rows = 200,
    k = 7,
    m = 5,
    N = 200;
  const P = problem(w, rows, k, m, 4242);
  const W64 = Float64Array.from(P.W);
  // pre-activations in float64 and the kernel's float32 ones must agree in sign everywhere
  const fwd = ref.netForward(P.X, rows, k, k, P.W, m, k, P.b, P.a);
  let kinks = 0;
  for (let t = 0; t < rows; t++)
    for (let j = 0; j < m; j++) {
      let u = P.b[j]!;
      for (let i = 0; i < k; i++) u += W64[j * k + i]! * P.X[t * k + i]!;
      if (u > 0 !== fwd.Z[t * m + j]! > 0) kinks++; // Z holds relu(X·Wᵀ + b)
    }
  assert.is(kinks, 0, 'float32 and float64 pre-activations differ in sign');
  const G = kernelGrad(w, P, [rows], N).G;
  let checked = 0;
  for (let j = 0; j < m; j++)
    for (let i = 0; i < k; i++) {
      // the largest step that keeps every pre-activation of neuron j on its side of the kink
      let h = 1e-3;
      for (let t = 0; t < rows; t++) {
        let u = P.b[j]!;
        for (let q = 0; q < k; q++) u += W64[j * k + q]! * P.X[t * k + q]!;
        const x = Math.abs(P.X[t * k + i]!);
        if (x > 0) h = Math.min(h, (0.5 * Math.abs(u)) / x);
      }
      const Wp = W64.slice(),
        Wm = W64.slice();
      Wp[j * k + i]! += h;
      Wm[j * k + i]! -= h;
      const fd =
        (ref.lossF64(P.X, rows, k, k, P.y, Wp, m, P.b, P.a, N) -
          ref.lossF64(P.X, rows, k, k, P.y, Wm, m, P.b, P.a, N)) /
        (2 * h);
      let mag = 0;
      for (let t = 0; t < rows; t++) mag += Math.abs(P.y[t]! * P.X[t * k + i]!) / N;
      approxEqual(G[j * k + i]!, fd, { abs: 1e-5 * mag + 1e-12 / h }, `dL/dw[${j},${i}] (h=${h.toExponential(2)})`);
      checked++;
    }
  assert.is(checked, m * k);
});

test('net_grad: reduction kernels refuse more than one chunk of rows', async () => {
  const w = await wasm();
  const P = problem(w, 1025, 2, 2, 5);
  assert.throws(() => kernelGrad(w, P, [1025], 1025), /at most 1024/);
  w.scoped(() => {
    // bypassing the wrapper, the kernel's own assert fires with file and line
    assert.throws(
      () => w.exports.net_grad(16, 1025, 1, 1, 16, 16, 1, 1, 16, 16, 1, 16, 1, 16),
      /chunk rule.*assembly\/net\.ts:\d+/,
    );
  });
});

function stepCase(
  w: Wasm,
  m: number,
  k: number,
  eta: number,
  mask: Float32Array | null,
  seed: number,
  ldw = k,
  ldg = k,
) {
  const W = new Float32Array(Math.max(0, (m - 1) * ldw + k)).fill(7);
  const W0 = normals(w, seed, m * k),
    G0 = normals(w, seed + 1, m * k);
  const G = new Float64Array(Math.max(0, (m - 1) * ldg + k)).fill(5);
  for (let j = 0; j < m; j++)
    for (let i = 0; i < k; i++) {
      W[j * ldw + i] = mask && mask[i] === 0 ? 0 : W0[j * k + i]!;
      G[j * ldg + i] = G0[j * k + i]! * 1e-3;
    }
  const a = normals(w, seed + 2, m).map((v) => (v < 0 ? -1 : 1));
  const Wref = W.slice();
  const badRef = ref.netStep(Wref, m, k, ldw, G, ldg, a, eta, mask);
  const out = w.scoped(() => {
    const pw = w.put(W);
    const bad = netStep(w, { W: pw, m, k, ldw, G: w.put(G), ldg, a: w.put(a), eta, mask: mask ? w.put(mask) : 0 });
    return { W: w.copyF32(pw, W.length), bad };
  });
  sameBits(out.W, Wref, `step m=${m} k=${k} eta=${eta} mask=${!!mask}`);
  assert.is(out.bad, badRef);
  return { W: out.W, G, a, bad: out.bad, ldw, ldg };
}

test('net_step matches its twin bit for bit, with and without a mask, finite and infinite eta', async () => {
  const w = await wasm();
  let seed = 300;
  for (const m of [1, 3, 32])
    for (const k of [1, 3, 7, 33, 257])
      for (const eta of [0.5, 10, Infinity]) {
        const mask = Float32Array.from({ length: k }, (_, i) => (i % 3 === 1 ? 0 : 1));
        stepCase(w, m, k, eta, null, (seed += 5));
        stepCase(w, m, k, eta, mask, (seed += 5), k + 2, k + 1);
      }
});

test('net_step: masked coordinates get zero gradient and stay exactly zero; a mask applied twice changes nothing', async () => {
  const w = await wasm();
  const m = 4,
    k = 12;
  const mask = Float32Array.from({ length: k }, (_, i) => (i < 5 ? 1 : 0));
  for (const eta of [1, Infinity]) {
    const r = stepCase(w, m, k, eta, mask, 900);
    for (let j = 0; j < m; j++)
      for (let i = 5; i < k; i++) assert.ok(Object.is(r.W[j * k + i], 0), `W[${j},${i}] = ${r.W[j * k + i]} is not +0`);
    // the same step from a gradient that was already masked, and from the stepped weights, twice
    w.scoped(() => {
      const Gm = r.G.map((g, idx) => (mask[idx % k] ? g : 0));
      const W0 = normals(w, 900, m * k).map((v, idx) => (mask[idx % k] ? v : 0));
      const pa = w.put(r.a),
        pm = w.put(mask);
      const p1 = w.put(W0),
        p2 = w.put(W0);
      netStep(w, { W: p1, m, k, G: w.put(r.G), a: pa, eta, mask: pm });
      netStep(w, { W: p2, m, k, G: w.put(Gm), a: pa, eta, mask: pm });
      sameBits(w.copyF32(p1, m * k), w.copyF32(p2, m * k), 'masked vs pre-masked gradient');
      sameBits(w.copyF32(p1, m * k), r.W, 'same as the twin-checked step');
      const zeroG = w.put(new Float64Array(m * k));
      if (eta !== Infinity) {
        // with a zero gradient, a finite step only renormalises: unit rows on the mask stay put
        const before = w.copyF32(p1, m * k);
        assert.is(netStep(w, { W: p1, m, k, G: zeroG, a: pa, eta, mask: pm }), 0);
        const after = w.copyF32(p1, m * k);
        for (let i = 0; i < m * k; i++) approxEqual(after[i]!, before[i]!, { abs: 2 * U }, `renormalised W[${i}]`);
      }
    });
  }
});

test('net_step with eta = Infinity gives the unit vector along -g, keeps w on a zero gradient, reports NaN', async () => {
  const w = await wasm();
  const m = 3,
    k = 40;
  const r = stepCase(w, m, k, Infinity, null, 4321);
  for (let j = 0; j < m; j++) {
    let n2 = 0,
      norm2w = 0;
    for (let i = 0; i < k; i++) n2 += r.G[j * k + i]! ** 2;
    for (let i = 0; i < k; i++) {
      const want = -r.G[j * k + i]! / Math.sqrt(n2);
      approxEqual(r.W[j * k + i]!, want, { abs: U * Math.abs(want) }, `w[${j},${i}]`);
      norm2w += r.W[j * k + i]! ** 2;
    }
    approxEqual(Math.sqrt(norm2w), 1, { abs: 4 * U * Math.sqrt(k) }, `|w_${j}|`);
  }
  w.scoped(() => {
    const G = new Float64Array(m * k);
    for (let i = 0; i < k; i++) G[i] = 1; // neuron 0 has a gradient; 1 has none; 2 has a NaN
    G[2 * k + 5] = NaN;
    const W0 = normals(w, 1, m * k);
    const pw = w.put(W0);
    const bad = netStep(w, { W: pw, m, k, G: w.put(G), a: w.put(new Float32Array([1, -1, 1])), eta: Infinity });
    assert.is(bad, 1, 'only the NaN row has no direction');
    const W = w.copyF32(pw, m * k);
    approxEqual(W[0]!, -1 / Math.sqrt(k), { rel: 1e-6 }, 'w_0');
    // a zero gradient carries no information: the eta -> infinity limit keeps w unchanged
    assert.equal(Array.from(W.subarray(k, 2 * k)), Array.from(W0.subarray(k, 2 * k)), 'w_1 is kept');
    assert.ok(W.subarray(2 * k).every(Number.isNaN), 'a row without a direction is NaN');
  });
  w.scoped(() => {
    assert.throws(
      () => netStep(w, { W: w.allocF32(4), m: 1, k: 4, G: w.allocF64(4), a: w.allocF32(1), eta: 0 }),
      /eta must be a positive number or Infinity/,
    );
  });
});

test('readout: features, raw sums and predictions match their twins bit for bit', async () => {
  const w = await wasm();
  let seed = 7000;
  for (const [rows, k, m, R] of [
    [1, 1, 1, 1],
    [7, 3, 3, 2],
    [33, 8, 7, 2],
    [1024, 8, 32, 2],
    [257, 33, 5, 3],
  ] as const) {
    const P = problem(w, rows, k, m, (seed += 11));
    const p = m * R;
    const sign = normals(w, seed + 5, p).map((v) => (v < 0 ? -1 : 1));
    const bias = normals(w, seed + 6, p).map((v) => 3 * Math.tanh(v)); // any values in [-3, 3]
    const Fref = ref.netFeatures(P.X, rows, k, k, P.W, m, k, sign, bias, R);
    const sumsRef = {
      S: new Float64Array(p * p),
      Fy: new Float64Array(p),
      Fsum: new Float64Array(p),
      ys: new Float64Array(2),
    };
    ref.readoutAccumulate(Fref, rows, p, p, P.y, sumsRef);
    ref.readoutAccumulate(Fref, rows, p, p, P.y, sumsRef); // twice: the totals accumulate
    const beta = Float64Array.from(normals(w, seed + 7, p)),
      intercept = 0.25;
    const predSums = new Float64Array(3);
    const pr = ref.readoutPredict(Fref, rows, p, p, beta, intercept, P.y, predSums);
    w.scoped(() => {
      const q = put(w, P);
      const Z = w.allocF32(rows * m),
        F = w.allocF32(rows * p);
      netFeatures(w, { X: q.X, rows, k, W: q.W, m, sign: w.put(sign), bias: w.put(bias), R, Z, F });
      sameBits(w.copyF32(F, rows * p), Fref, `F rows=${rows} m=${m} R=${R}`);
      const S = w.allocF64(p * p),
        Fy = w.allocF64(p),
        Fsum = w.allocF64(p),
        ys = w.allocF64(2);
      for (const ptr of [S, Fy, Fsum, ys])
        w.f64.fill(0, ptr >>> 3, (ptr >>> 3) + (ptr === S ? p * p : ptr === ys ? 2 : p));
      const scratch = w.alloc(readoutScratchBytes(w, p));
      for (let rep = 0; rep < 2; rep++) readoutAccumulate(w, { F, rows, p, y: q.y, S, Fy, Fsum, ys, scratch });
      sameBits(w.copyF64(S, p * p), sumsRef.S, 'S');
      sameBits(w.copyF64(Fy, p), sumsRef.Fy, 'Fy');
      sameBits(w.copyF64(Fsum, p), sumsRef.Fsum, 'Fsum');
      sameBits(w.copyF64(ys, 2), sumsRef.ys, 'ys');
      const sums = w.put(new Float64Array(3)),
        yhat = w.allocF32(rows);
      const se = readoutPredict(w, { F, rows, p, beta: w.put(beta), intercept, y: q.y, yhat, sums });
      assert.is(se, pr.se);
      sameBits(w.copyF64(sums, 3), predSums, 'prediction sums');
      sameBits(w.copyF32(yhat, rows), pr.yhat, 'yhat');
    });
    // the raw sums against a direct float64 computation (different order: a tolerance)
    for (let i = 0; i < p; i++)
      for (let j = i; j < p; j += 3) {
        let s = 0;
        for (let t = 0; t < rows; t++) s += Fref[t * p + i]! * Fref[t * p + j]!;
        approxEqual(sumsRef.S[i * p + j]!, 2 * s, { rel: 1e-12, abs: 1e-12 }, `S[${i},${j}]`);
      }
    for (let i = 0; i < p * p; i++)
      if (i % p < Math.floor(i / p)) assert.is(sumsRef.S[i], 0, 'lower triangle untouched');
  }
});

test.run();
