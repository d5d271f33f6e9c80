// The teacher of DESIGN §2.1: the support and the directions V (exact/flat, exact/gaussian, lq,
// and the placement of the soft family's magnitudes, which src/trial/soft-profile.ts computes),
// and the labels y = sum_terms coef * prod_l h_{deg_l}(z_l) + tau * eps with z = V^T x.
//
// Every draw comes from the `teacher` stream key. Discrete draws (support, signs, group and rank
// permutations) use one scalar xoshiro128** stream per purpose: lane 0 of the lane seeding at
// (key, chunk 0, a reserved coordinate id below). Gaussian entries are the teacher stream's
// virtual matrix at row l (column of V) and coordinate id (row of V), as gauss_fill_cols gives
// them. Data coordinates are < 2^31, so they never collide with the reserved ids.

import { laneState, seedLanes } from "./rng";
import { gauss_fill_cols } from "./gauss";

const SUPPORT_COORD: u32 = 0xfffffff0;
const SIGN_COORD: u32 = 0xfffffff1;
const GROUP_COORD: u32 = 0xfffffff2;
const PERM_COORD: u32 = 0xfffffff3;

const MAX_R: i32 = 16;
const MAX_DEG: i32 = 12;

const E_SIZES = "teacher: sizes out of range (need 1 <= s <= d, 1 <= r <= 16)";
const E_RANK = "teacher: Gram-Schmidt met a zero column (rank-deficient Gaussian draw)";
const E_DEG = "teacher: link degrees must be in [0, 12] and r in [1, 16]";

// ---- one scalar xoshiro128** stream (same algorithm as the lanes, lane 0 only) ----
let q0: u32 = 0, q1: u32 = 0, q2: u32 = 0, q3: u32 = 0;

function scalarSeed(key: u64, coord: u32): void {
  seedLanes(key, 0, coord, coord, coord, coord, laneState);
  q0 = load<u32>(laneState); q1 = load<u32>(laneState, 16); q2 = load<u32>(laneState, 32); q3 = load<u32>(laneState, 48);
}

@inline function nextU32(): u32 {
  const r = rotl<u32>(q1 * 5, 7) * 9;
  const t = q1 << 9;
  q2 ^= q0; q3 ^= q1; q1 ^= q2; q0 ^= q3;
  q2 ^= t; q3 = rotl<u32>(q3, 11);
  return r;
}

// An exactly uniform integer in [0, n), n >= 1: Lemire's multiply-and-reject on u32 draws
// (integer arithmetic only, so the TypeScript twin reproduces it exactly).
function below(n: u32): u32 {
  let m = u64(nextU32()) * u64(n);
  let l = u32(m);
  if (l < n) {
    const threshold: u32 = (<u32>0 - n) % n;
    while (l < threshold) {
      m = u64(nextU32()) * u64(n);
      l = u32(m);
    }
  }
  return u32(m >> 32);
}

/**
 * s distinct coordinates of [0, d), uniformly, in increasing order (Knuth's selection sampling,
 * algorithm S): coordinate i is taken iff below(d - i) < s - taken. Writes s i32 to `out`.
 */
export function teacher_support(keyLo: u32, keyHi: u32, d: i32, s: i32, out: usize): void {
  assert(d >= 1 && s >= 1 && s <= d, E_SIZES);
  scalarSeed((u64(keyHi) << 32) | u64(keyLo), SUPPORT_COORD);
  let taken = 0;
  for (let i = 0; i < d && taken < s; i++) {
    if (below(u32(d - i)) < u32(s - taken)) {
      store<i32>(out + (<usize>taken << 2), i);
      taken++;
    }
  }
}

// perm[0..n) = a uniform permutation of 0..n-1 (Fisher-Yates from the top) from the current stream.
function shuffle(perm: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(perm + (<usize>i << 2), i);
  for (let i = n - 1; i > 0; i--) {
    const j = <i32>below(u32(i + 1));
    const pi = perm + (<usize>i << 2), pj = perm + (<usize>j << 2);
    const a = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, a);
  }
}

/**
 * Flat exact V on s support rows, compact s x r row-major f32. r = 1: +-1/sqrt(s). r > 1: the
 * support positions are shuffled (GROUP stream) and the row at shuffled position p goes to column
 * p mod r, so column l has s_l = floor(s/r) (+1 for l < s mod r) rows of +-1/sqrt(s_l). Signs:
 * one draw per shuffled position in order (SIGN stream), the top bit; for r = 1 the order is the
 * support order. `perm` is i32 scratch of s entries.
 */
