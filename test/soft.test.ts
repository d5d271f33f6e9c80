// The soft sparsity family (DESIGN §2.1, issue 21): a plateau and a power-law tail,
// v_i ∝ min(1, (i/(c s))^-gamma), c solved so that sum_i ||V_i||^q meets the l_q budget.
//
// Nothing here is random in the statistical sense: a profile is a deterministic function of
// (d, s, r, q, gamma), so there are no false alarms and every tolerance is a floating-point bound,
// stated where it is used. The table of DESIGN's numbers is checked where they hold and the
// deviations are pinned with their measured values (see the comment above that test).
import { test } from 'uvu';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { streamKey } from '../src/trial/streams.js';
import { keyToBigInt } from '../src/core/hash.js';
import * as ref from '../src/reference/teacher.js';
import { lqFill, teacherPlaceRanks } from '../src/kernels/teacher.js';
import { makeTeacher, participationRatio, type Teacher } from '../src/trial/teacher.js';
import { softProfile, softTarget, type SoftProfile } from '../src/trial/soft-profile.js';
import { validateConfig } from '../src/trial/config.js';
import { createLab } from '../src/trial/lab.js';
import { trialInputOf } from '../src/trial/record.js';
import { trialId } from '../src/trial/prepare.js';
import { checkRecord } from '../src/experiment/results.js';
import { ConfigError } from '../src/core/errors.js';
import { approxEqual, sameBits } from './helpers/approx.js';
import { wasm } from './helpers/wasm.js';

const key = streamKey(2024, 'teacher');
const K = keyToBigInt(key);
const U = 2 ** -53; // unit roundoff of a double

function profileOf(d: number, s: number, alpha: number | undefined, r: number, q: number, gamma: number): SoftProfile {
  const p = softProfile(d, s, r, q, gamma, softTarget(d, s, alpha, r, q), true);
  if (!('solution' in p)) throw new Error(`unreachable budget at d=${d}`);
  return p;
}

/** Share of ||v||^2 outside the s largest entries, from magnitudes sorted non-increasing (r = 1). */
function outsideTopS(mags: Float32Array, s: number): number {
  let all = 0,
    top = 0;
  for (let i = 0; i < mags.length; i++) {
    all += mags[i]! * mags[i]!;
    if (i < s) top += mags[i]! * mags[i]!;
  }
  return (all - top) / all;
}

test('placeRanks: twin bit for bit on odd and round sizes (zeros and subnormals included)', async () => {
  const w = await wasm();
  for (const d of [1, 3, 7, 33, 1000, 4096]) {
    for (const r of [1, 2, 3, 16]) {
      if (r > d) continue;
      const mags = Float32Array.from({ length: d }, (_, i) =>
        i % 11 === 5 ? 0 : i % 13 === 7 ? 1e-40 : Math.fround(1 / Math.sqrt(i + 1)),
      );
      w.scoped(() => {
        const vp = w.allocF32(d * r),
          pp = w.allocI32(d);
        teacherPlaceRanks(w, key, d, r, w.put(mags), vp, pp);
        const o = ref.placeRanks(K, d, r, mags);
        sameBits(w.copyF32(vp, d * r), o.V, `V d=${d} r=${r}`);
        assert.equal(Array.from(w.copyI32(pp, d)), Array.from(o.perm), `perm d=${d} r=${r}`);
      });
    }
  }
});

