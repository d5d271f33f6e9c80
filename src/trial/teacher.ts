// The teacher (DESIGN §2.1): V, its support and the link, made once per (config, seed), and
// sampleRows, which every stage of the pipeline calls to get labelled rows of a data stream.
import { ConfigError } from '../core/errors.js';
import { validateTeacherSpec, type TeacherSpec, type ValidTeacherConfig } from './config.js';
import { streamKey, type StreamKey } from './streams.js';
import { MemoryLimitError, WASM32_MAX_BYTES, type Wasm } from '../wasm/index.js';
import { gaussFillCols, type Coords } from '../kernels/gauss.js';
import {
  NOISE_COORD,
  lqFill,
  lqGamma,
  lqSum,
  lqTarget,
  teacherLink,
  teacherPlaceRanks,
  teacherProject,
  teacherSupport,
  teacherVFlat,
  teacherVGaussian,
} from '../kernels/teacher.js';
import type { Helpers } from '../kernels/helpers.js';
import { SOFT_GAMMA_MAX, softProfile, softTarget, type SoftProfile } from './soft-profile.js';
import type { Entries, LinkTerm, Sparsity } from '../core/types.js';

export interface Teacher {
  readonly config: ValidTeacherConfig;
  readonly d: number;
  /** Support size: round(d^alpha) or the given s. For lq and soft, the number of rows reported as support. */
  readonly s: number;
  readonly r: number;
  readonly sparsity: Sparsity;
  readonly entries: Entries;
  /** V, d x r row-major, orthonormal columns. */
  readonly V: Float32Array;
  /** The s coordinates that matter, sorted: supp(V) for exact, the s largest rows for lq and soft. */
  readonly support: Int32Array;
  /** The rows of V that are nonzero, sorted: = support for exact, all d coordinates for lq and soft. */
  readonly rows: Int32Array;
  /** V restricted to `rows`, |rows| x r row-major (what the label kernels read). */
  readonly Vrows: Float32Array;
  /** The normalised link: terms in canonical order, k*, and the canonical expression. */
  readonly terms: LinkTerm[];
  readonly kStar: number;
  readonly link: string;
  /**
   * lq and soft: the exponent gamma (lq: solved; soft: the config's tail exponent), the target
   * r^(q/2) d^(alpha(1-q/2)) (s^(1-q/2) r^(q/2) when only s is given) and the sum_i ||V_i||^q
   * reached (= the target within 1e-10 for lq, 1e-13 + d 2^-53 for soft, or the flat value when the target
   * is above it). Null for exact.
   */
  readonly gamma: number | null;
  readonly lqTarget: number | null;
  readonly lqSum: number | null;
  /** soft only: c, the plateau end x = c*s in ranks (ranks up to x share the largest magnitude). */
  readonly plateauScale: number | null;
  /**
   * The participation ratio (sum_i ||V_i||^2)^2 / sum_i ||V_i||^4 (for r = 1, ||v||_2^4 / ||v||_4^4):
   * the effective number of rows, s for a flat exact V whose s rows split evenly over the r columns.
   */
  readonly participationRatio: number;
}

// gamma depends on (d, r, q, target) only, not on the seed; solving it costs O(d) per bisection
// step, so trials that share a setting reuse it. The cached value is the kernel's own result.
const gammaCache = new Map<string, number>();

/** Makes the teacher of a config (validated here). Every array returned is a fresh copy. */
export function makeTeacher(w: Wasm, input: unknown): Teacher {
  return buildTeacher(w, validateTeacherSpec(input));
}

