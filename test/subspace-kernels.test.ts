// The subspace kernels (assembly/subspace.ts) against their scalar twins (src/reference/subspace.ts)
// bit for bit: our own log and exp, gamma and chi-square draws (both Marsaglia–Tsang paths, the
// shape < 1 boost included), the Bartlett factor, the in-span gradient and the PSD square root, on
// odd and round sizes, several shapes, degrees of freedom, keys and blocks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Wasm } from '../src/wasm/index.js';
import { keyToBigInt } from '../src/core/hash.js';
import { streamKey } from '../src/trial/streams.js';
import {
  bartlett,
  chi2Draws,
  gammaDraws,
  psdSqrt,
  subExp,
  subGrad,
  subGradScratchBytes,
  subLog,
} from '../src/kernels/subspace.js';
import * as ref from '../src/reference/subspace.js';
import { approxEqual, sameBits } from './helpers/approx.js';
import { normals } from './helpers/data.js';
import { wasm } from './helpers/wasm.js';

const KEYS = [streamKey(1, 'subspace'), streamKey(2, 'subspace'), streamKey(987654321, 'subspace')];

/** Test points for log: subnormals, around 1 and sqrt 2, powers of two, and random magnitudes. */
function logPoints(w: Wasm): number[] {
  const xs = [5e-324, 1e-320, 2.2250738585072014e-308, 2.225073858507201e-308, 1e-300, 0.5, 1, 2, 3, 10, 1e300];
  xs.push(Number.MAX_VALUE, 1 - 2 ** -53, 1 + 2 ** -52, Math.SQRT2, 1.4142135623730951, 1.414213562373095, 0.7071);
  const z = normals(w, 11, 4000);
  for (let i = 0; i < z.length; i += 2) xs.push(Math.abs(z[i]!) * 2 ** Math.round(z[i + 1]! * 300));
  for (let i = 0; i < 500; i++) xs.push((i + 1) / 501); // the uniforms' range
  return xs.filter((x) => x > 0 && x < Infinity);
}

test('ownLog and ownExp match their twins bit for bit, and are accurate', async () => {
  const w = await wasm();
  const lx = logPoints(w);
  sameBits(
    Float64Array.from(lx, (x) => subLog(w, x)),
    Float64Array.from(lx, ref.ownLog),
    'ownLog',
  );
  for (const x of lx) approxEqual(ref.ownLog(x), Math.log(x), { rel: 4e-16, abs: 4e-16 }, `ln ${x}`);
  const ex: number[] = [0, -0, 1e-300, -1e-300, 0.5, -0.5, 1, -1, 700, -700, 709.7, 709.8, 709.9, 800, -1e300];
  ex.push(-707, -708.3, -708.5, -720, -740, -745, -745.1, -745.2, -745.3, -750, -1000, -5000);
  const z = normals(w, 12, 2000);
  for (const v of z) ex.push(v * 300);
  sameBits(
    Float64Array.from(ex, (x) => subExp(w, x)),
    Float64Array.from(ex, ref.ownExp),
    'ownExp',
  );
  for (const x of ex) {
    const want = Math.exp(x);
    if (ref.ownExp(x) === want) continue; // 0, Infinity and exact hits
    // normal results: a few ulp; subnormal results (x < -708.4): within 2 of the least subnormals
    approxEqual(ref.ownExp(x), want, { rel: 1e-15, abs: 1e-323 }, `exp ${x}`);
  }
  assert.is(ref.ownExp(-746), 0);
  assert.is(ref.ownExp(710), Infinity);
});

