// A claim's measurement and verdict from trial records (DESIGN §2.5): the series the claim's rule
// names are picked out of the records, fitted with the primary estimator (the joint model of
// DESIGN §2.4b: stats/joint-fit.ts, stats/learner-joint.ts, its local exponents), and each
// condition is judged by stats/verdict.ts against the range the registry fixed before any data.
// Only C7's per-d comparison of two learners reads each d's own psychometric fit.
import type { Method, TrialRecord } from '../core/types.js';
import { exponentDifference } from '../stats/exponent.js';
import { groupSeries, scoreNStar, type NStarPoint } from '../stats/grid-rule.js';
import { type Interval, interval } from '../stats/interval.js';
import { fitNStars } from '../stats/learner-fit.js';
import type { GridPosterior } from '../stats/psychometric.js';
import { scaling } from '../stats/theory.js';
import { fitJoint } from '../stats/joint-fit.js';
import { compareJoint, fitLearnerJoint, jointDims } from '../stats/learner-joint.js';
import { type PredictedRange, type Verdict, combine, crossing, judge, predictedRange } from '../stats/verdict.js';
import { parseLink } from '../trial/link.js';
import type { ClaimDef, Rule, Tier } from './claims.js';
import type { Setting } from './presets.js';

export interface Condition {
  label: string;
  /** The point estimate (posterior median) and its interval; null when not measured. */
  measured: number | null;
  interval: Interval | null;
  range: PredictedRange;
  verdict: Verdict;
  reason: string;
  /** The dimensions the measurement rests on. */
  ds: number[];
}

export interface ClaimResult {
  id: string;
  title: string;
  statement: string;
  source: string;
  prediction: string;
  tier: Tier;
  verdict: Verdict;
  conditions: Condition[];
  /** Trials the verdict rests on. */
  trials: number;
  /** C4: Δb at each α, for the figure. */
  alphaPoints?: AlphaPoint[];
}

const LEVEL = 0.9;

/** The canonical link of a setting (records carry the canonical form). */
function canonicalLink(s: Setting): string | undefined {
  return s.link === undefined ? undefined : parseLink(s.link, s.r ?? 1).canonical;
}

/** True when a series' setting has every field `want` fixes (the link compared in canonical form). */
function matches(point: NStarPoint, method: Method, want: Setting): boolean {
  if (point.method !== method) return false;
  const have = point.setting as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(want)) {
    if (k === 'link') {
      if (have.link !== canonicalLink(want)) return false;
    } else if (k === 'alpha') {
      if (have.alpha !== v) return false;
    } else if (k === 'sim') {
      // the simulation is how a trial was computed, not what it measures: not part of a series
    } else if (have[k] !== v) return false;
  }
  // fields the claim leaves open must be at their defaults, so a sweep over batch does not mix in
  if (want.batch === undefined && have.batch !== 'reuse') return false;
  return true;
}

interface Series {
  points: NStarPoint[];
  trials: number;
}

function seriesOf(points: readonly NStarPoint[][], method: Method, want: Setting): Series | null {
  const found = points.find((g) => g[0] && matches(g[0], method, want));
  if (!found) return null;
  return { points: found, trials: found.reduce((k, p) => k + p.perN.reduce((j, c) => j + c.seeds, 0), 0) };
}

/** The effective support at each d: the participation ratio soft records carry, else s. */
function effectiveS(records: readonly TrialRecord[], d: number, s: number): number {
  const pr = records.find(
    (r) => r.config.d === d && typeof (r.metrics as { participationRatio?: unknown }).participationRatio === 'number',
  );
  return pr ? ((pr.metrics as unknown as { participationRatio: number }).participationRatio as number) : s;
}

const missing = (label: string, range: PredictedRange, what: string): Condition => ({
  label,
  measured: null,
  interval: null,
  range,
  verdict: 'inconclusive',
  reason: `not measured: ${what}`,
  ds: [],
});

