import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { streamKey } from '../src/trial/streams.js';
import { keyToBigInt } from '../src/core/hash.js';
import * as ref from '../src/reference/teacher.js';
import { hermiteF64 } from '../src/reference/hermite.js';
import {
  teacherSupport,
  teacherVFlat,
  teacherVGaussian,
  lqSum,
  lqGamma,
  lqFill,
  lqTarget,
  teacherProject,
  teacherLink,
} from '../src/kernels/teacher.js';
import { makeTeacher, sampleRows, LABEL_BLOCK_BYTES } from '../src/trial/teacher.js';
import { parseLink } from '../src/trial/link.js';
import { ConfigError } from '../src/core/errors.js';
import { approxEqual, sameBits } from './helpers/approx.js';
import { wasm } from './helpers/wasm.js';

const key = streamKey(2024, 'teacher');
const K = keyToBigInt(key);

function gram(V: Float32Array, rows: number, r: number): number[][] {
  const G = Array.from({ length: r }, () => new Array<number>(r).fill(0));
  for (let i = 0; i < rows; i++)
    for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) G[a]![b]! += V[i * r + a]! * V[i * r + b]!;
  return G;
}
function assertOrthonormal(V: Float32Array, rows: number, r: number, tol: number, what: string): void {
  const G = gram(V, rows, r);
  for (let a = 0; a < r; a++)
    for (let b = 0; b < r; b++) approxEqual(G[a]![b]!, a === b ? 1 : 0, { abs: tol }, `${what}: (V^T V)[${a}][${b}]`);
}

test('support: Knuth S matches the twin exactly; sorted, distinct, in range', async () => {
  const w = await wasm();
  for (const [d, s] of [
    [1, 1],
    [7, 3],
    [33, 33],
    [33, 1],
    [1000, 9],
    [100000, 316],
  ] as const) {
    w.scoped(() => {
      const p = w.allocI32(s);
      teacherSupport(w, key, d, s, p);
      const got = w.copyI32(p, s);
      assert.equal(Array.from(got), Array.from(ref.support(K, d, s)), `d=${d} s=${s}`);
      for (let i = 0; i < s; i++)
        assert.ok(
          got[i]! >= 0 && got[i]! < d && (i === 0 || got[i]! > got[i - 1]!),
          `d=${d} s=${s}: entry ${i} = ${got[i]}`,
        );
    });
  }
});

test('support: every coordinate is included with probability s/d (5 standard errors over 20000 seeds)', async () => {
  const w = await wasm();
  const d = 10,
    s = 3,
    N = 20000;
  const count = new Array<number>(d).fill(0);
  w.scoped(() => {
    const p = w.allocI32(s);
    for (let seed = 0; seed < N; seed++) {
      teacherSupport(w, streamKey(seed, 'teacher'), d, s, p);
      for (const c of w.copyI32(p, s)) count[c]!++;
    }
  });
  const pr = s / d;
  for (let c = 0; c < d; c++)
    approxEqual(count[c]! / N, pr, { abs: 5 * Math.sqrt((pr * (1 - pr)) / N) }, `P(${c} in support)`);
});

test('below(n) is exactly uniform: the twin agrees with the kernel on small n via the support of d = s + 1', async () => {
  // with s = d - 1 exactly one coordinate is left out; over seeds each is left out w.p. 1/d
  const w = await wasm();
  const d = 7,
    N = 14000;
  const out = new Array<number>(d).fill(0);
  w.scoped(() => {
    const p = w.allocI32(d - 1);
    for (let seed = 0; seed < N; seed++) {
      const k = streamKey(seed, 'teacher');
      teacherSupport(w, k, d, d - 1, p);
      const got = w.copyI32(p, d - 1);
      if (seed < 200) assert.equal(Array.from(got), Array.from(ref.support(keyToBigInt(k), d, d - 1)));
      let missing = 0;
      while (missing < d - 1 && got[missing] === missing) missing++;
      out[missing]!++;
    }
  });
  for (let c = 0; c < d; c++)
    approxEqual(out[c]! / N, 1 / d, { abs: 5 * Math.sqrt(((1 / d) * (1 - 1 / d)) / N) }, `P(${c} left out)`);
});

