// Typed wrappers of assembly/subspace.ts (the subspace simulation of DESIGN §2.2b): they validate
// shapes and pointers, then call the kernel. They hold no state.
import type { Wasm } from '../wasm/index.js';
import type { StreamKey } from '../core/types.js';
import { checkBuffer, checkCount, checkMatrix, checkSize, checkVector } from './check.js';

/** Coordinate ids of the Bartlett rows' streams start here (above every data coordinate). */
export const BARTLETT_COORD = 0x80000000;

function checkStream(fn: string, block: number, coordBase: number, n: number): void {
  checkCount(fn, 'block', block, 0, 0xffffffff);
  checkCount(fn, 'coordBase', coordBase, 0, 0xffffffff);
  checkCount(fn, 'n', n, 0, 0x7fffffff);
  if (coordBase + n > 0x100000000)
    throw new RangeError(`${fn}: coordinates [${coordBase}, ${coordBase + n}) pass 2^32`);
}

/** out[i] = Gamma(shape, 1) from the stream (key, block, coordBase + i); out holds n f64. */
export function gammaDraws(
  w: Wasm,
  key: StreamKey,
  block: number,
  coordBase: number,
  n: number,
  shape: number,
  out: number,
): void {
  checkStream('gammaDraws', block, coordBase, n);
  if (!(shape > 0 && shape < 1e15)) throw new RangeError(`gammaDraws: shape must be in (0, 1e15), got ${shape}`);
  checkBuffer(w, 'gammaDraws', 'out', out, n * 8, 8);
  w.exports.sub_gamma(key.lo, key.hi, block, coordBase, n, shape, out);
}

/** out[i] = chi2(dof) from the stream (key, block, coordBase + i); out holds n f64. */
export function chi2Draws(
  w: Wasm,
  key: StreamKey,
  block: number,
  coordBase: number,
  n: number,
  dof: number,
  out: number,
): void {
  checkStream('chi2Draws', block, coordBase, n);
  if (!(dof > 0 && dof < 1e15)) throw new RangeError(`chi2Draws: dof must be in (0, 1e15), got ${dof}`);
  checkBuffer(w, 'chi2Draws', 'out', out, n * 8, 8);
  w.exports.sub_chi2(key.lo, key.hi, block, coordBase, n, dof, out);
}

/** The Bartlett factor (m×m f64, upper triangular) of the QR of a D×m Gaussian, D >= m, into R. */
export function bartlett(w: Wasm, key: StreamKey, block: number, m: number, D: number, R: number): void {
  checkCount('bartlett', 'block', block, 0, 0xffffffff);
  checkCount('bartlett', 'm', m, 0, 65536);
  if (!(D >= m && D < 1e15 && Number.isInteger(D)))
    throw new RangeError(`bartlett: D must be an integer in [m, 1e15) = [${m}, 1e15), got ${D}`);
  checkBuffer(w, 'bartlett', 'R', R, m * m * 8, 8);
  w.exports.sub_bartlett(key.lo, key.hi, block, m, D, R);
}

/** Scratch bytes subGrad needs for k columns and m neurons. */
export function subGradScratchBytes(w: Wasm, k: number, m: number): number {
  checkSize('subGradScratchBytes', 'k', k);
  checkSize('subGradScratchBytes', 'm', m);
  return w.exports.sub_grad_scratch_bytes(k, m) >>> 0;
}

/**
 * One chunk (rows <= 1024) of the in-span gradient, added to G (f64 m×k, ldg), and of the Gram
 * matrix CᵀC of the gradient's coefficients, added to CtC (f64 m×m). See assembly/subspace.ts.
 */
export function subGrad(
  w: Wasm,
  q: {
    U: number;
    rows: number;
    k: number;
    ldu?: number;
    y: number;
    W: number;
    m: number;
    ldw?: number;
    b: number;
    a: number;
    N: number;
    G: number;
    ldg?: number;
    CtC: number;
    scratch: number;
  },
): void {
  const fn = 'subGrad';
  const ldu = q.ldu ?? q.k,
    ldw = q.ldw ?? q.k,
    ldg = q.ldg ?? q.k;
  checkSize(fn, 'rows', q.rows);
  checkSize(fn, 'k', q.k);
  checkSize(fn, 'm', q.m);
  if (q.rows > 1024) throw new RangeError(`${fn}: rows must be at most 1024 (one chunk per call), got ${q.rows}`);
  if (!(q.N > 0) || !Number.isFinite(q.N)) throw new RangeError(`${fn}: N must be a positive number, got ${q.N}`);
  checkMatrix(w, fn, 'U', q.U, q.rows, q.k, ldu);
  checkVector(w, fn, 'y', q.y, q.rows);
  checkMatrix(w, fn, 'W', q.W, q.m, q.k, ldw);
  checkVector(w, fn, 'b', q.b, q.m);
  checkVector(w, fn, 'a', q.a, q.m);
  checkMatrix(w, fn, 'G', q.G, q.m, q.k, ldg, 8);
  checkMatrix(w, fn, 'CtC', q.CtC, q.m, q.m, q.m, 8);
  checkBuffer(w, fn, 'scratch', q.scratch, subGradScratchBytes(w, q.k, q.m), 16);
  w.exports.sub_grad(q.U, q.rows, q.k, ldu, q.y, q.W, q.m, ldw, q.b, q.a, q.N, q.G, ldg, q.CtC, q.scratch);
}

/** L (f64 m×m) with L·Lᵀ = A for a symmetric PSD A (f64 m×m); work is 2·m·m f64. */
export function psdSqrt(w: Wasm, A: number, m: number, L: number, work: number): void {
  checkCount('psdSqrt', 'm', m, 0, 4096);
  checkBuffer(w, 'psdSqrt', 'A', A, m * m * 8, 8);
  checkBuffer(w, 'psdSqrt', 'L', L, m * m * 8, 8);
  checkBuffer(w, 'psdSqrt', 'work', work, 2 * m * m * 8, 8);
  w.exports.sub_psd_sqrt(A, m, L, work);
}

/** ln x by the subspace kernels' own log (finite x > 0); for tests of the twin. */
export function subLog(w: Wasm, x: number): number {
  if (!(x > 0 && x < Infinity)) throw new RangeError(`subLog: x must be finite and > 0, got ${x}`);
  return w.exports.sub_log(x);
}

/** e^x by the subspace kernels' own exp; for tests of the twin. */
export function subExp(w: Wasm, x: number): number {
  if (Number.isNaN(x)) throw new RangeError('subExp: x must be a number, got NaN');
  return w.exports.sub_exp(x);
}