function scalingConditions(
  rule: Extract<Rule, { kind: 'scaling' }>,
  groups: NStarPoint[][],
  records: readonly TrialRecord[],
): { conditions: Condition[]; trials: number } {
  const conditions: Condition[] = [];
  let trials = 0;
  const tol = rule.tolerance;
  const slopeRange = predictedRange(1 - tol, 1 + tol, `[${1 - tol}, ${1 + tol}] (theory 1)`);
  const deltaRange = predictedRange(-Infinity, 0, 'below 0');
  for (const setting of rule.settings) {
    const name = canonicalLink(setting) ?? '';
    const pruned = seriesOf(groups, rule.pruned, setting);
    const dense = seriesOf(groups, rule.dense, setting);
    trials += (pruned?.trials ?? 0) + (dense?.trials ?? 0);
    const k = pruned?.points[0]?.kStar ?? 2;
    const regressor = scaling('pruned').regressor;
    const soft = (setting as { sparsity?: string }).sparsity === 'soft';
    const xLabel = soft ? `s_eff${k === 2 ? '²' : k === 3 ? '³' : `^${k}`}·log d` : regressor.text(k);
    const label = `${name}: pruned exponent vs log(${xLabel})`;
    // against the theory regressor, with s_eff = the participation ratio for a soft teacher
    const prunedRecords = records.filter((r) => r.config.method === rule.pruned);
    const dims = pruned
      ? jointDims(pruned.points).flatMap((dim) => {
          const p = pruned.points.find((q) => q.d === dim.d)!;
          const x = regressor.log2(p.d, soft ? effectiveS(prunedRecords, p.d, p.s) : p.s, k);
          return x === null ? [] : [{ ...dim, x }];
        })
      : [];
    const e = dims.length >= 2 ? fitJoint(dims, { level: LEVEL }) : null;
    if (!e) conditions.push(missing(label, slopeRange, `${rule.pruned} at two or more d`));
    else
      conditions.push({
        label,
        measured: e.exponent.median,
        interval: e.exponent.interval,
        range: slopeRange,
        ...judge(e.exponent.interval, slopeRange, e.unbounded ? 'the interval reaches the prior bound of b' : null),
        ds: dims.map((x) => x.d),
      });
    const dLabel = `${name}: Δb = b(${rule.pruned}) − b(${rule.dense}) over the shared d`;
    const c =
      pruned && dense
        ? compareJoint(
            { label: rule.pruned, dims: jointDims(pruned.points) },
            { label: rule.dense, dims: jointDims(dense.points) },
            { level: LEVEL },
          )
        : null;
    if (!c) conditions.push(missing(dLabel, deltaRange, 'both learners at two or more shared d'));
    else
      conditions.push({
        label: dLabel,
        measured: c.delta.median,
        interval: c.delta.interval,
        range: deltaRange,
        ...judge(
          c.delta.interval,
          deltaRange,
          c.firstFit.unbounded || c.secondFit.unbounded ? 'an exponent reaches its prior bound' : null,
        ),
        ds: c.ds,
      });
  }
  return { conditions, trials };
}

export interface AlphaPoint {
  alpha: number;
  delta: number;
  interval: Interval;
  ds: number[];
}