export function teacher_v_flat(keyLo: u32, keyHi: u32, s: i32, r: i32, V: usize, perm: usize): void {
  assert(s >= 1 && r >= 1 && r <= MAX_R && r <= s, E_SIZES);
  const key = (u64(keyHi) << 32) | u64(keyLo);
  memory.fill(V, 0, <usize>s * <usize>r * 4);
  if (r > 1) {
    scalarSeed(key, GROUP_COORD);
    shuffle(perm, s);
  } else {
    for (let i = 0; i < s; i++) store<i32>(perm + (<usize>i << 2), i);
  }
  scalarSeed(key, SIGN_COORD);
  const base = s / r, extra = s % r;
  for (let p = 0; p < s; p++) {
    const i = load<i32>(perm + (<usize>p << 2));
    const l = p % r;
    const sign: f64 = (nextU32() >>> 31) != 0 ? -1.0 : 1.0;
    const sl = base + (l < extra ? 1 : 0);
    store<f32>(V + ((<usize>i * <usize>r + <usize>l) << 2), <f32>(sign / Math.sqrt(<f64>sl)));
  }
}

/**
 * Gaussian exact V on the s support rows (compact s x r f32): entry (i, l) starts as the teacher
 * stream's normal at row l and coordinate support[i]; then modified Gram-Schmidt in f64, two
 * passes per column, then normalisation. `work` is f64 scratch of s*r entries.
 */
export function teacher_v_gaussian(keyLo: u32, keyHi: u32, support: usize, s: i32, r: i32, V: usize, work: usize): void {
  assert(s >= 1 && r >= 1 && r <= MAX_R && r <= s, E_SIZES);
  // raw normals land transposed (r x s) in V's own memory before the f64 copy
  gauss_fill_cols(keyLo, keyHi, 0, r, support, 0, s, V, s);
  for (let l = 0; l < r; l++) {
    for (let i = 0; i < s; i++) {
      store<f64>(work + ((<usize>i * <usize>r + <usize>l) << 3), <f64>load<f32>(V + ((<usize>l * <usize>s + <usize>i) << 2)));
    }
  }
  for (let l = 0; l < r; l++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let m = 0; m < l; m++) {
        let dot: f64 = 0;
        for (let i = 0; i < s; i++) dot += qAt(work, r, i, m) * qAt(work, r, i, l);
        for (let i = 0; i < s; i++) {
          const p = work + ((<usize>i * <usize>r + <usize>l) << 3);
          store<f64>(p, load<f64>(p) - dot * qAt(work, r, i, m));
        }
      }
    }
    let nn: f64 = 0;
    for (let i = 0; i < s; i++) { const v = qAt(work, r, i, l); nn += v * v; }
    assert(nn > 0, E_RANK);
    const nrm = Math.sqrt(nn);
    for (let i = 0; i < s; i++) {
      const p = work + ((<usize>i * <usize>r + <usize>l) << 3);
      store<f64>(p, load<f64>(p) / nrm);
    }
  }
  for (let k = 0; k < s * r; k++) store<f32>(V + (<usize>k << 2), <f32>load<f64>(work + (<usize>k << 3)));
}

@inline function qAt(work: usize, r: i32, i: i32, l: i32): f64 {
  return load<f64>(work + ((<usize>i * <usize>r + <usize>l) << 3));
}

// ---- lq: power-law rows ----
// Rank i (1-based) has magnitude i^-gamma and goes to column (i-1) mod r; each column is then
// normalised. Column l's values are computed relative to its first rank f_l = l+1, as
// (i / f_l)^-gamma, so nothing underflows even for very large gamma.

const colSum2 = memory.data(MAX_R * 8, 16);
const colSumQ = memory.data(MAX_R * 8, 16);

// Fills colSum2[l] = sum (i/f_l)^(-2 gamma) and colSumQ[l] = sum (i/f_l)^(-q gamma), i ascending.
function lqColumnSums(d: i32, r: i32, q: f64, gamma: f64): void {
  memory.fill(colSum2, 0, MAX_R * 8);
  memory.fill(colSumQ, 0, MAX_R * 8);
  for (let i = 1; i <= d; i++) {
    const l = (i - 1) % r;
    const lg = Math.log(<f64>i / <f64>(l + 1));
    const p2 = colSum2 + (<usize>l << 3), pq = colSumQ + (<usize>l << 3);
    store<f64>(p2, load<f64>(p2) + Math.exp(-2.0 * gamma * lg));
    store<f64>(pq, load<f64>(pq) + Math.exp(-q * gamma * lg));
  }
}

