import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { streamKey } from '../src/trial/streams.js';
import { keyToBigInt } from '../src/core/hash.js';
import { hermiteEval, hermiteScoreStream, hermiteF32, HERMITE_MAX_K } from '../src/reference/hermite.js';
import { hermiteEval as evalKernel, hermiteScoreStream as streamKernel } from '../src/kernels/hermite.js';
import { gaussFillCols } from '../src/kernels/gauss.js';
import { approxEqual, sameBits } from './helpers/approx.js';
import { wasm } from './helpers/wasm.js';

const f = Math.fround;

// He_k by its defining recurrence in f64, divided by sqrt(k!): an independent oracle.
function hOracle(k: number, x: number): number {
  let a = 1,
    b = x,
    fact = 1;
  if (k === 0) return 1;
  for (let j = 1; j < k; j++) {
    const c = x * b - j * a;
    a = b;
    b = c;
    fact *= j + 1;
  }
  return b / Math.sqrt(fact);
}

function labels(n: number, seed: number): Float32Array {
  // any deterministic f32 weights do for the twin tests; these mix signs and magnitudes
  const y = new Float32Array(n);
  for (let t = 0; t < n; t++) y[t] = f(((t * 2654435761 + seed) % 2001) / 1000 - 1);
  return y;
}

test('hermite_eval matches the twin bit for bit and the f64 oracle to f32 accuracy', async () => {
  const w = await wasm();
  for (const n of [1, 3, 7, 33, 1024]) {
    for (const K of [0, 1, 2, 4, 8, HERMITE_MAX_K]) {
      w.scoped(() => {
        const x = new Float32Array(n);
        for (let t = 0; t < n; t++) x[t] = f(-6 + 12 * ((t * 0.618034) % 1));
        const out = w.allocF32((K + 1) * n);
        evalKernel(w, w.put(x), n, K, out);
        const got = w.copyF32(out, (K + 1) * n);
        sameBits(got, hermiteEval(x, K), `n=${n} K=${K}`);
        for (let k = 0; k <= K; k++) {
          for (let t = 0; t < n; t++) {
            // relative to the size of the terms the recurrence combines: |h_k| <= sum |x|^j / sqrt(j!)
            let scale = 0;
            for (let j = 0; j <= k; j++)
              scale +=
                Math.abs(x[t]!) ** j /
                Math.sqrt([1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800, 39916800, 479001600][j]!);
            approxEqual(got[k * n + t]!, hOracle(k, x[t]!), { abs: 2e-6 * k * scale + 1e-7 }, `h_${k}(${x[t]})`);
          }
        }
      });
    }
  }
  const w2 = await wasm();
  assert.throws(() => evalKernel(w2, 16, 1, 13, 64), /K must be an integer in \[0, 12\]/);
});

test('score stream matches the twin bit for bit on odd and round sizes', async () => {
  const w = await wasm();
  const key = streamKey(3, 'stage1');
  for (const nc of [1, 3, 7, 33]) {
    for (const [rowStart, rows] of [
      [0, 1],
      [0, 5],
      [0, 1024],
      [0, 2100],
      [1021, 7],
    ] as const) {
      for (const K of [1, 3, 4, 8]) {
        w.scoped(() => {
          const coords = Uint32Array.from({ length: nc }, (_, j) => 5 + j * 11);
          const y = labels(rows, nc + K);
          const S = w.allocF64(K * nc);
          w.f64.fill(0.25, S >>> 3, (S >>> 3) + K * nc); // accumulates into what is there
          streamKernel(w, key, rowStart, rows, { ptr: w.put(coords), n: nc }, w.put(y), K, S);
          const ref = new Float64Array(K * nc).fill(0.25);
          hermiteScoreStream(keyToBigInt(key), rowStart, rows, coords, y, K, ref);
          sameBits(w.copyF64(S, K * nc), ref, `nc=${nc} rows [${rowStart}, ${rowStart + rows}) K=${K}`);
        });
      }
    }
  }
});

