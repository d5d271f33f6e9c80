// The reference scalings and CSQ lower bounds of DESIGN §2.3 as functions of (d, s, k*).
// Each has a shape (its value with constant C = 1), its formula at a given k*, the regressor x(d)
// an exponent is fitted against (the shape itself), and a stated slope in d for s = d^alpha. Plots
// draw a reference as "stated shape, constant fitted to the measured points" (fitConstant), so
// nothing measured is ever written into this file. Every consumer reads these fields; nobody parses
// a formula string.
import { ConfigError } from '../core/errors.js';
import { exp, log, log2, pow } from '../core/math.js';
import { DENSE_LEARNER, PRUNED_LEARNERS } from '../core/rules.js';
import type { Batch, Method } from '../core/types.js';

/**
 * What an exponent is fitted against: log₂ x(d) for a teacher (d, s, k*). `id` is 'd' for x = d or
 * the scaling whose shape x is; `text(k*)` is x written out, e.g. "s²·log d".
 */
export interface Regressor {
  readonly id: 'd' | ScalingId;
  text(kStar: number): string;
  /** log₂ x(d), or null where x is not defined (log d ≤ 0 below d = 2). */
  log2(d: number, s: number, kStar: number): number | null;
}

/** x = d: the exponent of n* against d itself. */
export const LOG_D: Regressor = Object.freeze({
  id: 'd' as const,
  text: () => 'd',
  log2: (d: number) => (d > 0 ? log2(d) : null),
});

const SUPS = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
/** An exponent as superscript: 2 -> "²", 1 -> "", 1.5 -> "^1.5". */
export function sup(k: number): string {
  if (k === 1) return '';
  if (Number.isInteger(k) && k >= 0)
    return String(k)
      .split('')
      .map((c) => SUPS[Number(c)]!)
      .join('');
  return `^${k}`;
}

export type ScalingId = 'pruned' | 'dense-reuse' | 'dense-fresh' | 'csq-rotation' | 'csq-sparse';

export interface StatedSlope {
  /** The exponent of d in the scaling when s = d^alpha, log factors left out. */
  slope: number;
  /** True when the scaling is only a floor ("at least d"): the measured slope may be larger. */
  atLeast: boolean;
  /** True when a log d factor rides on top (the local slope is larger by 1/ln d). */
  plusLog: boolean;
}

export interface Scaling {
  id: ScalingId;
  /** Who it describes, as the report's legend says it. */
  label: string;
  /** The formula in plain text (Unicode), e.g. "C·s^k*·log d". */
  formula: string;
  /** The formula at one k*, e.g. "C·s²·log d". */
  formulaAt(kStar: number): string;
  /** x(d) = the shape, as the regressor an exponent is fitted against (b = 1 when n* follows the scaling). */
  regressor: Regressor;
  /** `estimate`: what a learner is expected to need; `lower-bound`: what no CSQ learner can beat. */
  kind: 'estimate' | 'lower-bound';
  /** The scaling without its constant (C = 1) at one teacher. */
  shape(d: number, s: number, kStar: number): number;
  /** The slope in d for s = d^alpha (alpha null: s does not grow with d). */
  statedSlope(kStar: number, alpha: number | null): StatedSlope;
}

function checkArgs(d: number, s: number, kStar: number): void {
  if (!(Number.isFinite(d) && d >= 1)) throw new ConfigError('d', d, 'a number >= 1');
  if (!(Number.isFinite(s) && s >= 1 && s <= d)) throw new ConfigError('s', s, `a number in [1, d = ${d}]`);
  if (!(Number.isInteger(kStar) && kStar >= 1)) throw new ConfigError('kStar', kStar, 'an integer >= 1');
}

function shapeRegressor(
  id: ScalingId,
  text: (kStar: number) => string,
  at: (d: number, s: number, kStar: number) => number | null,
): Regressor {
  return Object.freeze({ id, text, log2: (d: number, s: number, k: number) => (d >= 1 ? at(d, s, k) : null) });
}