/** sum_i ||V_i||^q of the lq profile with exponent gamma (the column sums give it in O(d)). */
export function teacher_lq_sum(d: i32, r: i32, q: f64, gamma: f64): f64 {
  assert(d >= 1 && r >= 1 && r <= MAX_R && r <= d, E_SIZES);
  lqColumnSums(d, r, q, gamma);
  let total: f64 = 0;
  for (let l = 0; l < r; l++) {
    total += load<f64>(colSumQ + (<usize>l << 3)) * Math.pow(load<f64>(colSum2 + (<usize>l << 3)), -0.5 * q);
  }
  return total;
}

/** r^(q/2) * base^expo: the lq target, in wasm so no host pow touches a result. */
export function teacher_lq_target(base: f64, expo: f64, r: i32, q: f64): f64 {
  return Math.pow(<f64>r, 0.5 * q) * Math.pow(base, expo);
}

export const LQ_GAMMA_MAX: f64 = 1048576.0;

/**
 * gamma >= 0 with teacher_lq_sum(gamma) = target, by bisection (the sum decreases in gamma from
 * its flat value at 0 towards r). Returns 0 when target >= the flat value and NaN when the target
 * is below what gamma <= LQ_GAMMA_MAX reaches; the wrapper turns both edge cases into errors or
 * accepts them with its own tolerance. Stops when the bracket is below 1e-13 relative.
 */