test('placeRanks: |V| are the given magnitudes exactly, with lqFill permutation and signs', async () => {
  const w = await wasm();
  const d = 333,
    r = 2;
  const mags = Float32Array.from({ length: d }, (_, i) => Math.fround(1 + i / 7));
  w.scoped(() => {
    const vp = w.allocF32(d * r),
      pp = w.allocI32(d);
    teacherPlaceRanks(w, key, d, r, w.put(mags), vp, pp);
    const V = w.copyF32(vp, d * r),
      perm = w.copyI32(pp, d);
    const lp = w.allocF32(d * r),
      lperm = w.allocI32(d);
    lqFill(w, key, d, r, 0.5, 1.3, lp, lperm);
    const L = w.copyF32(lp, d * r);
    assert.equal(Array.from(perm), Array.from(w.copyI32(lperm, d)), 'the permutation of lqFill');
    for (let i = 0; i < d; i++) {
      const at = perm[i]! * r + (i % r);
      assert.is(Math.abs(V[at]!), mags[i], `|V| at rank ${i + 1}`);
      assert.is(Math.sign(V[at]!), Math.sign(L[at]!), `sign at rank ${i + 1}`);
    }
  });
});

// An independent solve with host Math: bisection on x over [1, d] with the profile summed
// directly (no factorisation), to relative 1e-14. Both solves find x to ~1e-13 (the sums agree to
// d ulp, under 1e-11 here, and dlnL/dlnx is above 0.1 in these cases), so x is asked to agree to
// 1e-9. PR is compared with the oracle's f64 profile: f32 storage moves each |v|^2 by at most
// 2^-23 relative, so PR by at most 2^-21 ≈ 4.8e-7; the bound asked is 1e-6.
function oracle(d: number, r: number, q: number, gamma: number, target: number): { x: number; pr: number } {
  const profile = (x: number) => {
    const u = new Float64Array(d);
    const a2 = new Float64Array(r);
    for (let i = 1; i <= d; i++) {
      u[i - 1] = i <= x ? 1 : (x / i) ** gamma;
      a2[(i - 1) % r] = a2[(i - 1) % r]! + u[i - 1]! ** 2;
    }
    for (let i = 1; i <= d; i++) u[i - 1] = u[i - 1]! / Math.sqrt(a2[(i - 1) % r]!);
    return u;
  };
  const L = (x: number) => profile(x).reduce((acc, v) => acc + v ** q, 0);
  let lo = 1,
    hi = d;
  while (hi - lo > 1e-14 * hi) {
    const mid = (lo + hi) / 2;
    if (L(mid) <= target) lo = mid;
    else hi = mid;
  }
  const v = profile(lo);
  let t2 = 0,
    t4 = 0;
  for (const a of v) {
    t2 += a * a;
    t4 += a ** 4;
  }
  return { x: lo, pr: (t2 * t2) / t4 };
}

const CASES = [
  { d: 256, s: 4, alpha: 0.25, r: 1, q: 0.5, gamma: 3 },
  { d: 1024, s: 6, alpha: 0.25, r: 1, q: 1, gamma: 1.5 },
  { d: 4097, s: 8, alpha: 0.25, r: 1, q: 0.5, gamma: 3 },
  { d: 5000, s: 12, alpha: undefined, r: 1, q: 0.7, gamma: 4 },
  { d: 2000, s: 45, alpha: 0.5, r: 3, q: 1, gamma: 2 },
  { d: 333, s: 7, alpha: undefined, r: 2, q: 1.5, gamma: 3 },
  { d: 65536, s: 16, alpha: 0.25, r: 1, q: 0.5, gamma: 3 },
] as const;

test('softProfile agrees with a direct host-Math solve: x to 1e-9, PR to 1e-6', () => {
  for (const c of CASES) {
    if (c.alpha !== undefined) assert.is(Math.round(c.d ** c.alpha), c.s, 'the case lists s = round(d^alpha)');
    const target = softTarget(c.d, c.s, c.alpha, c.r, c.q);
    const { solution } = profileOf(c.d, c.s, c.alpha, c.r, c.q, c.gamma);
    const o = oracle(c.d, c.r, c.q, c.gamma, target);
    const what = JSON.stringify(c);
    approxEqual(solution.x, o.x, { rel: 1e-9 }, `${what}: x`);
    approxEqual(solution.c, o.x / c.s, { rel: 1e-9 }, `${what}: c`);
    approxEqual(solution.participationRatio, o.pr, { rel: 1e-6 }, `${what}: PR`);
  }
});