test('gamma draws match the twin bit for bit: shapes below 1 (the boost) and above, odd sizes, keys, blocks', async () => {
  const w = await wasm();
  let cases = 0;
  for (const shape of [1e-3, 0.01, 0.3, 0.5, 0.999, 1, 1.5, 2.5, 40, 5000, 1e9])
    for (const [ki, key] of KEYS.entries())
      for (const [block, coordBase, n] of [
        [0, 0, 1],
        [1, 5, 3],
        [7, 1000, 7],
        [4095, 0x80000000, 33],
        [ki, 0xffffffff - 100, 101],
      ] as const) {
        w.scoped(() => {
          const out = w.allocF64(n);
          gammaDraws(w, key, block, coordBase, n, shape, out);
          const twin = ref.gammaDraws(keyToBigInt(key), block, coordBase, n, shape);
          sameBits(w.copyF64(out, n), twin, `Gamma(${shape}) key ${ki} block ${block} coords ${coordBase}+${n}`);
          assert.ok(
            twin.every((g) => g >= 0 && g < Infinity),
            `Gamma(${shape}) draws are finite and >= 0`,
          );
        });
        cases++;
      }
  assert.is(cases, 11 * 3 * 5);
});

test('chi-square draws match the twin bit for bit (dof 1, 2, 3, 7, 4093, 65535)', async () => {
  const w = await wasm();
  for (const dof of [1, 2, 3, 7, 4093, 65535])
    for (const [ki, key] of KEYS.entries())
      for (const [block, coordBase, n] of [
        [0, 0, 1],
        [3, 17, 7],
        [9, 0x80000000, 33],
      ] as const)
        w.scoped(() => {
          const out = w.allocF64(n);
          chi2Draws(w, key, block, coordBase, n, dof, out);
          sameBits(
            w.copyF64(out, n),
            ref.chi2Draws(keyToBigInt(key), block, coordBase, n, dof),
            `chi2(${dof}) key ${ki} block ${block} coords ${coordBase}+${n}`,
          );
        });
});

test('the Bartlett factor matches the twin bit for bit (m = 0, 1, 3, 7, 33; D from m to 65536)', async () => {
  const w = await wasm();
  for (const m of [0, 1, 3, 7, 33])
    for (const D of [m, m + 1, m + 2, 2 * m + 5, 1017, 4096 - 3 * m, 65536])
      for (const [ki, key] of KEYS.entries())
        for (const block of [0, 1, 8, 0xffffffff])
          w.scoped(() => {
            if (D < m) return;
            const R = w.allocF64(Math.max(1, m * m));
            w.f64.fill(7, R >>> 3, (R >>> 3) + m * m); // the kernel must write the zeros below the diagonal
            bartlett(w, key, block, m, D, R);
            sameBits(w.copyF64(R, m * m), ref.bartlett(keyToBigInt(key), block, m, D), `m=${m} D=${D} key ${ki}`);
          });
});

/** A subGrad problem: U rows×k (ldu), W m×k (ldw, unit rows), b, a = ±1, y (f32). */
function gradProblem(w: Wasm, rows: number, k: number, m: number, seed: number, pad: number) {
  const ldu = k + pad,
    ldw = k + (pad ? 1 : 0);
  const U = new Float32Array(Math.max(1, rows * ldu)).fill(99);
  const u = normals(w, seed, rows * k);
  for (let t = 0; t < rows; t++) U.set(u.subarray(t * k, (t + 1) * k), t * ldu);
  const W = new Float32Array(Math.max(1, m * ldw)).fill(-99);
  const wv = normals(w, seed + 1, m * k);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += wv[j * k + i]! ** 2;
    for (let i = 0; i < k; i++) W[j * ldw + i] = wv[j * k + i]! / Math.sqrt(s);
  }
  const b = normals(w, seed + 2, m);
  const a = normals(w, seed + 3, m).map((v) => (v < 0 ? -1 : 1));
  const y = normals(w, seed + 4, rows);
  return { U, W, b, a, y, ldu, ldw };
}