test('the fused stream equals the plain loop over an explicitly sampled X', async () => {
  const w = await wasm();
  const key = streamKey(11, 'stage1');
  const rows = 3000,
    d = 37,
    K = 6;
  w.scoped(() => {
    const xp = w.allocF32(rows * d);
    gaussFillCols(w, key, 0, rows, { base: 0, n: d }, xp, d);
    const X = w.copyF32(xp, rows * d);
    const y = labels(rows, 1);
    const S = w.allocF64(K * d);
    w.f64.fill(0, S >>> 3, (S >>> 3) + K * d);
    streamKernel(w, key, 0, rows, { base: 0, n: d }, w.put(y), K, S);
    const got = w.copyF64(S, K * d);
    // the documented order: f32 sums per 1024-row chunk, chunk totals added in f64
    const want = new Float64Array(K * d);
    const h = new Float64Array(K + 1);
    for (let j = 0; j < d; j++) {
      for (let c0 = 0; c0 < rows; c0 += 1024) {
        const acc = new Array<number>(K + 1).fill(0);
        for (let t = c0; t < Math.min(rows, c0 + 1024); t++) {
          hermiteF32(X[t * d + j]!, K, h);
          for (let k = 1; k <= K; k++) acc[k] = f(acc[k]! + f(y[t]! * h[k]!));
        }
        for (let k = 1; k <= K; k++) want[(k - 1) * d + j] = want[(k - 1) * d + j]! + acc[k]!;
      }
    }
    sameBits(got, want, 'fused vs explicit');
  });
});

test('chunk-aligned splits of a pass give the same bytes; ranges of coordinate ids work', async () => {
  const w = await wasm();
  const key = streamKey(12, 'stage1');
  const rows = 5000,
    nc = 9,
    K = 4;
  w.scoped(() => {
    const y = w.put(labels(rows, 2));
    const one = w.allocF64(K * nc),
      split = w.allocF64(K * nc);
    w.f64.fill(0, one >>> 3, (one >>> 3) + 2 * K * nc);
    streamKernel(w, key, 0, rows, { base: 100, n: nc }, y, K, one);
    for (const [r0, r1] of [
      [0, 1024],
      [1024, 3072],
      [3072, 5000],
    ]) {
      streamKernel(w, key, r0!, r1! - r0!, { base: 100, n: nc }, y + r0! * 4, K, split);
    }
    sameBits(w.copyF64(split, K * nc), w.copyF64(one, K * nc), 'split at 1024 and 3072');
    const ids = w.put(Uint32Array.from({ length: nc }, (_, j) => 100 + j));
    const viaPtr = w.allocF64(K * nc);
    w.f64.fill(0, viaPtr >>> 3, (viaPtr >>> 3) + K * nc);
    streamKernel(w, key, 0, rows, { ptr: ids, n: nc }, y, K, viaPtr);
    sameBits(w.copyF64(viaPtr, K * nc), w.copyF64(one, K * nc), 'ids 100.. vs base 100');
  });
});

// E[(h_j h_k)^2] exactly, from h_j h_k = sum_r r! C(j,r) C(k,r) sqrt((j+k-2r)! / (j! k!)) h_{j+k-2r}.
// The product's sd must be the exact one: it is heavy-tailed (sd 457 for h_6 h_8), and a sample
// estimate misses the tails that dominate it (with Gaussian tails to 7.4 sigma it came out 8x low).
function productSecondMoment(j: number, k: number): number {
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const choose = (n: number, r: number): number => fact(n) / (fact(r) * fact(n - r));
  let v = 0;
  for (let r = 0; r <= Math.min(j, k); r++) v += (fact(r) * choose(j, r) * choose(k, r)) ** 2 * fact(j + k - 2 * r);
  return v / (fact(j) * fact(k));
}

test('Monte Carlo orthonormality: E[h_j h_k] = delta_jk for j, k <= 8 within 5 standard errors', async () => {
  const w = await wasm();
  const n = 1 << 22,
    K = 8;
  w.scoped(() => {
    const x = w.allocF32(n);
    gaussFillCols(w, streamKey(8, 'test'), 0, n / 4, { base: 0, n: 4 }, x, 4);
    const out = w.allocF32((K + 1) * n);
    evalKernel(w, x, n, K, out);
    const H = w.f32.subarray(out >>> 2, (out >>> 2) + (K + 1) * n);
    for (let j = 0; j <= K; j++) {
      for (let k = j; k <= K; k++) {
        let s = 0;
        for (let t = 0; t < n; t++) s += H[j * n + t]! * H[k * n + t]!;
        const sd = Math.sqrt(productSecondMoment(j, k) - (j === k ? 1 : 0));
        approxEqual(s / n, j === k ? 1 : 0, { abs: (5 * sd) / Math.sqrt(n) }, `E[h_${j} h_${k}]`);
      }
    }
  });
});

test.run();
