import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { streamKey } from '../src/trial/streams.js';
import { keyToBigInt, mix64 } from '../src/core/hash.js';
import { Xoshiro128, uniformFillCols } from '../src/reference/rng.js';
import { uniformFillCols as uniformKernel } from '../src/kernels/gauss.js';
import { sameBits } from './helpers/approx.js';
import { wasm } from './helpers/wasm.js';

test('mix64 known answers (splitmix64 of 0 and 1 from the reference C code)', () => {
  // splitmix64 with state 0: first output = mix64(0x9e3779b97f4a7c15)
  assert.is(mix64(0x9e3779b97f4a7c15n), 0xe220a8397b1dcdafn);
  assert.is(mix64((0x9e3779b97f4a7c15n * 2n) & ((1n << 64n) - 1n)), 0x6e789e6aa1b965f4n);
});

test('streams differ by name and by seed, and are stable', () => {
  const a = streamKey(1, 'stage1'),
    b = streamKey(1, 'stage2'),
    c = streamKey(2, 'stage1');
  assert.is.not(keyToBigInt(a), keyToBigInt(b));
  assert.is.not(keyToBigInt(a), keyToBigInt(c));
  assert.equal(streamKey(1, 'stage1'), a);
});

test('xoshiro128** lanes match the scalar twin', async () => {
  const w = await wasm();
  const m = w.mark();
  const key = streamKey(12345, 'teacher');
  const out = w.allocI32(4 * 100);
  for (const [chunk, coords] of [
    [0, [0, 1, 2, 3]],
    [7, [5, 99, 0xffffffff, 3]],
    [123456, [1, 1, 1, 1]],
  ] as const) {
    w.exports.xoshiro_raw(key.lo, key.hi, chunk, coords[0], coords[1], coords[2], coords[3], 100, out);
    const got = w.copyU32(out, 400);
    for (let l = 0; l < 4; l++) {
      const ref = new Xoshiro128(keyToBigInt(key), chunk, coords[l]!);
      for (let t = 0; t < 100; t++) assert.is(got[4 * t + l], ref.next(), `chunk ${chunk} lane ${l} step ${t}`);
    }
  }
  w.reset(m);
});

test('uniform fills match the twin on odd and round sizes, any row window', async () => {
  const w = await wasm();
  const key = streamKey(9, 'mask');
  for (const nc of [1, 3, 4, 7, 33]) {
    for (const [rowStart, rows] of [
      [0, 1],
      [0, 5],
      [0, 1024],
      [1000, 50],
      [3, 2100],
    ] as const) {
      w.scoped(() => {
        const coords = Uint32Array.from({ length: nc }, (_, j) => j * 7 + 2);
        const cp = w.put(coords);
        const ld = nc + 1;
        const out = w.allocF32(rows * ld);
        uniformKernel(w, key, rowStart, rows, { ptr: cp, n: nc }, out, ld);
        const got = w.copyF32(out, rows * ld);
        const ref = new Float32Array(rows * ld);
        uniformFillCols(keyToBigInt(key), rowStart, rows, coords, ref, ld);
        for (let t = 0; t < rows; t++) got[t * ld + nc] = 0; // padding column is not written by the twin
        sameBits(got, ref, `nc=${nc} rows [${rowStart}, ${rowStart + rows})`);
      });
    }
  }
});

test('uniforms are in [0, 1) with the right mean and variance', async () => {
  const w = await wasm();
  w.scoped(() => {
    const n = 1 << 20;
    const out = w.allocF32(n);
    uniformKernel(w, streamKey(3, 'init'), 0, n / 8, { base: 0, n: 8 }, out, 8);
    const u = w.copyF32(out, n);
    let s = 0,
      s2 = 0,
      lo = 1,
      hi = 0;
    for (const x of u) {
      s += x;
      s2 += x * x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    const mean = s / n,
      v = s2 / n - mean * mean;
    assert.ok(lo >= 0 && hi < 1, `range [${lo}, ${hi}]`);
    // standard errors: sd(U)/sqrt(n) for the mean, sqrt(mu4 - sigma^4) = sqrt(1/80 - 1/144) for the variance
    assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
    assert.ok(Math.abs(v - 1 / 12) < (5 * Math.sqrt(1 / 80 - 1 / 144)) / Math.sqrt(n), `variance ${v}`);
  });
});

test.run();