test('sub_grad matches the twin bit for bit (G and CᵀC), odd and round sizes, strides, several chunks', async () => {
  const w = await wasm();
  let seed = 500;
  const cases: [number, number, number][] = [];
  for (const rows of [1, 3, 7, 33, 1024])
    for (const k of [1, 3, 7, 33, 97]) for (const m of [1, 3, 7, 32, 33]) cases.push([rows, k, m]);
  cases.push([0, 5, 4], [5, 0, 4], [200, 289, 32], [1024, 8, 1]);
  for (const [rows, k, m] of cases) {
    if (rows * k * m > 4e6) continue;
    seed += 10;
    const pad = (rows + k) % 3;
    const P = gradProblem(w, rows, k, m, seed, pad);
    const ldg = k + 2;
    const G0 = new Float64Array(Math.max(1, m * ldg));
    G0.set(normals(w, seed + 5, m * ldg));
    const C0 = Float64Array.from(normals(w, seed + 6, Math.max(1, m * m)));
    const N = 3 * rows + 7;
    // the chunk in two calls (rows split unevenly), accumulating onto non-zero G and CᵀC
    const split = [Math.floor(rows / 3), rows - Math.floor(rows / 3)];
    const got = w.scoped(() => {
      const Up = w.put(P.U),
        Wp = w.put(P.W),
        bp = w.put(P.b),
        ap = w.put(P.a),
        yp = w.put(P.y);
      const G = w.put(G0),
        C = w.put(C0);
      const scratch = w.alloc(subGradScratchBytes(w, k, m));
      let t0 = 0;
      for (const r of split) {
        subGrad(w, {
          U: Up + t0 * P.ldu * 4,
          rows: r,
          k,
          ldu: P.ldu,
          y: yp + t0 * 4,
          W: Wp,
          m,
          ldw: P.ldw,
          b: bp,
          a: ap,
          N,
          G,
          ldg,
          CtC: C,
          scratch,
        });
        t0 += r;
      }
      return { G: w.copyF64(G, G0.length), C: w.copyF64(C, C0.length) };
    });
    const G = G0.slice(),
      C = C0.slice();
    let t0 = 0;
    for (const r of split) {
      ref.subGrad(P.U.subarray(t0 * P.ldu), r, k, P.ldu, P.y.subarray(t0), P.W, m, P.ldw, P.b, P.a, N, G, ldg, C);
      t0 += r;
    }
    sameBits(got.G, G, `G rows=${rows} k=${k} m=${m}`);
    sameBits(got.C, C, `CtC rows=${rows} k=${k} m=${m}`);
  }
});

test('psdSqrt matches the twin bit for bit (m = 0, 1, 2, 3, 7, 33; full rank, singular, diagonal, zero)', async () => {
  const w = await wasm();
  let seed = 900;
  for (const m of [0, 1, 2, 3, 7, 32, 33])
    for (const rank of [m, Math.ceil(m / 2), 1, 0]) {
      seed += 3;
      const B = normals(w, seed, Math.max(1, m * rank));
      const A = new Float64Array(m * m);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) for (let l = 0; l < rank; l++) A[i * m + j]! += B[i * rank + l]! * B[j * rank + l]!;
      const diag = new Float64Array(m * m);
      for (let i = 0; i < m; i++) diag[i * m + i] = i + 0.5;
      for (const [what, M] of [
        [`rank ${rank}`, A],
        ['diagonal', diag],
      ] as const) {
        const L = w.scoped(() => {
          const p = w.put(M.length ? M : new Float64Array(1)),
            Lp = w.allocF64(Math.max(1, m * m));
          psdSqrt(w, p, m, Lp, w.allocF64(Math.max(1, 2 * m * m)));
          return w.copyF64(Lp, m * m);
        });
        const twin = ref.psdSqrt(M, m);
        sameBits(L, twin, `psdSqrt m=${m} ${what}`);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < m; j++) {
            let s = 0;
            for (let l = 0; l < m; l++) s += twin[i * m + l]! * twin[j * m + l]!;
            approxEqual(s, M[i * m + j]!, { abs: 1e-12 * (1 + m * m) }, `(L Lᵀ)[${i},${j}] m=${m} ${what}`);
          }
      }
    }
});

test.run();