// The f64 profile's sum: the bisection leaves x within 2^-46 relative (a budget error of ~1e-13),
// and the reported sum adds d terms in another order than the solve, which moves it by at most
// d·u relative. The stored f32 V: each |v| moves by at most 2^-24 relative, so |v|^q by q·2^-24.
test('the l_q budget is met with equality: f64 profile to 1e-13 + d·u, the stored f32 V to q·2^-24', async () => {
  const w = await wasm();
  for (const c of CASES) {
    const target = softTarget(c.d, c.s, c.alpha, c.r, c.q);
    const { solution } = profileOf(c.d, c.s, c.alpha, c.r, c.q, c.gamma);
    const what = JSON.stringify(c);
    approxEqual(solution.sum, target, { rel: 1e-13 + c.d * U }, `${what}: f64 sum`);
    const t = makeTeacher(w, {
      d: c.d,
      ...(c.alpha === undefined ? { s: c.s } : { alpha: c.alpha }),
      r: c.r,
      sparsity: 'soft',
      q: c.q,
      gamma: c.gamma,
      link: c.r === 1 ? 'he2' : 'sum-he2',
    });
    let sum = 0;
    for (let i = 0; i < c.d; i++) {
      let n2 = 0;
      for (let l = 0; l < c.r; l++) n2 += t.V[i * c.r + l]! ** 2;
      sum += n2 ** (c.q / 2);
    }
    approxEqual(sum, target, { rel: c.q * 2 ** -24 + 1e-13 + 2 * c.d * U }, `${what}: sum of the f32 V`);
    assert.is(t.lqTarget, target, `${what}: teacher target`);
    assert.is(t.lqSum, solution.sum, `${what}: teacher sum`);
    assert.is(t.participationRatio, solution.participationRatio, `${what}: teacher PR`);
    assert.is(t.plateauScale, solution.c, `${what}: teacher c`);
    assert.is(t.gamma, c.gamma);
  }
});