export function teacher_lq_gamma(d: i32, r: i32, q: f64, target: f64): f64 {
  assert(d >= 1 && r >= 1 && r <= MAX_R && r <= d, E_SIZES);
  if (teacher_lq_sum(d, r, q, 0) <= target) return 0;
  let lo: f64 = 0, hi: f64 = 1;
  while (teacher_lq_sum(d, r, q, hi) > target) {
    lo = hi;
    hi *= 2;
    if (hi > LQ_GAMMA_MAX) return NaN;
  }
  for (let it = 0; it < 200 && hi - lo > 1e-13 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (teacher_lq_sum(d, r, q, mid) > target) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Dense lq V (d x r row-major f32) for exponent gamma: ranks are assigned to coordinates by a
 * uniform permutation (PERM stream; perm[i] = coordinate of rank i+1, left in `perm`), and each
 * rank gets a sign from the SIGN stream in rank order.
 */
export function teacher_lq_fill(keyLo: u32, keyHi: u32, d: i32, r: i32, q: f64, gamma: f64, V: usize, perm: usize): void {
  assert(d >= 1 && r >= 1 && r <= MAX_R && r <= d, E_SIZES);
  const key = (u64(keyHi) << 32) | u64(keyLo);
  lqColumnSums(d, r, q, gamma);
  memory.fill(V, 0, <usize>d * <usize>r * 4);
  scalarSeed(key, PERM_COORD);
  shuffle(perm, d);
  scalarSeed(key, SIGN_COORD);
  for (let i = 1; i <= d; i++) {
    const l = (i - 1) % r;
    const sign: f64 = (nextU32() >>> 31) != 0 ? -1.0 : 1.0;
    const mag = Math.exp(-gamma * Math.log(<f64>i / <f64>(l + 1))) / Math.sqrt(load<f64>(colSum2 + (<usize>l << 3)));
    const c = load<i32>(perm + (<usize>(i - 1) << 2));
    store<f32>(V + ((<usize>c * <usize>r + <usize>l) << 2), <f32>(sign * mag));
  }
}

// ---- soft: magnitudes computed outside, placed here ----

/**
 * Places magnitudes given in rank order (d f32, non-negative, rank i+1 at mags[i]) into a dense
 * V (d x r row-major f32): rank i+1 goes to column i mod r and to the coordinate of a uniform
 * permutation (PERM stream; perm[i] = coordinate of rank i+1, left in `perm`), with a sign per rank
 * from the SIGN stream in rank order, the same draws teacher_lq_fill makes. f32(sign * m) is exact,
 * so the stored |V| are the given magnitudes bit for bit.
 */
export function teacher_place_ranks(keyLo: u32, keyHi: u32, d: i32, r: i32, mags: usize, V: usize, perm: usize): void {
  assert(d >= 1 && r >= 1 && r <= MAX_R && r <= d, E_SIZES);
  const key = (u64(keyHi) << 32) | u64(keyLo);
  memory.fill(V, 0, <usize>d * <usize>r * 4);
  scalarSeed(key, PERM_COORD);
  shuffle(perm, d);
  scalarSeed(key, SIGN_COORD);
  for (let i = 0; i < d; i++) {
    const m = load<f32>(mags + (<usize>i << 2));
    const v: f32 = (nextU32() >>> 31) != 0 ? -m : m;
    const c = load<i32>(perm + (<usize>i << 2));
    store<f32>(V + ((<usize>c * <usize>r + <usize>(i % r)) << 2), v);
  }
}

// ---- labels ----

/**
 * z[t*r + l] += sum_i V[i*r + l] * x[t*ldx + pos_i] in f64, i ascending (pos_i = colPos[i], or i
 * when colPos == 0), for t < rows. Zero entries of V are skipped, which changes no bit (z never
 * holds -0). Calling this over consecutive blocks of V's rows gives the bytes of one call.
 */
export function teacher_project(x: usize, ldx: i32, colPos: usize, nnz: i32, V: usize, r: i32, rows: i32, z: usize): void {
  assert(r >= 1 && r <= MAX_R && nnz >= 0 && rows >= 0, E_SIZES);
  for (let t = 0; t < rows; t++) {
    const xr = x + ((<usize>t * <usize>ldx) << 2);
    const zr = z + ((<usize>t * <usize>r) << 3);
    if (r == 1) {
      let acc = load<f64>(zr);
      for (let i = 0; i < nnz; i++) {
        const v = load<f32>(V + (<usize>i << 2));
        if (v != 0) {
          const pos = colPos == 0 ? i : load<i32>(colPos + (<usize>i << 2));
          acc += <f64>v * <f64>load<f32>(xr + (<usize>pos << 2));
        }
      }
      store<f64>(zr, acc);
    } else {
      for (let i = 0; i < nnz; i++) {
        const pos = colPos == 0 ? i : load<i32>(colPos + (<usize>i << 2));
        const xv = <f64>load<f32>(xr + (<usize>pos << 2));
        const vr = V + ((<usize>i * <usize>r) << 2);
        for (let l = 0; l < r; l++) {
          const v = load<f32>(vr + (<usize>l << 2));
          if (v != 0) {
            const p = zr + (<usize>l << 3);
            store<f64>(p, load<f64>(p) + <f64>v * xv);
          }
        }
      }
    }
  }
}

// h_k(z_l) for the row in flight: hz[l * 16 + k], f64.
const hz = memory.data(MAX_R * 16 * 8, 16);
const maxDeg = memory.data(MAX_R * 4, 16);

/**
 * y[t] = f32( (sum_terms coef_m * prod_l h_{deg[m*r+l]}(z[t*r+l])) + tau * noise[t] ), in f64:
 * each term starts from coef and multiplies its factors for l ascending (degree 0 factors are
 * skipped: they are 1), terms are added in the given order, the noise last. noise == 0: none.
 * Hermite values use the f64 recurrence h_{k+1} = (z h_k) A_k - h_{k-1} B_k with the f64
 * A_k = 1/sqrt(k+1), B_k = sqrt(k/(k+1)).
 */
export function teacher_link(z: usize, r: i32, rows: i32, coefs: usize, degs: usize, nterms: i32, tau: f64, noise: usize, y: usize): void {
  assert(r >= 1 && r <= MAX_R && rows >= 0 && nterms >= 0, E_DEG);
  for (let l = 0; l < r; l++) store<i32>(maxDeg + (<usize>l << 2), 0);
  for (let m = 0; m < nterms; m++) {
    for (let l = 0; l < r; l++) {
      const k = load<i32>(degs + ((<usize>m * <usize>r + <usize>l) << 2));
      assert(k >= 0 && k <= MAX_DEG, E_DEG);
      const p = maxDeg + (<usize>l << 2);
      if (k > load<i32>(p)) store<i32>(p, k);
    }
  }
  for (let t = 0; t < rows; t++) {
    for (let l = 0; l < r; l++) {
      const zv = load<f64>(z + ((<usize>t * <usize>r + <usize>l) << 3));
      const K = load<i32>(maxDeg + (<usize>l << 2));
      const hl = hz + ((<usize>l * 16) << 3);
      let hPrev: f64 = 1.0, h = zv;
      store<f64>(hl, 1.0);
      if (K >= 1) store<f64>(hl, zv, 8);
      for (let k = 1; k < K; k++) {
        const hn = (zv * h) * (1.0 / Math.sqrt(<f64>(k + 1))) - hPrev * Math.sqrt(<f64>k / <f64>(k + 1));
        hPrev = h; h = hn;
        store<f64>(hl + (<usize>(k + 1) << 3), h);
      }
    }
    let acc: f64 = 0;
    for (let m = 0; m < nterms; m++) {
      let term = load<f64>(coefs + (<usize>m << 3));
      for (let l = 0; l < r; l++) {
        const k = load<i32>(degs + ((<usize>m * <usize>r + <usize>l) << 2));
        if (k != 0) term *= load<f64>(hz + ((<usize>l * 16 + <usize>k) << 3));
      }
      acc += term;
    }
    if (noise != 0) acc += tau * <f64>load<f32>(noise + (<usize>t << 2));
    store<f32>(y + (<usize>t << 2), <f32>acc);
  }
}