const SCALINGS: Record<ScalingId, Scaling> = {
  pruned: {
    id: 'pruned',
    label: 'pruned (hermite, hermite-thr, oracle)',
    formula: 'C·s^k*·log d',
    formulaAt: (k) => `C·s${sup(k)}·log d`,
    regressor: shapeRegressor(
      'pruned',
      (k) => `s${sup(k)}·log d`,
      (d, s, k) => (d >= 2 ? log2(pow(s, k) * log(d)) : null),
    ),
    kind: 'estimate',
    shape(d, s, k) {
      checkArgs(d, s, k);
      return pow(s, k) * log(d);
    },
    statedSlope: (k, alpha) => ({ slope: (alpha ?? 0) * k, atLeast: false, plusLog: true }),
  },
  'dense-reuse': {
    id: 'dense-reuse',
    label: 'dense, reused batch',
    formula: 'C·d (k* ≤ 2); at least C·d (k* > 2)',
    formulaAt: (k) => (k <= 2 ? 'C·d' : '≥ C·d'),
    regressor: shapeRegressor(
      'dense-reuse',
      () => 'd',
      (d) => log2(d),
    ),
    kind: 'estimate',
    shape(d, s, k) {
      checkArgs(d, s, k);
      return d;
    },
    statedSlope: (k) => ({ slope: 1, atLeast: k > 2, plusLog: false }),
  },
  'dense-fresh': {
    id: 'dense-fresh',
    label: 'dense, fresh batches (online)',
    formula: 'C·d^max(1, k*−1)',
    formulaAt: (k) => `C·d${sup(Math.max(1, k - 1))}`,
    regressor: shapeRegressor(
      'dense-fresh',
      (k) => `d${sup(Math.max(1, k - 1))}`,
      (d, _s, k) => Math.max(1, k - 1) * log2(d),
    ),
    kind: 'estimate',
    shape(d, s, k) {
      checkArgs(d, s, k);
      return pow(d, Math.max(1, k - 1));
    },
    statedSlope: (k) => ({ slope: Math.max(1, k - 1), atLeast: false, plusLog: false }),
  },
  'csq-rotation': {
    id: 'csq-rotation',
    label: 'rotation-invariant CSQ lower bound',
    formula: 'd^(k*/2)',
    formulaAt: (k) => `d${sup(k / 2)}`,
    regressor: shapeRegressor(
      'csq-rotation',
      (k) => `d${sup(k / 2)}`,
      (d, _s, k) => (k / 2) * log2(d),
    ),
    kind: 'lower-bound',
    shape(d, s, k) {
      checkArgs(d, s, k);
      return pow(d, k / 2);
    },
    statedSlope: (k) => ({ slope: k / 2, atLeast: false, plusLog: false }),
  },
  'csq-sparse': {
    id: 'csq-sparse',
    label: 'sparsity-aware CSQ lower bound',
    formula: 'min(s^k*, d^(k*/2))',
    formulaAt: (k) => `min(s${sup(k)}, d${sup(k / 2)})`,
    regressor: shapeRegressor(
      'csq-sparse',
      (k) => `min(s${sup(k)}, d${sup(k / 2)})`,
      (d, s, k) => log2(Math.min(pow(s, k), pow(d, k / 2))),
    ),
    kind: 'lower-bound',
    shape(d, s, k) {
      checkArgs(d, s, k);
      return Math.min(pow(s, k), pow(d, k / 2));
    },
    statedSlope: (k, alpha) => ({ slope: Math.min((alpha ?? 0) * k, k / 2), atLeast: false, plusLog: false }),
  },
};

/** All five, in the order of DESIGN §2.3's table. */
export function referenceScalings(): Scaling[] {
  return (['pruned', 'dense-reuse', 'dense-fresh', 'csq-rotation', 'csq-sparse'] as const).map((id) => SCALINGS[id]);
}

export function scaling(id: ScalingId): Scaling {
  const s = SCALINGS[id];
  if (!s) throw new ConfigError('scaling', id, `one of ${Object.keys(SCALINGS).join(', ')}`);
  return s;
}

/**
 * The scaling a learner is compared with: pruned masks (`hermite`, `hermite-thr`, and `oracle` as
 * their ideal) against C·s^k*·log d; the dense baseline against its reuse or fresh scaling. The
 * controls (`random`, `gradmag`) have no stated scaling: null.
 */
export function scalingFor(method: Method, batch: Batch): ScalingId | null {
  if (PRUNED_LEARNERS.includes(method) || method === 'oracle') return 'pruned';
  if (method === DENSE_LEARNER) return batch === 'fresh' ? 'dense-fresh' : 'dense-reuse';
  return null;
}

export interface Measured {
  d: number;
  s: number;
  kStar: number;
  nStar: number | null;
}

export interface ConstantFit {
  /** The fitted constant: n* ≈ C·shape(d, s, k*). */
  C: number;
  /** Points used (censored points, nStar null, are left out). */
  points: number;
}

/**
 * Fit only the constant of a scaling to measured points, the slope staying the stated one:
 * ln C = mean(ln n* − ln shape), least squares in log space. Null when no point is uncensored.
 */
export function fitConstant(id: ScalingId, points: readonly Measured[]): ConstantFit | null {
  const sc = scaling(id);
  const r: number[] = [];
  for (const p of points) {
    if (p.nStar === null || !(p.nStar > 0)) continue;
    r.push(log(p.nStar) - log(sc.shape(p.d, p.s, p.kStar)));
  }
  if (r.length === 0) return null;
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  return { C: exp(mean), points: r.length };
}

/** The reference C·shape at each teacher, for drawing (one point per given (d, s, k*)). */
export function referenceCurve(
  id: ScalingId,
  C: number,
  at: readonly { d: number; s: number; kStar: number }[],
): { d: number; n: number }[] {
  const sc = scaling(id);
  return at.map((p) => ({ d: p.d, n: C * sc.shape(p.d, p.s, p.kStar) }));
}

/** "α·k*" style text of a stated slope for legends, e.g. "0.5 (+ log)" or "≥ 1". */
export function formatStatedSlope(st: StatedSlope, digits = 2): string {
  const v = Number(st.slope.toFixed(digits)).toString();
  return `${st.atLeast ? '≥ ' : ''}${v}${st.plusLog ? ' (+ log d)' : ''}`;
}