// DESIGN §2.1 says: at q = 1/2, gamma = 3, PR = 0.27–0.31·s from d = 256 to 2^20; at q = 1,
// gamma = 1.5, PR = 0.25–0.36·s with 1–2% of ||v||^2 outside the s largest coordinates
// (alpha = 1/4, s = round(d^alpha)). Measured here (build of this commit, exact in every engine):
//   q = 1/2, gamma = 3:  d = 256 .. 2^20 in powers of 4: PR/s = 0.271 0.230 0.287 0.308 0.303 0.304 0.313,
//                        outside the top s: 0.015–0.024%. DESIGN's range holds where s = d^(1/4) is an
//                        integer (d = 16^k: 0.271, 0.287, 0.303, 0.313 -> 0.27–0.31 to two digits);
//                        where round() moves s up (d = 1024: d^(1/4) = 5.66, s = 6) PR/s falls to 0.230.
//   q = 1, gamma = 1.5:  no profile exists below d = 861 (the tail alone spends more than the budget;
//                        d = 256 needs gamma > 1.635), so the range starts at d = 1024:
//                        PR/s = 0.244 0.250 0.287 0.286 0.289 0.298, outside the top s: 0.95–1.11%.
//                        Not DESIGN's 0.25–0.36: the upper end 0.36 is not reached at any d, and
//                        d = 1024 sits just below 0.25.
// What the family is for holds in both: PR/s stays within [0.22, 0.32] while s grows 8-fold
// (5-fold), so PR grows like d^alpha. These bounds can fail: the lq family gives PR/s = 0.27 at
// d = 256 but 0.07 at 65536 (its PR stays near 1.07).
test("DESIGN's PR table: PR grows like s = d^alpha (q = 1/2, gamma = 3 and q = 1, gamma = 1.5)", async () => {
  const table: string[] = [];
  const row = (q: number, gamma: number, d: number) => {
    const s = Math.round(d ** 0.25);
    const p = profileOf(d, s, 0.25, 1, q, gamma);
    const ratio = p.solution.participationRatio / s;
    const out = outsideTopS(p.magnitudes!, s);
    table.push(
      `q=${q} gamma=${gamma} d=${d} s=${s} PR=${p.solution.participationRatio.toFixed(4)} PR/s=${ratio.toFixed(4)} outside=${(100 * out).toFixed(3)}% c=${p.solution.c.toFixed(4)}`,
    );
    return { ratio, out };
  };
  for (let d = 256; d <= 2 ** 20; d *= 4) {
    const { ratio, out } = row(0.5, 3, d);
    assert.ok(ratio >= 0.22 && ratio <= 0.32, `q=1/2 d=${d}: PR/s = ${ratio}`);
    if (Number.isInteger(Math.log2(d) / 4))
      assert.ok(ratio >= 0.265 && ratio < 0.315, `q=1/2 d=${d}: PR/s = ${ratio} is not DESIGN's 0.27–0.31`);
    assert.ok(out > 0 && out < 5e-4, `q=1/2 d=${d}: outside ${out}`);
  }
  for (let d = 1024; d <= 2 ** 20; d *= 4) {
    const { ratio, out } = row(1, 1.5, d);
    assert.ok(ratio >= 0.22 && ratio <= 0.32, `q=1 d=${d}: PR/s = ${ratio}`);
    assert.ok(out >= 0.009 && out <= 0.02, `q=1 d=${d}: outside ${(100 * out).toFixed(3)}% is not about 1–2%`);
  }
  if (process.env.PRUNELAB_PRINT_SOFT) console.log(table.join('\n'));
  const unreachable = softProfile(256, 4, 1, 1, 1.5, softTarget(256, 4, 0.25, 1, 1), false);
  assert.ok(!('solution' in unreachable), 'q = 1, gamma = 1.5 has no profile at d = 256');
  // the power of the bounds: the lq family's PR stays near 1, so its PR/s leaves [0.22, 0.32]
  const w = await wasm();
  const lqRatio = (d: number) => {
    const t = makeTeacher(w, { d, alpha: 0.25, sparsity: 'lq', q: 0.5, link: 'he2' });
    return t.participationRatio / t.s;
  };
  assert.ok(lqRatio(65536) < 0.22, `lq at d = 65536: PR/s = ${lqRatio(65536)}`);
});

test('determinism: the same bytes on a rebuild (cached solve), magnitudes independent of the seed', async () => {
  const w = await wasm();
  const cfg = { d: 3001, alpha: 0.4, sparsity: 'soft' as const, q: 0.5, gamma: 2.5, link: 'he2', seed: 5 };
  const first = makeTeacher(w, cfg);
  const again = makeTeacher(w, cfg);
  sameBits(again.V, first.V, 'V on the second build');
  assert.equal(Array.from(again.support), Array.from(first.support));
  const p = profileOf(cfg.d, first.s, cfg.alpha, 1, cfg.q, cfg.gamma);
  const sorted = (t: Teacher) => Float32Array.from(t.V, Math.abs).sort((a, b) => b - a);
  sameBits(sorted(first), p.magnitudes!, '|V| sorted = the profile (r = 1: non-increasing in rank)');
  const other = makeTeacher(w, { ...cfg, seed: 6 });
  sameBits(sorted(other), p.magnitudes!, 'another seed: the same magnitudes');
  assert.ok(
    other.V.some((v, i) => v !== first.V[i]),
    'another seed permutes or signs them differently',
  );
  assert.is(other.participationRatio, first.participationRatio, 'PR is the same number for every seed');
  // r > 1: the same multiset of magnitudes for every seed
  const r3 = { d: 500, s: 30, r: 3, sparsity: 'soft' as const, q: 1, gamma: 2, link: 'sum-he2' };
  sameBits(sorted(makeTeacher(w, { ...r3, seed: 1 })), sorted(makeTeacher(w, { ...r3, seed: 2 })), 'r = 3 seeds');
});

