// Scalar twin of assembly/teacher.ts. Integer draws (support, signs, permutations) and every f64
// step of the flat and Gaussian V, the placement of ranks, the projection and the link replay the
// kernel exactly. The lq
// profile uses host Math.log/exp/pow, so it is an oracle within rounding, not a bit twin.
import { Xoshiro128 } from './rng.js';
import { gaussFillCols } from './gauss.js';
import { hermiteF64 } from './hermite.js';
import type { LinkTerm } from '../core/types.js';

export const SUPPORT_COORD = 0xfffffff0;
export const SIGN_COORD = 0xfffffff1;
export const GROUP_COORD = 0xfffffff2;
export const PERM_COORD = 0xfffffff3;

/** The high and low 32 bits of a * b for a, b < 2^32, exactly, in doubles. */
function mul32(a: number, b: number): [number, number] {
  const p1 = (a & 0xffff) * b; // < 2^48
  const p2 = (a >>> 16) * b; // < 2^48; the product is p2 * 2^16 + p1
  const low = (p2 % 65536) * 65536 + p1; // < 2^49, exact
  return [Math.floor(p2 / 65536) + Math.floor(low / 4294967296), low % 4294967296];
}

/** Lemire's exactly uniform integer in [0, n), as the kernel's below(). */
export function below(rng: Xoshiro128, n: number): number {
  let [hi, lo] = mul32(rng.next(), n);
  if (lo < n) {
    const threshold = (4294967296 - n) % n;
    while (lo < threshold) [hi, lo] = mul32(rng.next(), n);
  }
  return hi;
}

function scalar(key: bigint, coord: number): Xoshiro128 {
  return new Xoshiro128(key, 0, coord);
}

export function support(key: bigint, d: number, s: number): Int32Array {
  const rng = scalar(key, SUPPORT_COORD);
  const out = new Int32Array(s);
  let taken = 0;
  for (let i = 0; i < d && taken < s; i++) if (below(rng, d - i) < s - taken) out[taken++] = i;
  return out;
}

function shuffle(rng: Xoshiro128, n: number): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = below(rng, i + 1);
    const a = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = a;
  }
  return perm;
}

export function vFlat(key: bigint, s: number, r: number): Float32Array {
  const V = new Float32Array(s * r);
  const perm = r > 1 ? shuffle(scalar(key, GROUP_COORD), s) : Int32Array.from({ length: s }, (_, i) => i);
  const signs = scalar(key, SIGN_COORD);
  const base = Math.floor(s / r),
    extra = s % r;
  for (let p = 0; p < s; p++) {
    const l = p % r;
    const sign = signs.next() >>> 31 !== 0 ? -1 : 1;
    V[perm[p]! * r + l] = sign / Math.sqrt(base + (l < extra ? 1 : 0));
  }
  return V;
}

export function vGaussian(key: bigint, supp: ArrayLike<number>, r: number): Float32Array {
  const s = supp.length;
  const raw = new Float32Array(r * s);
  gaussFillCols(key, 0, r, supp, raw, s);
  const Q = new Float64Array(s * r);
  for (let l = 0; l < r; l++) for (let i = 0; i < s; i++) Q[i * r + l] = raw[l * s + i]!;
  for (let l = 0; l < r; l++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let m = 0; m < l; m++) {
        let dot = 0;
        for (let i = 0; i < s; i++) dot += Q[i * r + m]! * Q[i * r + l]!;
        for (let i = 0; i < s; i++) Q[i * r + l] = Q[i * r + l]! - dot * Q[i * r + m]!;
      }
    }
    let nn = 0;
    for (let i = 0; i < s; i++) nn += Q[i * r + l]! * Q[i * r + l]!;
    const nrm = Math.sqrt(nn);
    for (let i = 0; i < s; i++) Q[i * r + l] = Q[i * r + l]! / nrm;
  }
  return Float32Array.from(Q);
}

