// Scalar twins of assembly/subspace.ts (the subspace simulation of DESIGN §2.2b), in the kernels'
// exact order: f64 steps as plain doubles (JavaScript numbers are IEEE doubles, and + − × ÷ sqrt
// floor are correctly rounded in both), f32 steps rounded with Math.fround, bit moves through a
// shared buffer. So every kernel matches its twin bit for bit. Plain loops: nothing here calls wasm.
import { Xoshiro128 } from './rng.js';
import { gemmGtx, gemmXwt } from './gemm.js';

const f = Math.fround;
/** Bartlett rows use coordinate ids from here on (assembly/subspace.ts BARTLETT_COORD). */
export const BARTLETT_COORD = 0x80000000;
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const LOG2E = 1.4426950408889634;
const SQRT2 = 1.4142135623730951;
const TWO_600 = 2 ** 600,
  TWO_M600 = 2 ** -600;

// one double and its two 32-bit halves (little-endian, as wasm memory is)
const bitsF = new Float64Array(1);
const bitsU = new Uint32Array(bitsF.buffer);

/** Twin of ownLog: ln x for finite x > 0, from the exponent bits and 2·atanh of the mantissa. */
export function ownLog(x: number): number {
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984.0;
    e = -54;
  }
  bitsF[0] = x;
  e += ((bitsU[1]! >>> 20) & 0x7ff) - 1023;
  bitsU[1] = (bitsU[1]! & 0x000fffff) | 0x3ff00000;
  let m = bitsF[0]!;
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const fr = m - 1.0;
  const s = fr / (2.0 + fr);
  const s2 = s * s;
  let p = 1.0 / 25.0;
  for (let j = 11; j >= 0; j--) p = p * s2 + 1.0 / (2 * j + 1);
  const r = 2.0 * s * p;
  return e * LN2_HI + (e * LN2_LO + r);
}

/** 2^k for an integer k in [-1022, 1023], from its bits. */
function pow2(k: number): number {
  bitsU[0] = 0;
  bitsU[1] = (k + 1023) << 20;
  return bitsF[0]!;
}

/** Twin of ownExp: e^x, 0 below -745.2, +Infinity above 709.8; subnormal results through a 2^±600 split. */
export function ownExp(x: number): number {
  if (x < -745.2) return 0;
  if (x > 709.8) return Infinity;
  const k = Math.floor(x * LOG2E + 0.5);
  const r = x - k * LN2_HI - k * LN2_LO;
  let p = 1.0;
  for (let n = 16; n >= 1; n--) p = 1.0 + (p * r) / n;
  if (k < -1021) return p * pow2(k + 600) * TWO_M600;
  if (k > 1023) return p * pow2(k - 600) * TWO_600;
  return p * pow2(k);
}

/** A uniform double in (0, 1) from 53 bits of the stream, zero redrawn (twin of uniform). */
function uniform(rng: Xoshiro128): number {
  for (;;) {
    const a = rng.next() >>> 5,
      b = rng.next() >>> 6;
    const u = (a * 67108864.0 + b) * 1.1102230246251565e-16;
    if (u > 0) return u;
  }
}

/** One standard normal by Marsaglia's polar method, the pair's second dropped (twin of normal). */
function normal(rng: Xoshiro128): number {
  for (;;) {
    const u = 2.0 * uniform(rng) - 1.0,
      v = 2.0 * uniform(rng) - 1.0;
    const s = u * u + v * v;
    if (s < 1.0 && s > 0) return u * Math.sqrt((-2.0 * ownLog(s)) / s);
  }
}

/** One Gamma(shape, 1) draw (Marsaglia–Tsang; shape < 1 boosted by U^(1/shape)), twin of gammaDraw. */
function gammaDraw(rng: Xoshiro128, shape: number): number {
  if (shape < 1.0) {
    const g = gammaDraw(rng, shape + 1.0);
    return g * ownExp(ownLog(uniform(rng)) / shape);
  }
  const d = shape - 1.0 / 3.0,
    c = 1.0 / Math.sqrt(9.0 * d);
  for (;;) {
    const x = normal(rng);
    let v = 1.0 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const u = uniform(rng);
    const x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (ownLog(u) < 0.5 * x2 + d * (1.0 - v + ownLog(v))) return d * v;
  }
}

/** Twin of sub_gamma: n Gamma(shape, 1) draws from the streams (key, block, coordBase + i). */
export function gammaDraws(key: bigint, block: number, coordBase: number, n: number, shape: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = gammaDraw(new Xoshiro128(key, block, (coordBase + i) >>> 0), shape);
  return out;
}

