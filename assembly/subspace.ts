// Kernels of the exact subspace simulation of dense training on fresh batches (DESIGN §2.2b).
//
// - Gamma and chi-square draws (Marsaglia–Tsang, exact: a rejection sampler, not an approximation)
//   from one scalar xoshiro128** stream per draw, seeded like every lane: (key, chunk = block,
//   coordinate id). Normals are Marsaglia's polar method, and log and exp are our own, built from
//   IEEE +, -, *, /, sqrt and exact bit moves, so the TypeScript twin (src/reference/subspace.ts)
//   repeats every bit.
// - The Bartlett factor R of the QR of a D×m Gaussian: R_ii = sqrt(chi2(D − i)) (0-based i),
//   R_ij ~ N(0, 1) for i < j. Row i of R is one stream: its chi-square first, then its normals.
// - The in-span gradient of one chunk of rows and the m×m Gram matrix CᵀC of its coefficients,
//   on the existing GEMM.
// - A square root L of a symmetric positive semi-definite m×m matrix (L·Lᵀ = A) by cyclic Jacobi.

import { laneSeed } from "./rng";
import { gemm_gtx, gemm_gtx_self, gemm_xwt } from "./gemm";

const E_SIZES = "subspace: sizes out of range";
const E_CHUNK = "subspace: a reduction kernel takes at most CHUNK_ROWS (1024) rows per call (the chunk rule)";

// Bartlett rows use coordinate ids from here on, so they never meet a data coordinate (< 2^31).
export const BARTLETT_COORD: u32 = 0x80000000;
const GOLDEN: u64 = 0x9e3779b97f4a7c15;
const LN2_HI: f64 = 0.6931471803691238; // ln 2 with the low 32 bits of its mantissa zero
const LN2_LO: f64 = 1.9082149292705877e-10;
const LOG2E: f64 = 1.4426950408889634;
const SQRT2: f64 = 1.4142135623730951;

// ---- one scalar xoshiro128** stream ----
let q0: u32 = 0, q1: u32 = 0, q2: u32 = 0, q3: u32 = 0;

function seedStream(key: u64, chunk: u32, coord: u32): void {
  let h = laneSeed(key, chunk, coord);
  h += GOLDEN;
  let a = mix(h);
  h += GOLDEN;
  const b = mix(h);
  if ((a | b) == 0) a = 1;
  q0 = u32(a); q1 = u32(a >> 32); q2 = u32(b); q3 = u32(b >> 32);
}

