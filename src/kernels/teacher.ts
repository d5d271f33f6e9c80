// Typed wrappers of assembly/teacher.ts: they validate shapes and pointers, then call the kernel.
import type { Wasm } from '../wasm/index.js';
import type { StreamKey } from '../core/types.js';
import { checkBuffer, checkCount } from './check.js';

/** The coordinate id of a row's label noise eps in a data stream (assembly/rng.ts NOISE_COORD). */
export const NOISE_COORD = 0xffffffff;
/** The most directions r the teacher kernels take (assembly/teacher.ts MAX_R): the limit of r. */
export const MAX_R = 16;
const MAX_D = 0x7fffffff;

/** s sorted distinct coordinates of [0, d) (Knuth's algorithm S) into `out` (s i32). */
export function teacherSupport(w: Wasm, key: StreamKey, d: number, s: number, out: number): void {
  checkCount('teacherSupport', 'd', d, 1, MAX_D);
  checkCount('teacherSupport', 's', s, 1, d);
  checkBuffer(w, 'teacherSupport', 'out', out, s * 4);
  w.exports.teacher_support(key.lo, key.hi, d, s, out);
}

/** Flat V on s support rows: compact s x r f32 into `V`; `perm` is s i32 of scratch. */
export function teacherVFlat(w: Wasm, key: StreamKey, s: number, r: number, V: number, perm: number): void {
  checkCount('teacherVFlat', 'r', r, 1, MAX_R);
  checkCount('teacherVFlat', 's', s, r, MAX_D);
  checkBuffer(w, 'teacherVFlat', 'V', V, s * r * 4);
  checkBuffer(w, 'teacherVFlat', 'perm', perm, s * 4);
  w.exports.teacher_v_flat(key.lo, key.hi, s, r, V, perm);
}

/** Gaussian V on the rows `support` (s u32 ids), orthonormalised: compact s x r f32; `work` is s*r f64. */
export function teacherVGaussian(
  w: Wasm,
  key: StreamKey,
  support: number,
  s: number,
  r: number,
  V: number,
  work: number,
): void {
  checkCount('teacherVGaussian', 'r', r, 1, MAX_R);
  checkCount('teacherVGaussian', 's', s, r, MAX_D);
  checkBuffer(w, 'teacherVGaussian', 'support', support, s * 4);
  checkBuffer(w, 'teacherVGaussian', 'V', V, s * r * 4);
  checkBuffer(w, 'teacherVGaussian', 'work', work, s * r * 8, 8);
  w.exports.teacher_v_gaussian(key.lo, key.hi, support, s, r, V, work);
}

function checkLq(kernel: string, d: number, r: number, q: number): void {
  checkCount(kernel, 'r', r, 1, MAX_R);
  checkCount(kernel, 'd', d, r, MAX_D);
  if (!(q > 0 && q < 2)) throw new RangeError(`${kernel}: q must be in (0, 2), got ${q}`);
}

/** sum_i ||V_i||^q of the lq profile with exponent gamma (wasm NativeMath). */
export function lqSum(w: Wasm, d: number, r: number, q: number, gamma: number): number {
  checkLq('lqSum', d, r, q);
  if (!(gamma >= 0 && gamma < Infinity)) throw new RangeError(`lqSum: gamma must be finite and >= 0, got ${gamma}`);
  return w.exports.teacher_lq_sum(d, r, q, gamma);
}

/** r^(q/2) * base^expo, computed in wasm. */
export function lqTarget(w: Wasm, base: number, expo: number, r: number, q: number): number {
  return w.exports.teacher_lq_target(base, expo, r, q);
}

/** gamma solving lqSum(gamma) = target by bisection; 0 when target >= lqSum(0); NaN when unreachable. */
export function lqGamma(w: Wasm, d: number, r: number, q: number, target: number): number {
  checkLq('lqGamma', d, r, q);
  if (!Number.isFinite(target)) throw new RangeError(`lqGamma: target must be finite, got ${target}`);
  return w.exports.teacher_lq_gamma(d, r, q, target);
}

/** Dense lq V (d x r f32) and perm (d i32: coordinate of rank i+1). */
export function lqFill(
  w: Wasm,
  key: StreamKey,
  d: number,
  r: number,
  q: number,
  gamma: number,
  V: number,
  perm: number,
): void {
  checkLq('lqFill', d, r, q);
  checkBuffer(w, 'lqFill', 'V', V, d * r * 4);
  checkBuffer(w, 'lqFill', 'perm', perm, d * 4);
  w.exports.teacher_lq_fill(key.lo, key.hi, d, r, q, gamma, V, perm);
}