/** Makes the teacher of an already validated spec (a trial's, src/trial/config.ts). Every array is a fresh copy. */
export function buildTeacher(w: Wasm, spec: TeacherSpec): Teacher {
  const { config, link } = spec;
  const { d, s, r, sparsity, entries, q } = config;
  if (d * r * 4 >= WASM32_MAX_BYTES) throw new MemoryLimitError(d * r * 4, `the dense ${d} x ${r} matrix V`);
  const key = streamKey(config.seed, 'teacher');
  return w.scoped(() => {
    let support: Int32Array, rows: Int32Array, Vrows: Float32Array, V: Float32Array;
    let gamma: number | null = null,
      target: number | null = null,
      achieved: number | null = null,
      plateauScale: number | null = null,
      pr: number | null = null;
    if (sparsity === 'exact') {
      const sp = w.allocI32(s, 'the support');
      teacherSupport(w, key, d, s, sp);
      support = w.copyI32(sp, s);
      const vp = w.allocF32(s * r, 'V on the support');
      if (entries === 'flat') teacherVFlat(w, key, s, r, vp, w.allocI32(s));
      else teacherVGaussian(w, key, sp, s, r, vp, w.allocF64(s * r));
      Vrows = w.copyF32(vp, s * r);
      rows = support.slice();
      V = new Float32Array(d * r);
      for (let i = 0; i < s; i++) V.set(Vrows.subarray(i * r, (i + 1) * r), support[i]! * r);
    } else if (sparsity === 'soft') {
      const { solution, magnitudes } = softProfileOf(w, config, true);
      const vp = w.allocF32(d * r, 'the soft matrix V'),
        perm = w.allocI32(d, 'the soft rank permutation');
      teacherPlaceRanks(w, key, d, r, w.put(magnitudes!, 'the soft magnitudes'), vp, perm);
      V = w.copyF32(vp, d * r);
      support = topRows(V, w.copyI32(perm, d), r, s);
      rows = Int32Array.from({ length: d }, (_, i) => i);
      Vrows = V.slice();
      gamma = config.gamma!;
      target = solution.target;
      achieved = solution.sum;
      plateauScale = solution.c;
      pr = solution.participationRatio;
    } else {
      // r^(q/2) d^(alpha(1-q/2)) is sum_i ||V_i||^q of a flat V with d^alpha rows split evenly over
      // r columns; with only s given, d^alpha is s. For r = 1 it is DESIGN's d^(alpha(1-q/2)).
      const [base, expo] = config.alpha !== undefined ? [d, config.alpha * (1 - q / 2)] : [s, 1 - q / 2];
      target = lqTarget(w, base, expo, r, q);
      gamma = solveGamma(w, d, r, q, target, config);
      const vp = w.allocF32(d * r, 'the lq matrix V'),
        perm = w.allocI32(d, 'the lq rank permutation');
      lqFill(w, key, d, r, q, gamma, vp, perm);
      V = w.copyF32(vp, d * r);
      achieved = lqSum(w, d, r, q, gamma);
      support = topRows(V, w.copyI32(perm, d), r, s);
      rows = Int32Array.from({ length: d }, (_, i) => i);
      Vrows = V.slice();
    }
    return {
      config,
      d,
      s,
      r,
      sparsity,
      entries,
      V,
      support,
      rows,
      Vrows,
      terms: link.terms,
      kStar: link.kStar,
      link: link.canonical,
      gamma,
      lqTarget: target,
      lqSum: achieved,
      plateauScale,
      participationRatio: pr ?? participationRatio(Vrows, r),
    };
  });
}

/** (sum_i ||V_i||^2)^2 / sum_i ||V_i||^4 over the rows of V (rows x r row-major), in row order. */
export function participationRatio(Vrows: Float32Array, r: number): number {
  let t2 = 0,
    t4 = 0;
  for (let i = 0; i < Vrows.length; i += r) {
    let n2 = 0;
    for (let l = 0; l < r; l++) n2 += Vrows[i + l]! * Vrows[i + l]!;
    t2 += n2;
    t4 += n2 * n2;
  }
  return (t2 * t2) / t4;
}

/**
 * The soft family's profile for a validated config (soft-profile.ts), with the magnitudes when
 * asked; a budget the family cannot meet is a ConfigError. The soft PR comes from here, computed
 * from the magnitudes in rank order, so it is the same number for every seed and on every path.
 */
