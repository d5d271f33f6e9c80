import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gemmXwt, gemmGtx, gemmGtxSelf } from '../src/kernels/gemm.js';
import * as ref from '../src/reference/gemm.js';
import { sameBits } from './helpers/approx.js';
import { normals, padded } from './helpers/data.js';
import { wasm } from './helpers/wasm.js';

const SIZES = [1, 3, 7, 33, 257];
const U = 2 ** -24; // unit roundoff of float32

// Error bound of a sequential float32 sum of `terms` products (each rounded, then added):
// |fl - exact| <= gamma_terms * sum |x_i w_i| with gamma_n = n u / (1 - n u).
function gamma(terms: number): number {
  return (terms * U) / (1 - terms * U);
}

function xwtCase(w: Awaited<ReturnType<typeof wasm>>, n: number, k: number, m: number, seed: number, pad = 0): void {
  const ldx = k + pad,
    ldw = k + 2 * pad,
    ldz = m + pad;
  const X = padded(normals(w, seed, n * k), n, k, ldx);
  const W = padded(normals(w, seed + 1, m * k), m, k, ldw);
  const Zref = padded(new Float32Array(n * m), n, m, ldz, -7);
  ref.gemmXwt(X, n, k, ldx, W, m, ldw, Zref, ldz);
  const Z = w.scoped(() => {
    const px = w.put(X),
      pw = w.put(W),
      pz = w.put(padded(new Float32Array(n * m).fill(NaN), n, m, ldz, -7));
    gemmXwt(w, px, n, k, ldx, pw, m, ldw, pz, ldz);
    return w.copyF32(pz, Zref.length);
  });
  sameBits(Z, Zref, `xwt n=${n} k=${k} m=${m} pad=${pad}`);
  // the float32 error bound against the exact (float64) product
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let exact = 0,
        mag = 0;
      for (let p = 0; p < k; p++) {
        const v = X[t * ldx + p]! * W[j * ldw + p]!;
        exact += v;
        mag += Math.abs(v);
      }
      const err = Math.abs(Z[t * ldz + j]! - exact);
      if (!(err <= gamma(k) * mag * 1.000001))
        assert.unreachable(`xwt n=${n} k=${k} m=${m}: Z[${t},${j}] error ${err} > bound ${gamma(k) * mag}`);
    }
}

function gtxCase(
  w: Awaited<ReturnType<typeof wasm>>,
  n: number,
  m: number,
  k: number,
  seed: number,
  accumulate: boolean,
  pad = 0,
): void {
  const ldd = m + pad,
    ldx = k + 2 * pad,
    ldg = k + pad;
  const D = padded(normals(w, seed, n * m), n, m, ldd);
  const X = padded(normals(w, seed + 1, n * k), n, k, ldx);
  const G0 = padded(accumulate ? normals(w, seed + 2, m * k) : new Float32Array(m * k).fill(NaN), m, k, ldg, -7);
  const Gref = G0.slice();
  ref.gemmGtx(D, n, m, ldd, X, k, ldx, Gref, ldg, accumulate);
  const G = w.scoped(() => {
    const pd = w.put(D),
      px = w.put(X),
      pg = w.put(G0);
    gemmGtx(w, pd, n, m, ldd, px, k, ldx, pg, ldg, accumulate);
    return w.copyF32(pg, Gref.length);
  });
  sameBits(G, Gref, `gtx n=${n} m=${m} k=${k} acc=${accumulate} pad=${pad}`);
  for (let j = 0; j < m; j++)
    for (let i = 0; i < k; i++) {
      const g0 = accumulate ? G0[j * ldg + i]! : 0;
      let exact = g0,
        mag = Math.abs(g0);
      for (let t = 0; t < n; t++) {
        const v = D[t * ldd + j]! * X[t * ldx + i]!;
        exact += v;
        mag += Math.abs(v);
      }
      const err = Math.abs(G[j * ldg + i]! - exact);
      if (!(err <= gamma(n + 1) * mag * 1.000001))
        assert.unreachable(`gtx n=${n} m=${m} k=${k}: G[${j},${i}] error ${err} > bound ${gamma(n + 1) * mag}`);
    }
}

test('gemm_xwt: bit-exact to the scalar twin and within the float32 bound, all size combinations', async () => {
  const w = await wasm();
  let seed = 100;
  for (const n of SIZES) for (const k of SIZES) for (const m of SIZES) xwtCase(w, n, k, m, (seed += 3));
});

test('gemm_xwt: padded leading dimensions, round sizes, several K and M blocks', async () => {
  const w = await wasm();
  xwtCase(w, 7, 33, 9, 1, 5); // ld > cols everywhere; the sentinel padding must survive
  xwtCase(w, 64, 128, 32, 2);
  xwtCase(w, 5, 2100, 8, 3); // kc = 1024 at m <= 8: three K blocks
  xwtCase(w, 6, 900, 33, 4, 3); // m = 33: kc = 819, two K blocks and an edge strip
  xwtCase(w, 9, 300, 300, 5); // two M blocks (MC = 256), kc = 128
});

test('gemm_gtx: bit-exact to the scalar twin and within the float32 bound, all size combinations', async () => {
  const w = await wasm();
  let seed = 5000;
  for (const n of SIZES)
    for (const m of SIZES) for (const k of SIZES) gtxCase(w, n, m, k, (seed += 3), ((n + m + k) & 1) === 1);
});

test('gemm_gtx: padded leading dimensions, round sizes, several row blocks, panels and M blocks', async () => {
  const w = await wasm();
  gtxCase(w, 33, 7, 9, 1, true, 4);
  gtxCase(w, 64, 32, 128, 2, false);
  gtxCase(w, 600, 5, 70, 3, true); // three row blocks (NB = 256), two panels (64 + 6 columns)
  gtxCase(w, 20, 300, 17, 4, false, 1); // two M blocks
});