function assertOrthonormal(t: Teacher, tol: number, what: string): void {
  for (let a = 0; a < t.r; a++)
    for (let b = 0; b < t.r; b++) {
      let g = 0;
      for (let i = 0; i < t.d; i++) g += t.V[i * t.r + a]! * t.V[i * t.r + b]!;
      approxEqual(g, a === b ? 1 : 0, { abs: tol }, `${what}: (V^T V)[${a}][${b}]`);
    }
}

test('r > 1: orthonormal columns, one nonzero per row, support = the s largest rows; PR counts rows', async () => {
  const w = await wasm();
  for (const cfg of [
    { d: 2000, alpha: 0.5, r: 3, q: 1, gamma: 2 },
    { d: 4096, alpha: 0.6, r: 16, q: 0.5, gamma: 3 },
    { d: 777, s: 9, r: 2, q: 1.2, gamma: 2.5 },
  ]) {
    const t = makeTeacher(w, { ...cfg, sparsity: 'soft', link: 'sum-he2' });
    const what = JSON.stringify(cfg);
    // each column's squares sum to 1 in f64 up to f32 storage: |sum - 1| <= 2^-23 + d u
    assertOrthonormal(t, 2 ** -23 + t.d * U, what);
    const norms = new Float64Array(t.d);
    for (let i = 0; i < t.d; i++) {
      const row = t.V.subarray(i * t.r, (i + 1) * t.r);
      assert.ok(row.filter((v) => v !== 0).length <= 1, `${what}: row ${i}`);
      norms[i] = Math.hypot(...row);
    }
    const inSupp = new Set(t.support);
    assert.is(inSupp.size, t.s);
    const minIn = Math.min(...[...inSupp].map((c) => norms[c]!));
    const maxOut = Math.max(0, ...Array.from(norms).filter((_, c) => !inSupp.has(c)));
    assert.ok(minIn >= maxOut, `${what}: support rows ${minIn} vs others ${maxOut}`);
    let t4 = 0;
    for (const n of norms) t4 += n ** 4;
    approxEqual(t.participationRatio, (t.r * t.r) / t4, { rel: 1e-6 }, `${what}: PR = r^2 / sum ||V_i||^4`);
  }
  // PR is the effective number of rows: flat V over s rows gives s
  const flat = makeTeacher(w, { d: 1000, s: 10, r: 2, link: 'sum-he2' });
  approxEqual(flat.participationRatio, 10, { rel: 1e-6 }, 'exact flat s = 10, r = 2');
  const full = makeTeacher(w, { d: 60, alpha: 1, r: 3, sparsity: 'soft', link: 'sum-he2' });
  // the budget equals the flat value up to rounding; the flat profile is the maximum of the sum
  // (its slope in x vanishes at x = d), so x is fixed only to about the square root of that: 1e-6
  approxEqual(full.plateauScale!, 1, { rel: 1e-6 }, 'alpha = 1: the plateau is every rank (x = d)');
  approxEqual(full.participationRatio, 60, { rel: 1e-6 }, 'soft at alpha = 1 is flat over all d rows');
});

function configError(fn: () => unknown, field: string, pattern: RegExp, what: string): void {
  try {
    fn();
    assert.unreachable(`${what}: no error`);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    assert.is(e.field, field, `${what}: field (${e.message})`);
    assert.match(e.message, pattern, what);
  }
}