export function softProfileOf(
  w: Wasm,
  config: Pick<ValidTeacherConfig, 'd' | 's' | 'alpha' | 'r' | 'q' | 'gamma'>,
  magnitudes: boolean,
): SoftProfile {
  const { d, s, alpha, r, q } = config;
  const gamma = config.gamma!;
  const target = softTarget(d, s, alpha, r, q);
  const p = softProfile(d, s, r, q, gamma, target, magnitudes);
  if ('solution' in p) return p;
  // sum ||V_i||^q >= r always (one row per direction), and at x = 1 the profile is lq's power law
  // with this gamma, so the least gamma that reaches the budget is the lq family's exponent.
  const least = target > r * (1 + 1e-9) ? lqGamma(w, d, r, q, target) : NaN;
  const [field, value] = alpha !== undefined ? ['alpha', alpha] : ['s', s];
  if (!(least < SOFT_GAMMA_MAX)) {
    throw new ConfigError(
      field,
      value,
      `a sparsity the soft family can reach at d = ${d}, q = ${q}, r = ${r}: the budget sum ||V_i||^q = ${target.toPrecision(6)} ${Number.isFinite(least) ? `needs gamma above ${least.toPrecision(4)}, beyond the largest, ${SOFT_GAMMA_MAX}` : 'must exceed r (one row per direction)'}`,
    );
  }
  throw new ConfigError(
    'gamma',
    gamma,
    `above ${least.toPrecision(4)} at d = ${d}, ${field} = ${value}, q = ${q}, r = ${r}: the budget sum ||V_i||^q = ${target.toPrecision(6)} is below ${p.floor.toPrecision(6)}, what the tail i^-gamma alone (no plateau) already spends; ${least.toPrecision(4)} is the lq family's exponent for this budget (or raise ${field} or d)`,
  );
}

function solveGamma(w: Wasm, d: number, r: number, q: number, target: number, config: ValidTeacherConfig): number {
  const cacheKey = `${d},${r},${q},${target}`;
  const hit = gammaCache.get(cacheKey);
  if (hit !== undefined) return hit;
  // At or above the flat value the profile is flat (gamma = 0). For alpha <= 1 this happens only
  // near alpha = 1 when r does not divide d: unequal columns make the flat sum fall a little short
  // of r^(q/2) d^(1-q/2).
  // Below, the sum falls towards r as gamma grows and reaches it only in the limit (one row per
  // column); a target that close would need a gamma where the other rows underflow.
  const gamma = target >= lqSum(w, d, r, q, 0) ? 0 : target <= r * (1 + 1e-9) ? NaN : lqGamma(w, d, r, q, target);
  if (!Number.isFinite(gamma)) {
    const [field, value] = config.alpha !== undefined ? ['alpha', config.alpha] : ['s', config.s];
    throw new ConfigError(
      field,
      value,
      `a sparsity the lq family can reach with r = ${r}: sum ||V_i||^q = ${target} must exceed r (one row per direction), so d^alpha must exceed r`,
    );
  }
  if (gammaCache.size >= 256) gammaCache.delete(gammaCache.keys().next().value!);
  gammaCache.set(cacheKey, gamma);
  return gamma;
}

// The s rows of largest norm, sorted by coordinate. Within a column magnitudes fall with rank, so
// this is an r-way merge of the columns' rank lists (O(s r)); ties go to the lower rank.
function topRows(V: Float32Array, perm: Int32Array, r: number, s: number): Int32Array {
  const mag = (rank: number) => Math.abs(V[perm[rank]! * r + (rank % r)]!);
  const next = Array.from({ length: r }, (_, l) => l); // 0-based rank at the head of column l
  const out = new Int32Array(s);
  for (let k = 0; k < s; k++) {
    let best = -1;
    for (let l = 0; l < r; l++) {
      const rank = next[l]!;
      if (rank >= perm.length) continue;
      if (best < 0 || mag(rank) > mag(next[best]!) || (mag(rank) === mag(next[best]!) && rank < next[best]!)) best = l;
    }
    out[k] = perm[next[best]!]!;
    next[best]! += r;
  }
  return out.sort();
}