// gemm_gtx_self against the twin of gemm_gtx with X = D: every entry, the mirrored ones included
function selfCase(w: Awaited<ReturnType<typeof wasm>>, n: number, m: number, seed: number, pad = 0): void {
  const ldd = m + pad,
    ldg = m + 2 * pad;
  const D = padded(normals(w, seed, n * m), n, m, ldd);
  const Gref = padded(new Float32Array(m * m).fill(NaN), m, m, ldg, -7);
  ref.gemmGtx(D, n, m, ldd, D, m, ldd, Gref, ldg, false);
  const G = w.scoped(() => {
    const pd = w.put(D),
      pg = w.put(padded(new Float32Array(m * m).fill(NaN), m, m, ldg, -7));
    gemmGtxSelf(w, pd, n, m, ldd, pg, ldg);
    return w.copyF32(pg, Gref.length);
  });
  sameBits(G, Gref, `gtx_self n=${n} m=${m} pad=${pad}`);
}

test('gemm_gtx_self: the bits of gemm_gtx(D, D), odd and round sizes, row blocks, panels and M blocks', async () => {
  const w = await wasm();
  let seed = 9000;
  for (const n of [0, 1, 3, 7, 33, 257, 1024])
    for (const m of [1, 3, 4, 7, 8, 9, 32, 33]) selfCase(w, n, m, (seed += 3));
  selfCase(w, 40, 33, 1, 3); // padded strides; the sentinel padding must survive
  selfCase(w, 20, 300, 2); // two M blocks (MC = 256) and two panels (PANEL = 256)
  selfCase(w, 300, 513, 3, 1); // three of each, two row blocks
});

test('gemm_gtx: rows split across calls with accumulate give the same bits as one call', async () => {
  const w = await wasm();
  const n = 1024,
    m = 32,
    k = 37;
  const D = normals(w, 71, n * m),
    X = normals(w, 72, n * k);
  w.scoped(() => {
    const pd = w.put(D),
      px = w.put(X);
    const whole = w.allocF32(m * k),
      parts = w.allocF32(m * k);
    gemmGtx(w, pd, n, m, m, px, k, k, whole, k, false);
    let t0 = 0;
    for (const rows of [1, 3, 300, 257, 463]) {
      gemmGtx(w, pd + t0 * m * 4, rows, m, m, px + t0 * k * 4, k, k, parts, k, t0 > 0);
      t0 += rows;
    }
    assert.is(t0, n);
    sameBits(w.copyF32(parts, m * k), w.copyF32(whole, m * k), 'split vs whole');
  });
});

test('gemm_xwt: a row computed alone equals the same row computed in a batch', async () => {
  const w = await wasm();
  const n = 13,
    k = 50,
    m = 11;
  const X = normals(w, 81, n * k),
    W = normals(w, 82, m * k);
  w.scoped(() => {
    const px = w.put(X),
      pw = w.put(W),
      pz = w.allocF32(n * m),
      p1 = w.allocF32(m);
    gemmXwt(w, px, n, k, k, pw, m, k, pz, m);
    const all = w.copyF32(pz, n * m);
    for (let t = 0; t < n; t++) {
      gemmXwt(w, px + t * k * 4, 1, k, k, pw, m, k, p1, m);
      sameBits(w.copyF32(p1, m), all.slice(t * m, (t + 1) * m), `row ${t}`);
    }
  });
});

test('empty products: k = 0 zeroes Z, n = 0 zeroes G unless accumulating', async () => {
  const w = await wasm();
  w.scoped(() => {
    const z = w.put(new Float32Array(6).fill(3));
    gemmXwt(w, w.allocF32(1), 2, 0, 0, w.allocF32(1), 3, 0, z, 3);
    assert.equal(Array.from(w.copyF32(z, 6)), [0, 0, 0, 0, 0, 0]);
    const g = w.put(new Float32Array(6).fill(3));
    gemmGtx(w, w.allocF32(1), 0, 2, 2, w.allocF32(1), 3, 3, g, 3, true);
    assert.equal(Array.from(w.copyF32(g, 6)), [3, 3, 3, 3, 3, 3]);
    gemmGtx(w, w.allocF32(1), 0, 2, 2, w.allocF32(1), 3, 3, g, 3, false);
    assert.equal(Array.from(w.copyF32(g, 6)), [0, 0, 0, 0, 0, 0]);
  });
});

test('wrappers reject bad shapes before calling wasm, naming the argument', async () => {
  const w = await wasm();
  w.scoped(() => {
    const p = w.allocF32(64);
    assert.throws(() => gemmXwt(w, p, 4, 8, 7, p, 2, 8, p, 2), /leading dimension of X must be an integer >= 8/);
    assert.throws(() => gemmXwt(w, p, 4, 8, 8, p, 2, 8, p, 1), /leading dimension of Z/);
    assert.throws(() => gemmXwt(w, p, -1, 8, 8, p, 2, 8, p, 2), /n must be an integer/);
    assert.throws(() => gemmGtx(w, p, 4, 2, 2, p + 2, 8, 8, p, 8, false), /X must be a 4-byte aligned/);
    assert.throws(
      () => gemmGtx(w, p, 4, 2, 2, p, 8, 8, w.exports.memory.buffer.byteLength - 16, 8, false),
      /beyond wasm memory/,
    );
  });
  // the kernel's own assert reaches JS with file and line when the wrapper is bypassed
  assert.throws(() => w.exports.gemm_xwt(16, 4, 8, 7, 16, 2, 8, 16, 2), /gemm_xwt: need .*assembly\/gemm\.ts:\d+/);
});

test.run();
