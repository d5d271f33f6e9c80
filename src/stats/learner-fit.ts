// The fits of one learner (DESIGN §2.4), from its n*(d) points (stats/grid-rule.ts, which groups
// raw records by (series, d, n)): the psychometric n*₅₀ per d, the exponent against log d and
// against the learner's theory scaling, and Δb between two learners over the d both have.
// Every number travels with its interval and the name of the estimator that made it.
import { log2 } from '../core/math.js';
import type { NStarPoint } from './grid-rule.js';
import { type PsychometricFit, PSYCHOMETRIC_MODEL, fitPsychometric } from './psychometric.js';
import { type ExponentDifference, type ExponentFit, exponentDifference, fitExponent } from './exponent.js';
import { scaling, scalingFor, type ScalingId } from './theory.js';

export interface NStarFit {
  d: number;
  s: number;
  /** The psychometric fit (n50, n50CI, censoring). */
  fit: PsychometricFit;
  /** The √2-grid rule of DESIGN §2.3 on the same records, as a cross-check: n*, or "> N" when censored. */
  grid: { nStar: number | null; censoredAbove: number | null };
}

export interface LearnerFit {
  nstar: NStarFit[];
  /** b in μ_d = a + b·log₂ d; null with fewer than two dimensions. */
  vsD: ExponentFit | null;
  /** b in μ_d = a + b·log₂ x(d) for the learner's theory scaling x (null without one): b ≈ 1 when n* follows it. */
  vsTheory: (ExponentFit & { scaling: ScalingId }) | null;
}

export const ESTIMATOR = {
  nstar: `psychometric probit per d, grid posterior over (μ, σ); lapses fixed at ${PSYCHOMETRIC_MODEL.lapseLo}; flat μ prior, log-normal σ prior (median ${PSYCHOMETRIC_MODEL.sigmaMedian} octaves)`,
  exponent:
    'joint posterior of (a, b) in log2 n*50 = a + b·log2 x(d), flat prior; equal-tailed credible interval at the stated level',
  crossCheck:
    'sqrt(2)-grid rule: smallest visited n from which every larger visited n succeeds in at least half of its trials',
} as const;

/** The psychometric n*50 of every d of one series (any order), ascending in d. */
export function fitNStars(points: readonly NStarPoint[], level = 0.9): NStarFit[] {
  return [...points]
    .sort((a, b) => a.d - b.d)
    .filter((p) => p.perN.length > 0)
    .map((p) => ({
      d: p.d,
      s: p.s,
      fit: fitPsychometric(
        p.perN.map((c) => ({ n: c.n, successes: c.successes, trials: c.seeds })),
        { level },
      ),
      grid: { nStar: p.nStar, censoredAbove: p.censoredAbove },
    }));
}

/** Fits one series (the points of one learner and setting, any order). */
export function fitLearner(points: readonly NStarPoint[], options: { level?: number } = {}): LearnerFit {
  const level = options.level ?? 0.9;
  const pts = [...points].sort((a, b) => a.d - b.d);
  const nstar = fitNStars(pts, level);
  const vsD = fitExponent(
    nstar.map((f) => ({ d: f.d, x: log2(f.d), fit: f.fit })),
    { level },
  );
  const first = pts[0];
  let vsTheory: LearnerFit['vsTheory'] = null;
  if (first) {
    const sid = scalingFor(first.method, first.setting.batch);
    if (sid) {
      const x = scaling(sid).regressor;
      const usable = nstar.flatMap((f) => {
        const v = x.log2(f.d, f.s, first.kStar);
        return v === null ? [] : [{ d: f.d, x: v, fit: f.fit }];
      });
      const e = fitExponent(usable, { level });
      if (e) vsTheory = { ...e, scaling: sid };
    }
  }
  return { nstar, vsD, vsTheory };
}

export interface LearnerComparison {
  /** Δb = b(first) − b(second), both fitted against log d over `ds` only. */
  first: string;
  second: string;
  ds: number[];
  difference: ExponentDifference;
  firstFit: ExponentFit;
  secondFit: ExponentFit;
}

/** Δb between two learners, each refitted over the dimensions both have (null with fewer than two shared). */
export function compareLearners(
  first: { label: string; fit: LearnerFit },
  second: { label: string; fit: LearnerFit },
  options: { level?: number } = {},
): LearnerComparison | null {
  const level = options.level ?? 0.9;
  const shared = first.fit.nstar.map((f) => f.d).filter((d) => second.fit.nstar.some((g) => g.d === d));
  if (shared.length < 2) return null;
  const refit = (fit: LearnerFit) =>
    fitExponent(
      fit.nstar.filter((f) => shared.includes(f.d)).map((f) => ({ d: f.d, x: log2(f.d), fit: f.fit })),
      { level },
    );
  const a = refit(first.fit),
    b = refit(second.fit);
  if (!a || !b) return null;
  return {
    first: first.label,
    second: second.label,
    ds: shared,
    difference: exponentDifference(a.posterior, b.posterior, level),
    firstFit: a,
    secondFit: b,
  };
}
