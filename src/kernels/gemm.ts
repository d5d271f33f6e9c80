// Typed wrappers of assembly/gemm.ts. They validate shapes and pointers, then call the kernel;
// they hold no state. Summation order and the bit-exact contract are documented in the kernel.
import type { Wasm } from '../wasm/index.js';
import { checkMatrix, checkSize } from './check.js';

/** Z (n×m, ldz) = X (n×k, ldx) · Wᵀ, W m×k (ldw). Z is overwritten. */
export function gemmXwt(
  w: Wasm,
  X: number,
  n: number,
  k: number,
  ldx: number,
  W: number,
  m: number,
  ldw: number,
  Z: number,
  ldz: number,
): void {
  const fn = 'gemmXwt';
  checkSize(fn, 'n', n);
  checkSize(fn, 'k', k);
  checkSize(fn, 'm', m);
  checkMatrix(w, fn, 'X', X, n, k, ldx);
  checkMatrix(w, fn, 'W', W, m, k, ldw);
  checkMatrix(w, fn, 'Z', Z, n, m, ldz);
  w.exports.gemm_xwt(X, n, k, ldx, W, m, ldw, Z, ldz);
}

/**
 * G (m×k, ldg) = Dᵀ·X, or G += Dᵀ·X when `accumulate`, with D n×m (ldd) and X n×k (ldx).
 * The row sum is sequential and continues from G, so splitting rows across calls changes nothing.
 */
export function gemmGtx(
  w: Wasm,
  D: number,
  n: number,
  m: number,
  ldd: number,
  X: number,
  k: number,
  ldx: number,
  G: number,
  ldg: number,
  accumulate: boolean,
): void {
  const fn = 'gemmGtx';
  checkSize(fn, 'n', n);
  checkSize(fn, 'm', m);
  checkSize(fn, 'k', k);
  checkMatrix(w, fn, 'D', D, n, m, ldd);
  checkMatrix(w, fn, 'X', X, n, k, ldx);
  checkMatrix(w, fn, 'G', G, m, k, ldg);
  w.exports.gemm_gtx(D, n, m, ldd, X, k, ldx, G, ldg, accumulate ? 1 : 0);
}

/**
 * G (m×m, ldg) = Dᵀ·D with D n×m (ldd): the bits gemmGtx(D, D) gives, from the tiles on and above
 * the diagonal and the rest mirrored. G is overwritten.
 */
export function gemmGtxSelf(w: Wasm, D: number, n: number, m: number, ldd: number, G: number, ldg: number): void {
  const fn = 'gemmGtxSelf';
  checkSize(fn, 'n', n);
  checkSize(fn, 'm', m);
  checkMatrix(w, fn, 'D', D, n, m, ldd);
  checkMatrix(w, fn, 'G', G, m, m, ldg);
  w.exports.gemm_gtx_self(D, n, m, ldd, G, ldg);
}