function thresholdConditions(
  rule: Extract<Rule, { kind: 'threshold' }>,
  groups: NStarPoint[][],
): { conditions: Condition[]; trials: number; alphaPoints: AlphaPoint[] } {
  const tol = rule.tolerance;
  const range = predictedRange(
    rule.predicted - tol,
    rule.predicted + tol,
    `[${rule.predicted - tol}, ${rule.predicted + tol}] (theory ${rule.predicted})`,
  );
  const label = 'α_c, where Δb(α) crosses 0';
  const dense = seriesOf(groups, rule.dense, rule.denseSetting);
  let trials = dense?.trials ?? 0;
  const alphaPoints: AlphaPoint[] = [];
  const posts: { alpha: number; first: GridPosterior; second: GridPosterior }[] = [];
  for (const alpha of rule.alphas) {
    const p = seriesOf(groups, rule.pruned, { ...rule.setting, alpha });
    if (!p || !dense) continue;
    trials += p.trials;
    const c = compareJoint(
      { label: 'pruned', dims: jointDims(p.points) },
      { label: 'dense', dims: jointDims(dense.points) },
      { level: LEVEL },
    );
    if (!c) continue;
    posts.push({ alpha, first: c.firstFit.posterior, second: c.secondFit.posterior });
    alphaPoints.push({ alpha, delta: c.delta.median, interval: c.delta.interval, ds: c.ds });
  }
  if (posts.length < 2) return { conditions: [missing(label, range, 'Δb at two or more α')], trials, alphaPoints };
  // one dense series serves every α (rotation invariant: its law does not depend on α), so when
  // every α shares its d its posterior is drawn once per replicate
  const sameDense = alphaPoints.every((x) => x.ds.join() === alphaPoints[0]!.ds.join());
  const cr = crossing(
    posts.map((x) => x.alpha),
    posts.map((x) => x.first),
    sameDense ? posts[0]!.second : posts.map((x) => x.second),
    { level: LEVEL, seed: 1 },
  );
  const j = cr.interval
    ? judge(cr.interval, range)
    : {
        verdict: 'inconclusive' as const,
        reason: `no rising crossing in most draws (${(cr.crossingShare * 100).toFixed(0)}% of draws cross)`,
      };
  return {
    conditions: [{ label, measured: cr.alphaC, interval: cr.interval, range, ...j, ds: alphaPoints[0]?.ds ?? [] }],
    trials,
    alphaPoints,
  };
}

function localConditions(
  rule: Extract<Rule, { kind: 'local-exponent' }>,
  groups: NStarPoint[][],
): { conditions: Condition[]; trials: number } {
  const range = predictedRange(
    rule.atLeast,
    Infinity,
    `at least ${rule.atLeast} (CSQ bound k*/2; online SGD ${rule.reference})`,
  );
  const label = `local exponent of ${rule.learner} (fresh batches) between its two largest d`;
  const s = seriesOf(groups, rule.learner, rule.setting);
  const slopes = s ? fitLearnerJoint(s.points, { level: LEVEL, sweep: false }).local.vsD : [];
  const top = slopes[slopes.length - 1];
  if (!s || !top)
    return { conditions: [missing(label, range, `${rule.learner} at two or more d`)], trials: s?.trials ?? 0 };
  // a top d open above leaves the slope a lower bound, which can still meet "at least"
  const iv =
    top.censored === 'above'
      ? interval(top.interval.lo, Infinity, top.interval.level, top.interval.method)
      : top.interval;
  const j = judge(iv, range, top.censored === 'below' ? 'an end of the slope is open below' : null);
  return {
    conditions: [{ label, measured: top.slope, interval: iv, range, ...j, ds: [top.dFrom, top.dTo] }],
    trials: s.trials,
  };
}