test('ConfigErrors: bad gamma, q, r, entries, and budgets the family cannot meet', async () => {
  const w = await wasm();
  const base = { d: 1024, alpha: 0.25, sparsity: 'soft' as const, link: 'he2', method: 'none' as const, n: 100 };
  configError(() => validateConfig({ ...base, q: 0.5, gamma: 2 }), 'gamma', /\(1\/q, 16\] = \(2, 16\]/, 'gamma = 1/q');
  configError(() => validateConfig({ ...base, q: 1, gamma: 0.7 }), 'gamma', /grows with d/, 'gamma < 1/q');
  configError(() => validateConfig({ ...base, gamma: 17 }), 'gamma', /\(0, 16\]/, 'gamma above 16');
  configError(() => validateConfig({ ...base, gamma: '3' }), 'gamma', /a number/, 'gamma a string');
  configError(() => validateConfig({ ...base, gamma: -1 }), 'gamma', /a number in \(0, 16\]/, 'negative gamma');
  configError(() => validateConfig({ ...base, q: 0.06 }), 'q', /\(1\/16, 2\) for sparsity "soft"/, 'q below 1/16');
  configError(() => validateConfig({ ...base, q: 0.08 }), 'gamma', /the default 3\/\(2q\)/, 'default gamma above 16');
  configError(() => validateConfig({ ...base, q: 2 }), 'q', /\(0, 2\)/, 'q = 2');
  configError(() => validateConfig({ ...base, sparsity: 'lq', gamma: 3 }), 'gamma', /unless sparsity is "soft"/, 'lq');
  configError(() => validateConfig({ ...base, sparsity: 'exact', gamma: 3 }), 'gamma', /unless/, 'exact');
  configError(() => validateConfig({ ...base, entries: 'gaussian' }), 'entries', /"flat" when sparsity is "soft"/, 'e');
  configError(() => validateConfig({ ...base, r: 7, link: 'sum-he2' }), 'r', /at most s = 6/, 'r above s');
  assert.is(validateConfig({ ...base, q: 1 }).gamma, 1.5, 'default gamma = 3/(2q)');
  assert.is(validateConfig({ ...base }).gamma, 3, 'default gamma at the default q = 1/2');
  // the tail alone spends more than the budget: the least gamma is the lq family's exponent
  configError(
    () => makeTeacher(w, { d: 256, alpha: 0.25, sparsity: 'soft', q: 1, gamma: 1.5, link: 'he2' }),
    'gamma',
    /above 1\.635 at d = 256, alpha = 0\.25, q = 1, r = 1: the budget .* = 2\.00000 is below 2\.26883/,
    'd = 256, q = 1, gamma = 1.5',
  );
  assert.ok(makeTeacher(w, { d: 256, alpha: 0.25, sparsity: 'soft', q: 1, gamma: 1.64, link: 'he2' }).gamma);
  // s = r: one row per direction is the least the budget can be, and no gamma reaches it
  configError(
    () => makeTeacher(w, { d: 100, s: 4, r: 4, sparsity: 'soft', q: 1, link: 'sum-he2' }),
    's',
    /must exceed r \(one row per direction\)/,
    's = r',
  );
  // the subspace path (no d x r V) refuses the same budget
  const lab = await createLab();
  configError(
    () => lab.trial({ ...base, d: 4096, alpha: 0.1, q: 1, gamma: 1.5, batch: 'fresh', sim: 'subspace', n: 4096 }),
    'gamma',
    /the lq family's exponent/,
    'subspace path',
  );
});