test('flat V: twin bit for bit, orthonormal, one nonzero per row, +-1/sqrt(s_l) with group sizes within 1', async () => {
  const w = await wasm();
  for (const s of [1, 3, 7, 33]) {
    for (const r of [1, 2, 3, 16]) {
      if (r > s) continue;
      w.scoped(() => {
        const vp = w.allocF32(s * r);
        teacherVFlat(w, key, s, r, vp, w.allocI32(s));
        const V = w.copyF32(vp, s * r);
        sameBits(V, ref.vFlat(K, s, r), `s=${s} r=${r}`);
        assertOrthonormal(V, s, r, 1e-6, `s=${s} r=${r}`);
        const sizes = new Array<number>(r).fill(0);
        for (let i = 0; i < s; i++) {
          const nz = [...V.subarray(i * r, (i + 1) * r)].map((v, l) => [v, l] as const).filter(([v]) => v !== 0);
          assert.is(nz.length, 1, `s=${s} r=${r}: row ${i} has ${nz.length} nonzeros`);
          sizes[nz[0]![1]]!++;
        }
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `group sizes ${sizes}`);
        for (let i = 0; i < s; i++)
          for (let l = 0; l < r; l++) {
            const v = V[i * r + l]!;
            if (v !== 0) assert.is(Math.abs(v), Math.fround(1 / Math.sqrt(sizes[l]!)));
          }
      });
    }
  }
});

test('flat V signs are balanced (5 standard errors)', async () => {
  const w = await wasm();
  const s = 20000;
  w.scoped(() => {
    const vp = w.allocF32(s);
    teacherVFlat(w, key, s, 1, vp, w.allocI32(s));
    let pos = 0;
    for (const v of w.copyF32(vp, s)) if (v > 0) pos++;
    approxEqual(pos / s, 0.5, { abs: (5 * 0.5) / Math.sqrt(s) }, 'fraction of + signs');
  });
});

test('gaussian V: twin bit for bit (f64 Gram-Schmidt replayed), orthonormal columns', async () => {
  const w = await wasm();
  for (const [s, r] of [
    [1, 1],
    [3, 1],
    [3, 3],
    [7, 2],
    [33, 5],
    [200, 16],
  ] as const) {
    w.scoped(() => {
      const supp = Uint32Array.from({ length: s }, (_, i) => i * 3 + 1);
      const vp = w.allocF32(s * r);
      teacherVGaussian(w, key, w.put(supp), s, r, vp, w.allocF64(s * r));
      const V = w.copyF32(vp, s * r);
      sameBits(V, ref.vGaussian(K, supp, r), `s=${s} r=${r}`);
      assertOrthonormal(V, s, r, 1e-6, `s=${s} r=${r}`);
    });
  }
});

test('lq: the sum kernel matches the host-Math oracle; gamma solves the target; V matches and is unit-norm', async () => {
  const w = await wasm();
  for (const [d, r, q, alpha] of [
    [1, 1, 0.5, 1],
    [7, 1, 0.5, 0.5],
    [33, 3, 1, 0.6],
    [1000, 1, 0.5, 0.25],
    [4096, 4, 1.5, 0.5],
    [1000, 2, 0.2, 0.3],
  ] as const) {
    for (const g of [0, 0.3, 1.7])
      approxEqual(lqSum(w, d, r, q, g), ref.lqSum(d, r, q, g), { rel: 1e-12 }, `lqSum d=${d} r=${r} q=${q} gamma=${g}`);
    const target = lqTarget(w, d, alpha * (1 - q / 2), r, q);
    approxEqual(target, r ** (q / 2) * d ** (alpha * (1 - q / 2)), { rel: 1e-14 }, 'target');
    const flat = lqSum(w, d, r, q, 0);
    if (target > flat) continue; // the d = 1 and alpha = 1 edge cases are tested through makeTeacher
    const gamma = lqGamma(w, d, r, q, target);
    assert.ok(gamma >= 0, `gamma ${gamma}`);
    approxEqual(lqSum(w, d, r, q, gamma), target, { rel: 1e-10 }, `sum at gamma, d=${d} r=${r}`);
    w.scoped(() => {
      const vp = w.allocF32(d * r),
        pp = w.allocI32(d);
      lqFill(w, key, d, r, q, gamma, vp, pp);
      const V = w.copyF32(vp, d * r),
        perm = w.copyI32(pp, d);
      const o = ref.lqFill(K, d, r, gamma);
      assert.equal(Array.from(perm), Array.from(o.perm), 'rank permutation');
      for (let i = 0; i < d * r; i++) approxEqual(V[i]!, o.V[i]!, { rel: 2 ** -22, abs: 1e-37 }, `V[${i}]`);
      assertOrthonormal(V, d, r, 1e-6, `lq d=${d} r=${r}`);
      // sum_i ||V_i||^q from the stored f32 V: f32 rounding moves each |v| by 2^-24 relative
      let sum = 0;
      for (let i = 0; i < d; i++) {
        let n2 = 0;
        for (let l = 0; l < r; l++) n2 += V[i * r + l]! ** 2;
        sum += n2 ** (q / 2);
      }
      approxEqual(sum, target, { rel: 1e-6 }, `sum ||V_i||^q of the f32 V (d=${d} r=${r})`);
      // magnitudes fall with rank; each row has one nonzero
      const mag = (rank: number) => {
        const c = perm[rank]!;
        let m = 0;
        for (let l = 0; l < r; l++) m = Math.max(m, Math.abs(V[c * r + l]!));
        return m;
      };
      for (let i = r; i < d; i++) assert.ok(mag(i) <= mag(i - r), `rank ${i} vs ${i - r}`);
    });
  }
});