function controlConditions(
  rule: Extract<Rule, { kind: 'controls' }>,
  groups: NStarPoint[][],
): { conditions: Condition[]; trials: number } {
  const conditions: Condition[] = [];
  const mag = seriesOf(groups, rule.magnitude, rule.setting);
  const dense = seriesOf(groups, rule.dense, rule.setting);
  const random = seriesOf(groups, rule.random, rule.setting);
  const above = predictedRange(0, Infinity, 'above 0 (more samples than dense)');
  const magFits = mag ? fitNStars(mag.points, LEVEL) : [];
  const denseFits = dense ? fitNStars(dense.points, LEVEL) : [];
  const shared = magFits.filter((f) => denseFits.some((g) => g.d === f.d));
  const what = `log₂ n*50(${rule.magnitude}) − log₂ n*50(${rule.dense})`;
  if (shared.length === 0) conditions.push(missing(what, above, 'both at a shared d'));
  for (const f of shared) {
    const g = denseFits.find((x) => x.d === f.d)!;
    const diff = exponentDifference(f.fit.muPosterior, g.fit.muPosterior, LEVEL);
    const open = f.fit.censored === 'above';
    const iv = interval(
      diff.deltaCI.lo,
      open ? Infinity : diff.deltaCI.hi,
      LEVEL,
      'credible (difference of the two μ posteriors, each d alone)',
    );
    conditions.push({
      label: `d = ${f.d}: ${what}`,
      measured: diff.delta,
      interval: iv,
      range: above,
      ...judge(iv, above, g.fit.censored ? 'the dense n*50 is open' : null),
      ds: [f.d],
    });
  }
  const never = predictedRange(1, 1, 'every d censored: no success below the cap');
  if (!random) conditions.push(missing(`${rule.random}: censored at every d`, never, `${rule.random} trials`));
  else {
    const fits = fitNStars(random.points, LEVEL);
    const open = fits.filter((f) => f.fit.censored === 'above').length;
    const successes = random.points.reduce((k, p) => k + p.perN.reduce((j, c) => j + c.successes, 0), 0);
    const verdict: Verdict =
      open === fits.length && fits.length > 0
        ? 'holds'
        : fits.some((f) => f.fit.censored === null)
          ? 'fails'
          : 'inconclusive';
    conditions.push({
      label: `${rule.random}: censored at every d`,
      measured: open / Math.max(1, fits.length),
      interval: null,
      range: never,
      verdict,
      reason: `${open} of ${fits.length} d censored above the largest n tried (${successes} successes in ${random.trials} trials)`,
      ds: fits.map((f) => f.d),
    });
  }
  return { conditions, trials: (mag?.trials ?? 0) + (dense?.trials ?? 0) + (random?.trials ?? 0) };
}

function belowConditions(
  rule: Extract<Rule, { kind: 'below' }>,
  groups: NStarPoint[][],
): { conditions: Condition[]; trials: number } {
  const range = predictedRange(-Infinity, rule.below, `below ${rule.below} (the CSQ bound k*/2)`);
  const label = `${rule.learner} exponent vs log d, reused batches`;
  const s = seriesOf(groups, rule.learner, rule.setting);
  const e = s ? fitJoint(jointDims(s.points), { level: LEVEL }) : null;
  if (!s || !e)
    return { conditions: [missing(label, range, `${rule.learner} at two or more d`)], trials: s?.trials ?? 0 };
  return {
    conditions: [
      {
        label,
        measured: e.exponent.median,
        interval: e.exponent.interval,
        range,
        ...judge(e.exponent.interval, range, e.unbounded ? 'the interval reaches the prior bound of b' : null),
        ds: e.points.map((p) => p.d),
      },
    ],
    trials: s.trials,
  };
}

/** Measures and judges one claim on `records` (any superset of its experiments' records). */
export function claimVerdict(claim: ClaimDef, records: readonly TrialRecord[], tier: Tier): ClaimResult {
  const groups = groupSeries(scoreNStar(records));
  const rule = claim.rule;
  const out =
    rule.kind === 'scaling'
      ? scalingConditions(rule, groups, records)
      : rule.kind === 'threshold'
        ? thresholdConditions(rule, groups)
        : rule.kind === 'local-exponent'
          ? localConditions(rule, groups)
          : rule.kind === 'controls'
            ? controlConditions(rule, groups)
            : belowConditions(rule, groups);
  return {
    id: claim.id,
    title: claim.title,
    statement: claim.statement,
    source: claim.source,
    prediction: claim.prediction,
    tier,
    verdict: combine(out.conditions.map((c) => c.verdict)),
    conditions: out.conditions,
    trials: out.trials,
    ...('alphaPoints' in out ? { alphaPoints: out.alphaPoints as AlphaPoint[] } : {}),
  };
}
