// The joint model's fits of one learner (DESIGN §2.4b), from its n*(d) points as
// stats/grid-rule.ts groups raw records (the same input as stats/learner-fit.ts, whose per-d fits
// and exponent stay beside these as the cross-check): the exponent against log₂ d and against the
// learner's theory scaling, each with n*₅₀ per d, σ, τ and the per-d line check; the local
// exponents; and Δb between two learners over the d both have.
import { log2 } from '../core/math.js';
import { exponentDifference } from './exponent.js';
import type { NStarPoint } from './grid-rule.js';
import type { Summary } from './grid-summary.js';
import { interval } from './interval.js';
import { type JointDimension, type JointFit, type JointOptions, fitJoint } from './joint-fit.js';
import { type LocalExponents, localExponents } from './local-exponents.js';
import type { TrialCount } from './psychometric.js';
import { type ScalingId, scaling, scalingFor } from './theory.js';

export interface LearnerJointFit {
  /** b in μ_d = a + b·log₂ d + δ_d; null with fewer than two dimensions. */
  vsD: JointFit | null;
  /** b against log₂ x(d), the learner's theory scaling (null without one): b ≈ 1 when n* follows it. */
  vsTheory: (JointFit & { scaling: ScalingId; formula: string }) | null;
  /** Consecutive slopes against log₂ d and against log₂ x(d), and the d_min refits. */
  local: LocalExponents;
}

function cellsOf(p: NStarPoint): TrialCount[] {
  return p.perN.map((c) => ({ n: c.n, successes: c.successes, trials: c.seeds }));
}

/** The theory regressor log₂ x(d) of a point, or null when its learner has no stated scaling. */
function regressorOf(p: NStarPoint): { id: ScalingId; x: number } | null {
  const id = scalingFor(p.method, p.setting.batch);
  if (!id || p.d < 2) return null;
  return { id, x: log2(scaling(id).shape(p.d, p.s, p.kStar)) };
}

/** The joint fits of one series (the points of one learner and setting, any order). */
export function fitLearnerJoint(
  points: readonly NStarPoint[],
  options: Omit<JointOptions, 'tau'> & { sweep?: boolean } = {},
): LearnerJointFit {
  const pts = [...points].filter((p) => p.perN.length > 0).sort((a, b) => a.d - b.d);
  const vsD = fitJoint(
    pts.map((p) => ({ d: p.d, x: log2(p.d), cells: cellsOf(p) })),
    options,
  );
  const regs = pts.map(regressorOf);
  let vsTheory: LearnerJointFit['vsTheory'] = null;
  const id = regs[0]?.id;
  if (id && regs.every((r) => r !== null)) {
    const f = fitJoint(
      pts.map((p, k) => ({ d: p.d, x: regs[k]!.x, cells: cellsOf(p) })),
      options,
    );
    if (f) vsTheory = { ...f, scaling: id, formula: scaling(id).formula };
  }
  const local = localExponents(
    pts.map((p, k) => ({ d: p.d, cells: cellsOf(p), ...(regs[k] ? { regressor: regs[k]!.x } : {}) })),
    { ...(options.level !== undefined ? { level: options.level } : {}), sweep: options.sweep ?? true, joint: options },
  );
  return { vsD, vsTheory, local };
}

export interface JointComparison {
  /** Δb = b(first) − b(second), both refitted against log₂ d over `ds` only. */
  first: string;
  second: string;
  ds: number[];
  delta: Summary;
  /** True when the interval contains 0: the data do not tell the two exponents apart. */
  containsZero: boolean;
  firstFit: JointFit;
  secondFit: JointFit;
}

/**
 * Δb between two learners, each refitted over the dimensions both have (null with fewer than two
 * shared). Their trials are disjoint, so their posteriors of b are independent and the
 * distribution of the difference is the exact convolution of the two grids.
 */
export function compareJoint(
  first: { label: string; dims: readonly JointDimension[] },
  second: { label: string; dims: readonly JointDimension[] },
  options: { level?: number } = {},
): JointComparison | null {
  const level = options.level ?? 0.9;
  const has = (dims: readonly JointDimension[], d: number) => dims.some((p) => p.d === d && p.cells.length > 0);
  const shared = [...new Set(first.dims.map((p) => p.d))]
    .filter((d) => has(first.dims, d) && has(second.dims, d))
    .sort((a, b) => a - b);
  if (shared.length < 2) return null;
  const refit = (dims: readonly JointDimension[]) =>
    fitJoint(
      dims.filter((p) => shared.includes(p.d)).map((p) => ({ ...p, x: log2(p.d) })),
      { level },
    );
  const a = refit(first.dims),
    b = refit(second.dims);
  if (!a || !b) return null;
  const diff = exponentDifference(a.posterior, b.posterior, level);
  return {
    first: first.label,
    second: second.label,
    ds: shared,
    delta: {
      median: diff.delta,
      interval: interval(
        diff.deltaCI.lo,
        diff.deltaCI.hi,
        level,
        'credible (convolution of two independent joint posteriors of b)',
      ),
    },
    containsZero: diff.containsZero,
    firstFit: a,
    secondFit: b,
  };
}

/** The joint dimensions of a series against log₂ d, for compareJoint. */
export function jointDims(points: readonly NStarPoint[]): JointDimension[] {
  return [...points]
    .filter((p) => p.perN.length > 0)
    .sort((a, b) => a.d - b.d)
    .map((p) => ({ d: p.d, x: log2(p.d), cells: cellsOf(p) }));
}