/**
 * Dense V (d x r f32) from magnitudes in rank order (`mags`: d f32, rank i+1 at index i): rank
 * i+1 goes to column i mod r, to coordinate perm[i] of a uniform permutation (left in `perm`, d
 * i32), with a random sign; the same permutation and signs as lqFill for the same key.
 */
export function teacherPlaceRanks(
  w: Wasm,
  key: StreamKey,
  d: number,
  r: number,
  mags: number,
  V: number,
  perm: number,
): void {
  const k = 'teacherPlaceRanks';
  checkCount(k, 'r', r, 1, MAX_R);
  checkCount(k, 'd', d, r, MAX_D);
  checkBuffer(w, k, 'mags', mags, d * 4);
  checkBuffer(w, k, 'V', V, d * r * 4);
  checkBuffer(w, k, 'perm', perm, d * 4);
  w.exports.teacher_place_ranks(key.lo, key.hi, d, r, mags, V, perm);
}

/**
 * z[t*r + l] += sum_i V[i*r + l] * x[t*ldx + pos_i] (f64, i ascending), pos_i = colPos[i] or i when
 * colPos is 0. Consecutive blocks of V's rows accumulate to the bytes of one call.
 */
export function teacherProject(
  w: Wasm,
  x: number,
  ldx: number,
  colPos: number,
  nnz: number,
  V: number,
  r: number,
  rows: number,
  z: number,
): void {
  const k = 'teacherProject';
  checkCount(k, 'r', r, 1, MAX_R);
  checkCount(k, 'nnz', nnz, 0, MAX_D);
  checkCount(k, 'rows', rows, 0, MAX_D);
  checkCount(k, 'ldx', ldx, 0, MAX_D);
  if (colPos !== 0) {
    checkBuffer(w, k, 'colPos', colPos, nnz * 4);
    const pos = w.i32.subarray(colPos >>> 2, (colPos >>> 2) + nnz);
    for (let i = 0; i < nnz; i++)
      if (!(pos[i]! >= 0 && pos[i]! < ldx))
        throw new RangeError(`${k}: colPos[${i}] = ${pos[i]} is outside [0, ${ldx})`);
  } else if (nnz > ldx) {
    throw new RangeError(`${k}: ${nnz} rows of V but x has leading dimension ${ldx}`);
  }
  if (rows > 0 && nnz > 0) checkBuffer(w, k, 'x', x, ((rows - 1) * ldx + ldx) * 4);
  checkBuffer(w, k, 'V', V, nnz * r * 4);
  checkBuffer(w, k, 'z', z, rows * r * 8, 8);
  w.exports.teacher_project(x, ldx, colPos, nnz, V, r, rows, z);
}

/**
 * y[t] = f32(sum_m coef_m prod_l h_{deg[m*r+l]}(z[t*r+l]) + tau * noise[t]) in f64 (terms in
 * order, noise last; noise 0 = none). coefs: nterms f64; degs: nterms*r i32 in [0, 12].
 */
export function teacherLink(
  w: Wasm,
  z: number,
  r: number,
  rows: number,
  coefs: number,
  degs: number,
  nterms: number,
  tau: number,
  noise: number,
  y: number,
): void {
  const k = 'teacherLink';
  checkCount(k, 'r', r, 1, MAX_R);
  checkCount(k, 'rows', rows, 0, MAX_D);
  checkCount(k, 'nterms', nterms, 0, 1 << 20);
  if (!(tau >= 0 && tau < Infinity)) throw new RangeError(`${k}: tau must be finite and >= 0, got ${tau}`);
  checkBuffer(w, k, 'z', z, rows * r * 8, 8);
  checkBuffer(w, k, 'coefs', coefs, nterms * 8, 8);
  checkBuffer(w, k, 'degs', degs, nterms * r * 4);
  if (noise !== 0) checkBuffer(w, k, 'noise', noise, rows * 4);
  checkBuffer(w, k, 'y', y, rows * 4);
  w.exports.teacher_link(z, r, rows, coefs, degs, nterms, tau, noise, y);
}
