import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { streamKey } from '../src/trial/streams.js';
import { keyToBigInt } from '../src/core/hash.js';
import { boxMullerBits, boxMullerInputs, gaussFill, gaussFillCols } from '../src/reference/gauss.js';
import { gaussFill as gaussFillKernel, gaussFillCols as gaussColsKernel } from '../src/kernels/gauss.js';
import { sameBits } from './helpers/approx.js';
import { wasm } from './helpers/wasm.js';

test('gauss fills match the scalar twin bit for bit on odd and round sizes', async () => {
  const w = await wasm();
  const key = streamKey(42, 'stage1');
  for (const nc of [1, 3, 7, 8, 33, 64, 70, 131]) {
    for (const [rowStart, rows] of [
      [0, 1],
      [0, 7],
      [0, 1024],
      [1023, 3],
      [517, 1600],
      [768, 256],
    ] as const) {
      w.scoped(() => {
        const coords = Uint32Array.from({ length: nc }, (_, j) => 1000 + j * 13);
        const out = w.allocF32(rows * nc);
        gaussColsKernel(w, key, rowStart, rows, { ptr: w.put(coords), n: nc }, out, nc);
        const ref = new Float32Array(rows * nc);
        gaussFillCols(keyToBigInt(key), rowStart, rows, coords, ref, nc);
        sameBits(w.copyF32(out, rows * nc), ref, `nc=${nc} rows [${rowStart}, ${rowStart + rows})`);
      });
    }
  }
  for (const n of [0, 1, 3, 4, 5, 4099]) {
    w.scoped(() => {
      const out = w.allocF32(n);
      gaussFillKernel(w, key, n, out);
      sameBits(w.copyF32(out, n), gaussFill(keyToBigInt(key), n), `flat fill of ${n}`);
    });
  }
});

test('a chunk regenerated alone, or a coordinate subset, gives the same bytes', async () => {
  const w = await wasm();
  const key = streamKey(5, 'stage2');
  w.scoped(() => {
    const rows = 3000,
      d = 50;
    const full = w.allocF32(rows * d);
    gaussColsKernel(w, key, 0, rows, { base: 0, n: d }, full, d);
    const X = w.copyF32(full, rows * d);
    // rows 2048..2999 are chunk 2; rows 1500..1699 straddle nothing; 1000..1100 straddle chunks 0/1
    for (const [r0, r] of [
      [2048, 952],
      [1500, 200],
      [1000, 100],
    ] as const) {
      const part = w.allocF32(r * d);
      gaussColsKernel(w, key, r0, r, { base: 0, n: d }, part, d);
      sameBits(w.copyF32(part, r * d), X.slice(r0 * d, (r0 + r) * d), `rows [${r0}, ${r0 + r})`);
    }
    const subset = Uint32Array.from([2, 3, 17, 31, 49]);
    const sub = w.allocF32(rows * subset.length);
    gaussColsKernel(w, key, 0, rows, { ptr: w.put(subset), n: subset.length }, sub, subset.length);
    const S = w.copyF32(sub, rows * subset.length);
    for (let t = 0; t < rows; t++) {
      for (let j = 0; j < subset.length; j++) {
        if (S[t * subset.length + j] !== X[t * d + subset[j]!])
          assert.unreachable(`subset differs at row ${t}, coordinate ${subset[j]}`);
      }
    }
  });
});

test('accuracy: |z - z_exact| <= 2^-21 max(1, |z|) against float64 Box-Muller on the same u1, k, g', async () => {
  const w = await wasm();
  const key = streamKey(77, 'test');
  const rows = 1024,
    chunks = 256; // 2^20 normals: 4 lanes x 256 chunks x 1024 rows
  w.scoped(() => {
    const z = w.allocF32(rows * chunks * 4);
    gaussColsKernel(w, key, 0, rows * chunks, { base: 0, n: 4 }, z, 4);
    const Z = w.copyF32(z, rows * chunks * 4);
    const raw = w.allocI32(rows * 4);
    let worst = 0,
      worstAt = -1;
    for (let c = 0; c < chunks; c++) {
      w.exports.xoshiro_raw(key.lo, key.hi, c, 0, 1, 2, 3, rows, raw);
      const R = w.copyU32(raw, rows * 4);
      for (let t = 0; t < rows; t += 2) {
        for (let l = 0; l < 4; l++) {
          const { u1, k, g } = boxMullerInputs(R[4 * t + l]!, R[4 * (t + 1) + l]!);
          const rad = Math.sqrt(-2 * Math.log(u1)),
            angle = ((k + g) * Math.PI) / 2;
          const exact = [rad * Math.cos(angle), rad * Math.sin(angle)];
          for (let k = 0; k < 2; k++) {
            const got = Z[(c * rows + t + k) * 4 + l]!;
            const err = Math.abs(got - exact[k]!) / Math.max(1, Math.abs(exact[k]!));
            if (err > worst) {
              worst = err;
              worstAt = got;
            }
          }
        }
      }
    }
    assert.ok(
      worst <= 2 ** -21,
      `worst scaled error ${worst.toExponential(3)} (2^-21 = ${(2 ** -21).toExponential(3)}) at z=${worstAt}`,
    );
  });
});