/** Bytes of scratch sampleRows may use for generated columns of V's rows at a time. */
export const LABEL_BLOCK_BYTES = 16 << 20;

/**
 * Labelled rows [rowStart, rowStart + rows) of the data stream `key`:
 *  - X: when `coords` is given, x[t, coords] is written to xPtr (row-major, leading dimension ld),
 *    exactly as gauss_fill_cols writes it;
 *  - y: written to yPtr (rows f32), y_t = sigma*(V^T x_t) + tau eps_t, where eps_t is the normal at
 *    coordinate NOISE_COORD of the same stream (drawn here, by the caller side of the kernel).
 * y depends only on the rows of V and the noise coordinate, never on `coords`: when coords holds
 * every row of V, V^T x is read from X; otherwise those columns are generated in blocks of at most
 * `blockBytes` (at least one column), in the same order, so the bytes of y are the same either way.
 * Splitting a pass into chunk-aligned calls gives the same bytes as one call (rows are independent).
 * With `helpers`, the fill of X may be split over helper threads (gaussFillCols): the same bytes.
 */
export function sampleRows(
  w: Wasm,
  teacher: Teacher,
  key: StreamKey,
  rowStart: number,
  rows: number,
  coords: Coords | null,
  xPtr: number,
  ld: number,
  yPtr: number,
  blockBytes = LABEL_BLOCK_BYTES,
  helpers: Helpers | null = null,
): void {
  if (coords && coords.n > 0) gaussFillCols(w, key, rowStart, rows, coords, xPtr, ld, helpers);
  if (rows === 0) return;
  const { r, terms, Vrows } = teacher;
  const ids = teacher.rows;
  const nnz = ids.length;
  w.scoped(() => {
    const noise = w.allocF32(rows, 'label noise');
    gaussFillCols(w, key, rowStart, rows, { ptr: w.put(Uint32Array.of(NOISE_COORD)), n: 1 }, noise, 1);
    const z = w.allocF64(rows * r, 'the projections V^T x');
    w.f64.fill(0, z >>> 3, (z >>> 3) + rows * r);
    const vp = w.put(Vrows, 'V on its rows');
    const pos = coords && coords.n > 0 ? positionsIn(w, coords, ids) : null;
    if (pos) {
      teacherProject(w, xPtr, ld, w.put(pos), nnz, vp, r, rows, z);
    } else {
      const idp = w.put(ids, 'the rows of V');
      const block = Math.max(1, Math.min(nnz, Math.floor(blockBytes / (rows * 4))));
      const xb = w.allocF32(rows * block, 'a block of V-row columns');
      for (let b0 = 0; b0 < nnz; b0 += block) {
        const nb = Math.min(block, nnz - b0);
        gaussFillCols(w, key, rowStart, rows, { ptr: idp + b0 * 4, n: nb }, xb, nb);
        teacherProject(w, xb, nb, 0, nb, vp + b0 * r * 4, r, rows, z);
      }
    }
    const nt = terms.length;
    const coefs = w.put(Float64Array.from(terms, (t) => t.coef));
    const degs = w.put(Int32Array.from(terms.flatMap((t) => t.degrees)));
    teacherLink(w, z, r, rows, coefs, degs, nt, teacher.config.noise, noise, yPtr);
  });
}

// The column of each id in the sorted coordinate list, or null when some id is missing.
function positionsIn(w: Wasm, coords: Coords, ids: Int32Array): Int32Array | null {
  const pos = new Int32Array(ids.length);
  if ('base' in coords) {
    for (let i = 0; i < ids.length; i++) {
      const p = ids[i]! - coords.base;
      if (p < 0 || p >= coords.n) return null;
      pos[i] = p;
    }
    return pos;
  }
  const c = w.u32.subarray(coords.ptr >>> 2, (coords.ptr >>> 2) + coords.n);
  let j = 0;
  for (let i = 0; i < ids.length; i++) {
    while (j < c.length && c[j]! < ids[i]!) j++;
    if (j === c.length || c[j] !== ids[i]) return null;
    pos[i] = j;
  }
  return pos;
}