test('project: twin bit for bit, with and without column positions; blocks give the bytes of one call', async () => {
  const w = await wasm();
  const rows = 37,
    ld = 11,
    nnz = 5;
  const X = Float32Array.from({ length: rows * ld }, (_, i) => Math.fround(Math.sin(i * 1.7) * 2));
  for (const r of [1, 3]) {
    const V = Float32Array.from({ length: nnz * r }, (_, i) => (i % 4 === 1 ? 0 : Math.fround(Math.cos(i) / 3)));
    const pos = Int32Array.of(0, 2, 3, 7, 10);
    w.scoped(() => {
      const xp = w.put(X),
        vp = w.put(V);
      const z = w.allocF64(rows * r);
      w.f64.fill(0, z >>> 3, (z >>> 3) + rows * r);
      teacherProject(w, xp, ld, w.put(pos), nnz, vp, r, rows, z);
      const want = new Float64Array(rows * r);
      ref.project(X, ld, pos, nnz, V, r, rows, want);
      sameBits(w.copyF64(z, rows * r), want, `r=${r} with positions`);
      // in two blocks of V's rows: the same bytes
      const z2 = w.allocF64(rows * r);
      w.f64.fill(0, z2 >>> 3, (z2 >>> 3) + rows * r);
      teacherProject(w, xp, ld, w.put(pos.subarray(0, 2)), 2, vp, r, rows, z2);
      teacherProject(w, xp, ld, w.put(pos.subarray(2)), 3, vp + 2 * r * 4, r, rows, z2);
      sameBits(w.copyF64(z2, rows * r), want, `r=${r} in blocks`);
      const z3 = w.allocF64(rows * r);
      w.f64.fill(0, z3 >>> 3, (z3 >>> 3) + rows * r);
      teacherProject(w, xp, ld, 0, nnz, vp, r, rows, z3);
      const want3 = new Float64Array(rows * r);
      ref.project(X, ld, null, nnz, V, r, rows, want3);
      sameBits(w.copyF64(z3, rows * r), want3, `r=${r} identity positions`);
    });
  }
  const w2 = await wasm();
  assert.throws(
    () =>
      w2.scoped(() =>
        teacherProject(w2, w2.allocF32(4), 2, w2.put(Int32Array.of(2)), 1, w2.allocF32(1), 1, 1, w2.allocF64(1)),
      ),
    /colPos\[0\] = 2 is outside \[0, 2\)/,
  );
});

test('link: twin bit for bit for single- and multi-index terms, with and without noise', async () => {
  const w = await wasm();
  const rows = 101;
  for (const [spec, r] of [
    ['he2', 1],
    ['0.8*he2+0.6*he4', 1],
    ['he1+he3+he12', 1],
    ['sum-he2', 3],
    ['prod2+0.5*he3(z2)', 2],
    ['he1(z1)*he2(z2)*he3(z3)', 3],
  ] as const) {
    const link = parseLink(spec, r);
    const z = Float64Array.from({ length: rows * r }, (_, i) => Math.sin(i * 0.37) * 3);
    const noise = Float32Array.from({ length: rows }, (_, i) => Math.fround(Math.cos(i)));
    for (const withNoise of [true, false]) {
      w.scoped(() => {
        const y = w.allocF32(rows);
        teacherLink(
          w,
          w.put(z),
          r,
          rows,
          w.put(Float64Array.from(link.terms, (t) => t.coef)),
          w.put(Int32Array.from(link.terms.flatMap((t) => t.degrees))),
          link.terms.length,
          0.3,
          withNoise ? w.put(noise) : 0,
          y,
        );
        sameBits(
          w.copyF32(y, rows),
          ref.link(z, r, rows, link.terms, 0.3, withNoise ? noise : null),
          `${spec} noise=${withNoise}`,
        );
      });
    }
  }
});