/** Twin of sub_chi2: n chi2(dof) = 2·Gamma(dof/2) draws from the streams (key, block, coordBase + i). */
export function chi2Draws(key: bigint, block: number, coordBase: number, n: number, dof: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 2.0 * gammaDraw(new Xoshiro128(key, block, (coordBase + i) >>> 0), 0.5 * dof);
  return out;
}

/** Twin of sub_bartlett: R (m×m, upper triangular) with R_ii = sqrt(chi2(D − i)), R_ij ~ N(0,1) above. */
export function bartlett(key: bigint, block: number, m: number, D: number): Float64Array {
  const R = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const rng = new Xoshiro128(key, block, BARTLETT_COORD + i);
    R[i * m + i] = Math.sqrt(2.0 * gammaDraw(rng, 0.5 * (D - i)));
    for (let j = i + 1; j < m; j++) R[i * m + j] = normal(rng);
  }
  return R;
}

/**
 * Twin of sub_grad: one chunk of the in-span gradient added to G (f64 m×k, ldg) and of CᵀC added
 * to CtC (f64 m×m). U rows×k (ldu), W m×k (ldw), y rows, b and a m (all f32).
 */
export function subGrad(
  U: Float32Array,
  rows: number,
  k: number,
  ldu: number,
  y: Float32Array,
  W: Float32Array,
  m: number,
  ldw: number,
  b: Float32Array,
  a: Float32Array,
  N: number,
  G: Float64Array,
  ldg: number,
  CtC: Float64Array,
): void {
  if (rows > 1024) throw new RangeError('subGrad twin: at most 1024 rows per chunk');
  if (rows === 0 || m === 0) return;
  const Dm = new Float32Array(rows * m);
  gemmXwt(U, rows, k, ldu, W, m, ldw, Dm, m);
  for (let t = 0; t < rows; t++) {
    const yt = y[t]!;
    for (let j = 0; j < m; j++) Dm[t * m + j] = f(Dm[t * m + j]! + b[j]!) > 0 ? yt : 0;
  }
  const P = new Float32Array(m * k),
    Q = new Float32Array(m * m);
  gemmGtx(Dm, rows, m, m, U, k, ldu, P, k, false);
  gemmGtx(Dm, rows, m, m, Dm, m, m, Q, m, false);
  for (let j = 0; j < m; j++) {
    const cj = -a[j]! / N;
    for (let i = 0; i < k; i++) G[j * ldg + i] = G[j * ldg + i]! + cj * P[j * k + i]!;
    for (let l = 0; l < m; l++) {
      const cl = -a[l]! / N;
      CtC[j * m + l] = CtC[j * m + l]! + cj * cl * Q[j * m + l]!;
    }
  }
}

/** Twin of sub_psd_sqrt: L (m×m) with L·Lᵀ = A by cyclic Jacobi, negative eigenvalues taken as 0. */
export function psdSqrt(A: Float64Array, m: number): Float64Array {
  const S = A.slice(0, m * m),
    V = new Float64Array(m * m),
    L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0,
      tot = 0;
    for (let p = 0; p < m; p++)
      for (let q = 0; q < m; q++) {
        const v = S[p * m + q]!;
        if (p === q) tot += v * v;
        else off += v * v;
      }
    if (off === 0 || off <= 4.930380657631324e-32 * tot) break;
    for (let p = 0; p < m - 1; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = S[p * m + q]!;
        if (apq === 0) continue;
        const theta = (S[q * m + q]! - S[p * m + p]!) / (2.0 * apq);
        const t = (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
        const c = 1.0 / Math.sqrt(t * t + 1.0),
          s = t * c;
        for (let k = 0; k < m; k++) {
          const skp = S[k * m + p]!,
            skq = S[k * m + q]!;
          S[k * m + p] = c * skp - s * skq;
          S[k * m + q] = s * skp + c * skq;
        }
        for (let k = 0; k < m; k++) {
          const spk = S[p * m + k]!,
            sqk = S[q * m + k]!;
          S[p * m + k] = c * spk - s * sqk;
          S[q * m + k] = s * spk + c * sqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p]!,
            vkq = V[k * m + q]!;
          V[k * m + p] = c * vkp - s * vkq;
          V[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
  for (let i = 0; i < m; i++) {
    const lam = S[i * m + i]!;
    const r = lam > 0 ? Math.sqrt(lam) : 0;
    for (let j = 0; j < m; j++) L[j * m + i] = V[j * m + i]! * r;
  }
  return L;
}