test('u1 takes 39 bits: the radius reaches 7.44 sigma, and u1 = 1 gives 0', () => {
  const { u1 } = boxMullerInputs(0, 0);
  assert.is(u1, 2 ** -40);
  const [a] = boxMullerBits(0, 0); // k = 0, g = -1/2: the angle is -pi/4
  const radius = Math.sqrt(80 * Math.LN2);
  assert.ok(Math.abs(a - radius * Math.SQRT1_2) < 1e-5 * radius, `z = ${a}, want ${radius * Math.SQRT1_2}`);
  // the top of r1 rounds up to u1 = 1 (probability 2^-25): radius 0, never NaN
  assert.is(boxMullerInputs(0xffffffff, 0xff).u1, 1);
  for (const z of boxMullerBits(0xffffffff, 0xff)) assert.is(Math.abs(z), 0);
  // every angle bit pattern gives a point on the unit circle (to f32 accuracy) at radius 1
  const r1 = Math.round(Math.exp(-0.5) * 2 ** 31) * 2; // u1 ~ e^-1/2: radius ~ 1
  for (const r2 of [0, 0x3fffff00, 0x40000000, 0x80000000, 0xc0000000, 0xffffffff, 0x12345678]) {
    const [c, s] = boxMullerBits(r1, r2);
    assert.ok(Math.abs(Math.hypot(c, s) - 1) < 1e-5, `r2 = ${r2.toString(16)}: |z| = ${Math.hypot(c, s)}`);
  }
});

test('tails: P(|z| > 4) within 5 standard errors (n = 10^7), and no |z| beyond 7.44', async () => {
  const w = await wasm();
  const n = 10_000_000;
  w.scoped(() => {
    const p = w.allocF32(n);
    gaussFillKernel(w, streamKey(7, 'sample'), n, p);
    const z = w.f32.subarray(p >>> 2, (p >>> 2) + n);
    let tail = 0,
      max = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(z[i]!);
      if (a > 4) tail++;
      if (a > max) max = a;
    }
    const pTail = 6.334248366623996e-5;
    assert.ok(Math.abs(tail / n - pTail) < 5 * Math.sqrt(pTail / n), `P(|z| > 4) = ${tail / n}, want ${pTail}`);
    // (the maximum of 10^7 normals exceeds 5.77, the old cut, only with probability 7.6%, so that
    // is shown on chosen bits above rather than asserted here)
    assert.ok(max < Math.sqrt(80 * Math.LN2) + 1e-5, `max |z| = ${max}`);
  });
});

test('moments up to the 4th within 5 standard errors (n = 10^7)', async () => {
  const w = await wasm();
  const n = 10_000_000;
  w.scoped(() => {
    const p = w.allocF32(n);
    gaussFillKernel(w, streamKey(2024, 'sample'), n, p);
    const z = w.f32.subarray(p >>> 2, (p >>> 2) + n);
    let m1 = 0,
      m2 = 0,
      m3 = 0,
      m4 = 0,
      tail = 0;
    for (let i = 0; i < n; i++) {
      const x = z[i]!,
        x2 = x * x;
      m1 += x;
      m2 += x2;
      m3 += x2 * x;
      m4 += x2 * x2;
      if (x > 3 || x < -3) tail++;
    }
    m1 /= n;
    m2 /= n;
    m3 /= n;
    m4 /= n;
    // sd of x^k for N(0,1): sqrt(E x^2k - (E x^k)^2) = 1, sqrt(3-1), sqrt(15), sqrt(105-9)
    const se = (v: number) => 5 * Math.sqrt(v / n);
    assert.ok(Math.abs(m1) < se(1), `mean ${m1}`);
    assert.ok(Math.abs(m2 - 1) < se(2), `E z^2 = ${m2}`);
    assert.ok(Math.abs(m3) < se(15), `E z^3 = ${m3}`);
    assert.ok(Math.abs(m4 - 3) < se(96), `E z^4 = ${m4}`);
    const pTail = 0.0026997960632601866;
    assert.ok(Math.abs(tail / n - pTail) < 5 * Math.sqrt((pTail * (1 - pTail)) / n), `P(|z| > 3) = ${tail / n}`);
  });
});

test.run();