test('makeTeacher: |support| = s, unit and orthonormal columns, rows and dense V agree', async () => {
  const w = await wasm();
  for (const cfg of [
    { d: 1024, alpha: 0.25, link: 'he2' },
    { d: 1000, s: 10, r: 3, link: 'sum-he2' },
    { d: 500, s: 12, r: 4, entries: 'gaussian', link: 'prod4' },
    { d: 3000, alpha: 0.4, sparsity: 'lq', link: 'he3' },
    { d: 2000, alpha: 0.5, r: 2, sparsity: 'lq', q: 1, link: 'he2(z1)+he2(z2)' },
    { d: 64, alpha: 1, r: 3, sparsity: 'lq', link: 'sum-he2' },
  ]) {
    const t = makeTeacher(w, cfg);
    const what = JSON.stringify(cfg);
    assert.is(t.support.length, t.s, what);
    for (let i = 1; i < t.s; i++) assert.ok(t.support[i]! > t.support[i - 1]!, `${what}: support sorted`);
    assertOrthonormal(t.V, t.d, t.r, 1e-5, what);
    for (let i = 0; i < t.rows.length; i++) {
      for (let l = 0; l < t.r; l++)
        assert.is(t.V[t.rows[i]! * t.r + l], t.Vrows[i * t.r + l], `${what}: V row ${t.rows[i]}`);
    }
    let nonzero = 0;
    for (let c = 0; c < t.d; c++) if (t.V.subarray(c * t.r, (c + 1) * t.r).some((v) => v !== 0)) nonzero++;
    if (t.sparsity === 'exact') {
      assert.equal(Array.from(t.rows), Array.from(t.support), `${what}: rows = support`);
      assert.is(nonzero, t.s, `${what}: exactly s nonzero rows`);
    } else {
      assert.is(t.rows.length, t.d);
      // the support is the s rows of largest norm
      const norms = Array.from({ length: t.d }, (_, c) => Math.hypot(...t.V.subarray(c * t.r, (c + 1) * t.r)));
      const inSupp = new Set(t.support);
      const minIn = Math.min(...[...inSupp].map((c) => norms[c]!));
      const maxOut = Math.max(0, ...norms.filter((_, c) => !inSupp.has(c)));
      assert.ok(minIn >= maxOut, `${what}: support rows ${minIn} vs others ${maxOut}`);
      let sum = 0;
      for (const n of norms) sum += n ** t.config.q;
      approxEqual(sum, t.lqSum!, { rel: 1e-6 }, `${what}: sum ||V_i||^q`);
      if (t.gamma! > 0) approxEqual(t.lqSum!, t.lqTarget!, { rel: 1e-9 }, `${what}: target reached`);
      else assert.ok(t.lqTarget! >= t.lqSum!, `${what}: gamma = 0 only when the target is at or above the flat value`);
    }
  }
});

test('makeTeacher: lq targets the family cannot reach are a ConfigError naming alpha or s', async () => {
  const w = await wasm();
  // alpha = 1 with r not dividing d: the target sits a little above the flat value, which is taken
  const t = makeTeacher(w, { d: 10, alpha: 1, r: 3, sparsity: 'lq', link: 'sum-he2' });
  assert.is(t.gamma, 0);
  assert.ok(t.lqTarget! > t.lqSum!, `target ${t.lqTarget} vs flat ${t.lqSum}`);
  try {
    makeTeacher(w, { d: 100, s: 4, r: 4, sparsity: 'lq', q: 1, link: 'sum-he2' });
    assert.unreachable('no error');
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.is((e as ConfigError).field, 's');
    assert.match((e as Error).message, /must exceed r \(one row per direction\)/);
  }
});