@inline function mix(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

@inline function nextU32(): u32 {
  const r = rotl<u32>(q1 * 5, 7) * 9;
  const t = q1 << 9;
  q2 ^= q0; q3 ^= q1; q1 ^= q2; q0 ^= q3;
  q2 ^= t; q3 = rotl<u32>(q3, 11);
  return r;
}

/** A uniform double in (0, 1): 53 random bits, zero redrawn. */
function uniform(): f64 {
  for (;;) {
    const a = nextU32() >>> 5, b = nextU32() >>> 6;
    const u = (f64(a) * 67108864.0 + f64(b)) * 1.1102230246251565e-16;
    if (u > 0) return u;
  }
  return 0.5; // unreachable
}

/** One standard normal by Marsaglia's polar method (the second of each pair is dropped: simpler, still exact). */
function normal(): f64 {
  for (;;) {
    const u = 2.0 * uniform() - 1.0, v = 2.0 * uniform() - 1.0;
    const s = u * u + v * v;
    if (s < 1.0 && s > 0) return u * Math.sqrt(-2.0 * ownLog(s) / s);
  }
  return 0; // unreachable
}

/** ln x for finite x > 0 (normal or subnormal): x = 2^e m, m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s). */
export function ownLog(x: f64): f64 {
  let e: i32 = 0;
  if (x < 2.2250738585072014e-308) { x *= 18014398509481984.0; e = -54; }
  const bits = reinterpret<u64>(x);
  e += i32((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > SQRT2) { m *= 0.5; e += 1; }
  const f = m - 1.0;
  const s = f / (2.0 + f);
  const s2 = s * s;
  // 2 (s + s^3/3 + ... + s^25/25): |s| <= 0.1716, so the next term is below 2^-64 relative
  let p: f64 = 1.0 / 25.0;
  for (let j = 11; j >= 0; j--) p = p * s2 + 1.0 / f64(2 * j + 1);
  const r = 2.0 * s * p;
  const ef = f64(e);
  return ef * LN2_HI + (ef * LN2_LO + r);
}

/**
 * e^x: x = k ln 2 + r, |r| <= ln2/2, Taylor to degree 16, then 2^k from its bits. 0 below -745.2
 * and +Infinity above 709.8; where 2^k is not a normal double (k < -1021, the subnormal results) it
 * is applied as 2^(k+600)·2^-600, one rounding. (The boost path of gammaDraw reaches far below
 * -700 for small shapes: ln U / shape. Without the guard, 2^k's bits would wrap there into a huge
 * negative number.)
 */
export function ownExp(x: f64): f64 {
  if (x < -745.2) return 0;
  if (x > 709.8) return Infinity;
  const k = Math.floor(x * LOG2E + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let p: f64 = 1.0;
  for (let n = 16; n >= 1; n--) p = 1.0 + p * r / f64(n);
  if (k < -1021) return p * pow2(i32(k) + 600) * 2.409919865102884e-181;
  if (k > 1023) return p * pow2(i32(k) - 600) * 4.149515568880993e180;
  return p * pow2(i32(k));
}

/** 2^k for an integer k in [-1022, 1023], from its bits. */
@inline function pow2(k: i32): f64 {
  return reinterpret<f64>(u64(k + 1023) << 52);
}

/** ln x (the kernels' own, exported for the twin's tests). */
export function sub_log(x: f64): f64 {
  return ownLog(x);
}

/** e^x (the kernels' own, exported for the twin's tests). */
export function sub_exp(x: f64): f64 {
  return ownExp(x);
}

/** One Gamma(shape, 1) draw from the current stream, shape > 0 (Marsaglia & Tsang 2000). */
function gammaDraw(shape: f64): f64 {
  if (shape < 1.0) {
    // Gamma(a) = Gamma(a + 1) U^(1/a): the boost keeps the sampler exact below 1
    const g = gammaDraw(shape + 1.0);
    return g * ownExp(ownLog(uniform()) / shape);
  }
  const d = shape - 1.0 / 3.0, c = 1.0 / Math.sqrt(9.0 * d);
  for (;;) {
    const x = normal();
    let v = 1.0 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const u = uniform();
    const x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (ownLog(u) < 0.5 * x2 + d * (1.0 - v + ownLog(v))) return d * v;
  }
  return d; // unreachable
}

/** out[i] = Gamma(shape, 1) (f64) from the stream (key, block, coordBase + i), i < n. */
export function sub_gamma(keyLo: u32, keyHi: u32, block: u32, coordBase: u32, n: i32, shape: f64, out: usize): void {
  assert(n >= 0 && shape > 0 && shape < 1e15, E_SIZES);
  const key = (u64(keyHi) << 32) | u64(keyLo);
  for (let i = 0; i < n; i++) {
    seedStream(key, block, coordBase + u32(i));
    store<f64>(out + (<usize>i << 3), gammaDraw(shape));
  }
}

/** out[i] = chi2(dof) = 2 Gamma(dof/2) (f64) from the stream (key, block, coordBase + i), i < n. */
export function sub_chi2(keyLo: u32, keyHi: u32, block: u32, coordBase: u32, n: i32, dof: f64, out: usize): void {
  assert(n >= 0 && dof > 0 && dof < 1e15, E_SIZES);
  const key = (u64(keyHi) << 32) | u64(keyLo);
  for (let i = 0; i < n; i++) {
    seedStream(key, block, coordBase + u32(i));
    store<f64>(out + (<usize>i << 3), 2.0 * gammaDraw(0.5 * dof));
  }
}

/**
 * The Bartlett factor of a D×m Gaussian (D >= m): R (f64, m×m row-major, upper triangular, zero
 * below the diagonal) with R_ii = sqrt(chi2(D − i)) and R_ij ~ N(0,1) for j > i. Row i comes from
 * the stream (key, block, BARTLETT_COORD + i): the chi-square draw, then R_i,i+1 ... R_i,m-1.
 */
export function sub_bartlett(keyLo: u32, keyHi: u32, block: u32, m: i32, D: f64, R: usize): void {
  assert(m >= 0 && m <= 65536 && D >= f64(m) && D < 1e15, E_SIZES);
  const key = (u64(keyHi) << 32) | u64(keyLo);
  for (let i = 0; i < m; i++) {
    seedStream(key, block, BARTLETT_COORD + u32(i));
    const row = R + ((<usize>i * <usize>m) << 3);
    for (let j = 0; j < i; j++) store<f64>(row + (<usize>j << 3), 0);
    store<f64>(row + (<usize>i << 3), Math.sqrt(2.0 * gammaDraw(0.5 * (D - f64(i)))));
    for (let j = i + 1; j < m; j++) store<f64>(row + (<usize>j << 3), normal());
  }
}

/** Bytes of scratch sub_grad needs for k columns and m neurons. */
export function sub_grad_scratch_bytes(k: i32, m: i32): usize {
  return ((1024 * <usize>m + <usize>m * <usize>k + <usize>m * <usize>m) << 2) + 64;
}

/**
 * One chunk (rows <= 1024) of the correlation-loss gradient inside the span, and the Gram matrix
 * of the gradient's coefficients, added to running f64 totals:
 *   Z = U·Wᵀ (gemm order), D[t,j] = y_t if Z[t,j] + b_j > 0 else 0 (f32),
 *   P = Dᵀ·U (f32, sequential over the chunk's rows),  G[j,i] += c_j·f64(P[j,i]),  c_j = −f64(a_j)/N,
 *   Q = Dᵀ·D (f32, the same),                        CtC[j,l] += (c_j·c_l)·f64(Q[j,l]).
 * C[t,j] = c_j·D[t,j] is the coefficient of x_t in neuron j's gradient (DESIGN §2.2b), so CtC is CᵀC.
 * U is rows×k (ldu), W m×k (ldw), G m×k (f64, ldg), CtC m×m (f64, row stride m).
 */
export function sub_grad(U: usize, rows: i32, k: i32, ldu: i32, y: usize, W: usize, m: i32, ldw: i32,
  b: usize, a: usize, N: f64, G: usize, ldg: i32, CtC: usize, scratch: usize): void {
  assert(rows >= 0 && k >= 0 && m >= 0 && ldu >= k && ldw >= k && ldg >= k && N > 0, E_SIZES);
  assert(rows <= 1024, E_CHUNK);
  if (rows == 0 || m == 0) return;
  const Ds = (scratch + 15) & ~<usize>15;
  const Ps = Ds + ((1024 * <usize>m) << 2);
  const Qs = Ps + ((<usize>m * <usize>k) << 2);
  gemm_xwt(U, rows, k, ldu, W, m, ldw, Ds, m);
  // four neurons at a time: the lanes' f32 add and ordered compare are the scalar ones, and a false
  // lane's mask clears y to +0 bits, the scalar branch's 0 (so the twin's bits hold)
  const zero = f32x4.splat(0);
  const m4 = m & ~3;
  for (let t = 0; t < rows; t++) {
    const yt = load<f32>(y + (<usize>t << 2));
    const yv = f32x4.splat(yt);
    const z = Ds + ((<usize>t * <usize>m) << 2);
    for (let j = 0; j < m4; j += 4) {
      const o = <usize>j << 2;
      const on = f32x4.gt(f32x4.add(v128.load(z + o), v128.load(b + o)), zero);
      v128.store(z + o, v128.and(on, yv));
    }
    for (let j = m4; j < m; j++) {
      const o = <usize>j << 2;
      store<f32>(z + o, load<f32>(z + o) + load<f32>(b + o) > 0 ? yt : 0);
    }
  }
  gemm_gtx(Ds, rows, m, m, U, k, ldu, Ps, k, 0);
  gemm_gtx_self(Ds, rows, m, m, Qs, m);
  for (let j = 0; j < m; j++) {
    const cj = -f64(load<f32>(a + (<usize>j << 2))) / N;
    const g = G + ((<usize>j * <usize>ldg) << 3), p = Ps + ((<usize>j * <usize>k) << 2);
    for (let i = 0; i < k; i++) {
      const gi = g + (<usize>i << 3);
      store<f64>(gi, load<f64>(gi) + cj * f64(load<f32>(p + (<usize>i << 2))));
    }
    const cc = CtC + ((<usize>j * <usize>m) << 3), q = Qs + ((<usize>j * <usize>m) << 2);
    for (let l = 0; l < m; l++) {
      const cl = -f64(load<f32>(a + (<usize>l << 2))) / N;
      const ci = cc + (<usize>l << 3);
      store<f64>(ci, load<f64>(ci) + (cj * cl) * f64(load<f32>(q + (<usize>l << 2))));
    }
  }
}

/**
 * L (f64, m×m row-major) with L·Lᵀ = A for a symmetric positive semi-definite A (f64, m×m; only
 * read): cyclic Jacobi A = V·Λ·Vᵀ, then L = V·diag(sqrt(max(λ, 0))). Negative eigenvalues (rounding)
 * become 0, so a singular A (a neuron with no active sample) is fine. `work` is 2·m·m f64.
 * Sweeps stop when the off-diagonal mass is below 2^-104 of the total, or after 64 sweeps.
 */
export function sub_psd_sqrt(A: usize, m: i32, L: usize, work: usize): void {
  assert(m >= 0 && m <= 4096, E_SIZES);
  const mm = <usize>m * <usize>m;
  const S = work, V = work + (mm << 3);
  memory.copy(S, A, mm << 3);
  for (let i: usize = 0; i < mm; i++) store<f64>(V + (i << 3), 0);
  for (let i = 0; i < m; i++) store<f64>(V + ((<usize>i * <usize>m + <usize>i) << 3), 1);
  for (let sweep = 0; sweep < 64; sweep++) {
    let off: f64 = 0, tot: f64 = 0;
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) {
        const v = at(S, m, p, q);
        if (p == q) tot += v * v;
        else off += v * v;
      }
    }
    if (off == 0 || off <= 4.930380657631324e-32 * tot) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = at(S, m, p, q);
        if (apq == 0) continue;
        const theta = (at(S, m, q, q) - at(S, m, p, p)) / (2.0 * apq);
        const t = (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
        const c = 1.0 / Math.sqrt(t * t + 1.0), s = t * c;
        // S <- Jᵀ S J with J the rotation in the (p, q) plane; V <- V J
        for (let k = 0; k < m; k++) {
          const skp = at(S, m, k, p), skq = at(S, m, k, q);
          set(S, m, k, p, c * skp - s * skq);
          set(S, m, k, q, s * skp + c * skq);
        }
        for (let k = 0; k < m; k++) {
          const spk = at(S, m, p, k), sqk = at(S, m, q, k);
          set(S, m, p, k, c * spk - s * sqk);
          set(S, m, q, k, s * spk + c * sqk);
        }
        for (let k = 0; k < m; k++) {
          const vkp = at(V, m, k, p), vkq = at(V, m, k, q);
          set(V, m, k, p, c * vkp - s * vkq);
          set(V, m, k, q, s * vkp + c * vkq);
        }
      }
    }
  }
  for (let i = 0; i < m; i++) {
    const lam = at(S, m, i, i);
    const r = lam > 0 ? Math.sqrt(lam) : 0;
    for (let j = 0; j < m; j++) set(L, m, j, i, at(V, m, j, i) * r);
  }
}

@inline function at(M: usize, m: i32, i: i32, j: i32): f64 {
  return load<f64>(M + ((<usize>i * <usize>m + <usize>j) << 3));
}
@inline function set(M: usize, m: i32, i: i32, j: i32, v: f64): void {
  store<f64>(M + ((<usize>i * <usize>m + <usize>j) << 3), v);
}