/** Oracle of teacher_lq_sum: sum over rows of |V_i|^q for exponent gamma. */
export function lqSum(d: number, r: number, q: number, gamma: number): number {
  const s2 = new Float64Array(r),
    sq = new Float64Array(r);
  for (let i = 1; i <= d; i++) {
    const l = (i - 1) % r,
      ratio = i / (l + 1);
    s2[l] = s2[l]! + ratio ** (-2 * gamma);
    sq[l] = sq[l]! + ratio ** (-q * gamma);
  }
  let total = 0;
  for (let l = 0; l < r; l++) total += sq[l]! * s2[l]! ** (-q / 2);
  return total;
}

/** Oracle of teacher_lq_fill: the dense d x r V and perm (coordinate of rank i+1). */
export function lqFill(key: bigint, d: number, r: number, gamma: number): { V: Float32Array; perm: Int32Array } {
  const s2 = new Float64Array(r);
  for (let i = 1; i <= d; i++) s2[(i - 1) % r] = s2[(i - 1) % r]! + (i / (((i - 1) % r) + 1)) ** (-2 * gamma);
  const perm = shuffle(scalar(key, PERM_COORD), d);
  const signs = scalar(key, SIGN_COORD);
  const V = new Float32Array(d * r);
  for (let i = 1; i <= d; i++) {
    const l = (i - 1) % r;
    const sign = signs.next() >>> 31 !== 0 ? -1 : 1;
    V[perm[i - 1]! * r + l] = (sign * (i / (l + 1)) ** -gamma) / Math.sqrt(s2[l]!);
  }
  return { V, perm };
}

/** Twin of teacher_place_ranks: the dense d x r V and perm (coordinate of rank i+1) for magnitudes in rank order. */
export function placeRanks(
  key: bigint,
  d: number,
  r: number,
  mags: Float32Array,
): { V: Float32Array; perm: Int32Array } {
  const perm = shuffle(scalar(key, PERM_COORD), d);
  const signs = scalar(key, SIGN_COORD);
  const V = new Float32Array(d * r);
  for (let i = 0; i < d; i++) V[perm[i]! * r + (i % r)] = signs.next() >>> 31 !== 0 ? -mags[i]! : mags[i]!;
  return { V, perm };
}

/** Twin of teacher_project (z accumulated in place). */
export function project(
  x: Float32Array,
  ldx: number,
  colPos: ArrayLike<number> | null,
  nnz: number,
  V: Float32Array,
  r: number,
  rows: number,
  z: Float64Array,
): void {
  for (let t = 0; t < rows; t++) {
    for (let i = 0; i < nnz; i++) {
      const xv = x[t * ldx + (colPos ? colPos[i]! : i)]!;
      for (let l = 0; l < r; l++) {
        const v = V[i * r + l]!;
        if (v !== 0) z[t * r + l] = z[t * r + l]! + v * xv;
      }
    }
  }
}

/** Twin of teacher_link. */
export function link(
  z: Float64Array,
  r: number,
  rows: number,
  terms: readonly LinkTerm[],
  tau: number,
  noise: Float32Array | null,
): Float32Array {
  const y = new Float32Array(rows);
  const maxDeg = Array.from({ length: r }, (_, l) => Math.max(0, ...terms.map((m) => m.degrees[l]!)));
  const H = maxDeg.map((K) => new Float64Array(K + 1));
  for (let t = 0; t < rows; t++) {
    for (let l = 0; l < r; l++) hermiteF64(z[t * r + l]!, maxDeg[l]!, H[l]);
    let acc = 0;
    for (const m of terms) {
      let term = m.coef;
      for (let l = 0; l < r; l++) if (m.degrees[l] !== 0) term *= H[l]![m.degrees[l]!]!;
      acc += term;
    }
    if (noise) acc += tau * noise[t]!;
    y[t] = acc;
  }
  return y;
}