// Moments of y from sampleRows against the normalised link: E[y^2] = 1 + tau^2, and
// E[y h_k(<v, x>)] = c_k for single-index links (Hermite orthonormality), 5 standard errors.
test('labels: E[y^2] and E[y h_k(z)] match the normalised link coefficients', async () => {
  const w = await wasm();
  const n = 200_000;
  for (const [cfg, coefOf] of [
    [{ d: 50, s: 5, link: '0.8*he2+0.6*he4', noise: 0.5 }, [0, 0, 0.8, 0, 0.6]],
    [{ d: 40, s: 8, link: 'he1+he3', noise: 0 }, [0, Math.SQRT1_2, 0, Math.SQRT1_2, 0]],
    [{ d: 300, alpha: 0.5, sparsity: 'lq', link: 'he2', noise: 0.1 }, [0, 0, 1, 0, 0]],
  ] as const) {
    const t = makeTeacher(w, cfg);
    const what = JSON.stringify(cfg);
    w.scoped(() => {
      const x = w.allocF32(n * t.d),
        y = w.allocF32(n);
      sampleRows(w, t, streamKey(99, 'test'), 0, n, { base: 0, n: t.d }, x, t.d, y);
      const X = w.copyF32(x, n * t.d),
        Y = w.copyF32(y, n);
      const v = t.V;
      const mom = (f: (t: number, z: number) => number) => {
        let s = 0,
          s2 = 0;
        for (let i = 0; i < n; i++) {
          let z = 0;
          for (let c = 0; c < t.d; c++) z += v[c]! * X[i * t.d + c]!;
          const p = f(i, z);
          s += p;
          s2 += p * p;
        }
        return [s / n, Math.sqrt(s2 / n - (s / n) ** 2) / Math.sqrt(n)] as const;
      };
      const [m2, se2] = mom((i) => Y[i]! ** 2);
      approxEqual(m2, 1 + cfg.noise ** 2, { abs: 5 * se2 }, `${what}: E[y^2]`);
      for (let k = 1; k <= 4; k++) {
        const [m, se] = mom((i, z) => Y[i]! * hermiteF64(z, k)[k]!);
        approxEqual(m, coefOf[k]!, { abs: 5 * se }, `${what}: E[y h_${k}(z)]`);
      }
    });
  }
});

test('sampleRows: y is the same bytes whether V-row columns come from X or are generated (any block size)', async () => {
  const w = await wasm();
  const t = makeTeacher(w, { d: 700, alpha: 0.6, sparsity: 'lq', r: 2, link: 'he2(z1)*he1(z2)+he3(z2)' });
  const key = streamKey(4, 'stage2');
  const rows = 1500;
  w.scoped(() => {
    const x = w.allocF32(rows * t.d),
      yFull = w.allocF32(rows),
      yNone = w.allocF32(rows),
      ySub = w.allocF32(rows);
    sampleRows(w, t, key, 0, rows, { base: 0, n: t.d }, x, t.d, yFull);
    sampleRows(w, t, key, 0, rows, null, 0, 0, yNone);
    const sub = w.allocF32(rows * 3);
    sampleRows(w, t, key, 0, rows, { ptr: w.put(Uint32Array.of(1, 5, 600)), n: 3 }, sub, 3, ySub);
    sameBits(w.copyF32(yNone, rows), w.copyF32(yFull, rows), 'no X vs full X');
    sameBits(w.copyF32(ySub, rows), w.copyF32(yFull, rows), 'subset X vs full X');
    const yBlocks = w.allocF32(rows);
    sampleRows(w, t, key, 0, rows, null, 0, 0, yBlocks, rows * 4 * 7); // blocks of 7 columns
    sameBits(w.copyF32(yBlocks, rows), w.copyF32(yFull, rows), 'generated in blocks of 7 columns');
    assert.ok(
      LABEL_BLOCK_BYTES >= rows * 4 * t.d,
      'the default block holds this whole case, so the 7-column run is a different path',
    );
    // chunk-aligned row splits
    const y2 = w.allocF32(rows);
    sampleRows(w, t, key, 0, 1024, null, 0, 0, y2);
    sampleRows(w, t, key, 1024, rows - 1024, null, 0, 0, y2 + 1024 * 4);
    sameBits(w.copyF32(y2, rows), w.copyF32(yFull, rows), 'split at 1024');
  });
});

test.run();