test('records: soft carries gamma, PR and the mass in the mask; the other families do not', async () => {
  const lab = await createLab();
  const teacher = { d: 1024, alpha: 0.25, sparsity: 'soft' as const, q: 0.5, link: 'he2', seed: 3 };
  const soft = { ...teacher, n: 2048 };
  const t = lab.teacher(teacher);
  const oracle = lab.trial({ ...soft, method: 'oracle' });
  assert.is(oracle.config.gamma, 3);
  assert.is(oracle.config.q, 0.5);
  assert.is(oracle.metrics.participationRatio, t.participationRatio);
  let inside = 0,
    total = 0;
  const inSupp = new Set(t.support);
  for (let i = 0; i < t.d; i++) {
    total += t.V[i]! ** 2;
    if (inSupp.has(i)) inside += t.V[i]! ** 2;
  }
  approxEqual(oracle.metrics.massInMask!, inside / total, { rel: 4 * t.d * U }, 'oracle mask = the top s rows');
  assert.ok(oracle.metrics.massInMask! < 1, 'the tail lies outside the top s rows');
  const thr = lab.trial({ ...soft, method: 'hermite-thr' });
  assert.ok(thr.metrics.massInMask! >= 0 && thr.metrics.massInMask! <= 1);
  const dense = lab.trial({ ...soft, method: 'none' });
  assert.is(dense.metrics.massInMask, 1, 'the dense net reads all of V');
  // the keys appear after maskSize, and only here
  assert.equal(Object.keys(dense.metrics).slice(-3), ['maskSize', 'participationRatio', 'massInMask']);
  for (const other of [
    { d: 256, alpha: 0.25, link: 'he2', method: 'none' as const, n: 512 },
    { d: 256, alpha: 0.25, sparsity: 'lq' as const, link: 'he2', method: 'none' as const, n: 512 },
  ]) {
    const r = lab.trial(other);
    assert.not.ok('participationRatio' in r.metrics || 'massInMask' in r.metrics, `${other.sparsity ?? 'exact'}`);
    assert.not.ok('gamma' in r.config);
  }
  // the record's config runs the same trial again
  assert.is(trialId(trialInputOf(oracle.config)), oracle.id);
  assert.is.not(trialId({ ...soft, method: 'oracle', gamma: 3.5 }), oracle.id, 'gamma is part of the id');
  // the subspace path records the real teacher's PR
  const sub = lab.trial({ ...soft, d: 4096, method: 'none', batch: 'fresh', sim: 'subspace', n: 8192 });
  assert.is(sub.config.sim, 'subspace');
  assert.is(sub.metrics.participationRatio, lab.teacher({ ...teacher, d: 4096 }).participationRatio);
  assert.is(sub.metrics.massInMask, 1);
  // the record check wants the soft fields
  assert.ok(checkRecord(JSON.parse(JSON.stringify(oracle)), 'r.jsonl', 1));
  for (const [path, value, message] of [
    ['metrics.participationRatio', undefined, /metrics\.participationRatio` must be a number >= 1/],
    ['metrics.massInMask', 1.5, /metrics\.massInMask` must be a number in \[0, 1\]/],
    ['config.gamma', null, /config\.gamma` must be a number > 0/],
  ] as const) {
    const bad = JSON.parse(JSON.stringify(oracle));
    const [obj, k] = path.split('.') as [string, string];
    bad[obj][k] = value;
    assert.throws(
      () => checkRecord(bad, 'r.jsonl', 4),
      (e: Error) => message.test(e.message),
      path,
    );
  }
  assert.ok(participationRatio(Float32Array.of(0.6, 0.8), 1) > 1.8, 'PR of (0.6, 0.8)');
});

test('prunelab trial --sparsity soft --gamma G: the record carries gamma and the soft metrics; a bad gamma exits 2', () => {
  const bin = fileURLToPath(new URL('../../bin/prunelab.js', import.meta.url));
  const cli = (args: string[]) => spawnSync(process.execPath, [bin, 'trial', ...args], { encoding: 'utf8' });
  const T = ['--d', '256', '--alpha', '0.25', '--link', 'he2', '--method', 'none', '--n', '512', '--sparsity', 'soft'];
  const ok = cli([...T, '--gamma', '3.5', '--json']);
  assert.is(ok.status, 0, ok.stderr);
  const rec = JSON.parse(ok.stdout);
  assert.is(rec.config.gamma, 3.5);
  assert.is(rec.metrics.massInMask, 1);
  assert.ok(rec.metrics.participationRatio > 1);
  assert.match(cli(T).stdout, /soft q=0\.5 gamma=3 link=he2.*\n.*\n.*mass in mask=1\.0000 {2}PR\(V\)=1\.\d\d/);
  const bad = cli([...T, '--gamma', '1']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /`gamma` must be a number in \(1\/q, 16\] = \(2, 16\] for q = 0\.5/);
  assert.is(bad.stderr.trimEnd().split('\n').length, 1, bad.stderr);
});

test.run();
