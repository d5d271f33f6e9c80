// From raw trial records to what the report and the demo page draw: panels (one teacher setting
// each) of series (one method and learner setting each) with their n* points, slope fits with
// bootstrap intervals, reference scalings with fitted constants, per-n metric summaries and the
// dense/pruned ratios. Pure and deterministic: the same records and options give the same
// analysis, bit for bit, on every engine.
import { fitLearner, type LearnerFit } from '../../stats/learner-fit.js';
import {
  type JointComparison,
  type LearnerJointFit,
  compareJoint,
  fitLearnerJoint,
  jointDims,
} from '../../stats/learner-joint.js';
import {
  groupSeries,
  scoreNStar,
  seriesSetting,
  type Criterion,
  type NStarPoint,
  type SeriesSetting,
} from '../../stats/grid-rule.js';
import {
  fitConstant,
  referenceCurve,
  scaling,
  scalingFor,
  type ScalingId,
  type StatedSlope,
} from '../../stats/theory.js';
import type { Method, TrialRecord } from '../../core/types.js';
import { canonicalJson } from '../../core/hash.js';
import { DENSE_LEARNER, PRUNED_LEARNERS } from '../../core/rules.js';
import { fitSeries, type SlopeFit } from '../../stats/grid-rule-slope.js';

export interface AnalyzeOptions {
  /** Bootstrap replicates per fit (default 1000; 0 skips the intervals). */
  replicates?: number;
  /** Interval coverage (default 0.9). */
  level?: number;
  /** Bootstrap seed (default 1). Each series derives its own stream from it and its key. */
  seed?: number;
  /** Success criterion for n* (default `success`, relMse < 0.2). */
  criterion?: Criterion;
}

/** Per-n summaries of one (series, d) for the metric plots. */
export interface MetricCell {
  n: number;
  seeds: number;
  successes: number;
  diverged: number;
  /** Non-null values over seeds, ascending. */
  alignMax: number[];
  relMse: number[];
}

export interface SeriesAnalysis {
  key: string;
  /** Method plus whatever learner setting tells this series apart from the others of its panel. */
  label: string;
  method: Method;
  setting: SeriesSetting;
  color: string;
  /** n* points, ascending in d. */
  points: NStarPoint[];
  /** The √2-grid rule's slopes with the cell bootstrap (the cross-check estimator). */
  fits: { d: SlopeFit; skLogd: SlopeFit };
  /**
   * The primary estimator (DESIGN §2.4b): the joint model of the learner's thresholds, against log d
   * and against its theory scaling, with n*₅₀ per d from the joint posterior, the per-d line check and
   * the local exponents.
   */
  joint: LearnerJointFit;
  /** The cross-check beside it: the psychometric fit of each d on its own and the line through them without scatter (DESIGN §2.4). */
  threshold: LearnerFit;
  /** The scaling this learner is compared with, its constant fitted to the n*50 points it is drawn against (the ones whose interval is closed). */
  reference: {
    id: ScalingId;
    formula: string;
    C: number;
    stated: StatedSlope;
    curve: { d: number; n: number }[];
  } | null;
  metrics: { d: number; cells: MetricCell[] }[];
}

export interface RatioEntry {
  d: number;
  /** n*_dense / n*_pruned, or the bound it satisfies when one side is censored. */
  value: number | null;
  /** '=' both measured; '>' dense censored above N (ratio > N/n*_pruned); '<' pruned censored; null: missing. */
  relation: '=' | '>' | '<' | null;
}

export interface RatioColumn {
  dense: string;
  pruned: string;
  label: string;
  entries: RatioEntry[];
}

export interface PanelAnalysis {
  key: string;
  /** The teacher fields the panel shares (link, k*, alpha or s, r, sparsity, entries, q, noise). */
  teacher: Record<string, unknown>;
  title: string;
  kStar: number;
  alpha: number | null;
  series: SeriesAnalysis[];
  /** Every d measured in the panel, ascending, with its s. */
  ds: { d: number; s: number }[];
  ratios: RatioColumn[];
  /** Δb for each (pruned, dense) pair over their shared d, from the joint fits (the verdict rests on these). */
  comparisons: JointComparison[];
  /** The level of every interval in the panel (the analysis option), for labels. */
  level: number;
}

export interface Analysis {
  panels: PanelAnalysis[];
  meta: {
    records: number;
    /** Records after dropping repeated ids. */
    unique: number;
    versions: string[];
    wasmShas: string[];
    methods: Method[];
    /** Distinct seeds, and the most seeds in any (series, d, n) cell. */
    seeds: number[];
    maxSeedsPerCell: number;
    diverged: number;
    censoredPoints: number;
  };
  options: Required<AnalyzeOptions>;
}

export const METHOD_ORDER: readonly Method[] = ['hermite-thr', 'hermite', 'oracle', 'none', 'random', 'gradmag'];
// Okabe-Ito, colour-blind safe; one colour per method, spares for a repeated method in a panel.
const METHOD_COLOR: Record<Method, string> = {
  'hermite-thr': '#0072B2',
  hermite: '#56B4E9',
  oracle: '#009E73',
  none: '#D55E00',
  random: '#7F7F7F',
  gradmag: '#CC79A7',
};
const SPARE_COLORS = ['#333333', '#8C564B', '#E69F00', '#17BECF', '#BCBD22'];

const TEACHER_FIELDS = ['link', 'kStar', 'alpha', 's', 'r', 'sparsity', 'entries', 'q', 'gamma', 'noise'] as const;
const LEARNER_FIELDS = ['batch', 'm', 'steps', 'eta', 'K', 'c', 'split', 'readoutBiases', 'n3', 'nTest'] as const;

/** FNV-1a over a string, for per-series bootstrap seeds that do not depend on other series. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function methodRank(m: Method): number {
  const i = METHOD_ORDER.indexOf(m);
  return i < 0 ? METHOD_ORDER.length : i;
}

/** The default (reuse) before the online baseline (fresh). */
function batchRank(b: string): number {
  return b === 'reuse' ? 0 : 1;
}

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  return out;
}

const GREEK: Record<string, string> = { alpha: 'α', kStar: 'k*', noise: 'τ', eta: 'η' };
export function fieldName(k: string): string {
  return GREEK[k] ?? k;
}

function teacherTitle(t: Record<string, unknown>): string {
  const parts = [`link ${String(t.link)} (k* = ${String(t.kStar)})`];
  if (t.alpha !== undefined && t.alpha !== null) parts.push(`α = ${String(t.alpha)}`);
  if (t.s !== undefined) parts.push(`s = ${String(t.s)}`);
  parts.push(
    `r = ${String(t.r)}`,
    `${String(t.sparsity)}${t.sparsity === 'lq' ? ` (q = ${String(t.q)})` : t.sparsity === 'soft' ? ` (q = ${String(t.q)}, γ = ${String(t.gamma)})` : ''}, ${String(t.entries)} entries`,
    `τ = ${String(t.noise)}`,
  );
  return parts.join(', ');
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const h = sorted.length >> 1;
  return sorted.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}
export { median };

/** Analyse records into panels and series (see the module comment). */
export function analyze(records: readonly TrialRecord[], options: AnalyzeOptions = {}): Analysis {
  const opts: Required<AnalyzeOptions> = {
    replicates: options.replicates ?? 1000,
    level: options.level ?? 0.9,
    seed: options.seed ?? 1,
    criterion: options.criterion ?? 'success',
  };
  // Deduplicate once, by id, as scoreNStar does.
  const seen = new Set<string>();
  const unique: TrialRecord[] = [];
  for (const r of records)
    if (!seen.has(r.id)) {
      seen.add(r.id);
      unique.push(r);
    }

  const points = scoreNStar(unique, { criterion: opts.criterion });
  const seriesPoints = groupSeries(points);

  // Metric cells per (series, d, n).
  const metricMap = new Map<string, Map<number, Map<number, MetricCell>>>();
  for (const r of unique) {
    const key = canonicalJson(seriesSetting(r.config));
    let byD = metricMap.get(key);
    if (!byD) metricMap.set(key, (byD = new Map()));
    let byN = byD.get(r.config.d);
    if (!byN) byD.set(r.config.d, (byN = new Map()));
    let c = byN.get(r.config.n);
    if (!c) byN.set(r.config.n, (c = { n: r.config.n, seeds: 0, successes: 0, diverged: 0, alignMax: [], relMse: [] }));
    c.seeds++;
    if (r[opts.criterion]) c.successes++;
    if (r.diverged) c.diverged++;
    if (isNum(r.metrics.alignMax)) c.alignMax.push(r.metrics.alignMax);
    if (isNum(r.metrics.relMse)) c.relMse.push(r.metrics.relMse);
  }

  // Panels: series grouped by their teacher setting.
  const panelMap = new Map<string, { teacher: Record<string, unknown>; series: NStarPoint[][] }>();
  for (const sp of seriesPoints) {
    const teacher = pick(sp[0]!.setting as unknown as Record<string, unknown>, TEACHER_FIELDS);
    const key = canonicalJson(teacher);
    let p = panelMap.get(key);
    if (!p) panelMap.set(key, (p = { teacher, series: [] }));
    p.series.push(sp);
  }

  const panels: PanelAnalysis[] = [];
  for (const [pkey, p] of panelMap) {
    p.series.sort(
      (a, b) =>
        methodRank(a[0]!.method) - methodRank(b[0]!.method) ||
        batchRank(a[0]!.setting.batch) - batchRank(b[0]!.setting.batch) ||
        (a[0]!.series < b[0]!.series ? -1 : 1),
    );
    // Learner fields that differ between series of this panel go into the labels.
    const varying = LEARNER_FIELDS.filter(
      (f) =>
        new Set(p.series.map((s) => canonicalJson((s[0]!.setting as unknown as Record<string, unknown>)[f]))).size > 1,
    );
    const usedColors = new Set<string>();
    let spare = 0;
    const series: SeriesAnalysis[] = p.series.map((pts) => {
      const setting = pts[0]!.setting;
      const rec = setting as unknown as Record<string, unknown>;
      const label = [setting.method, ...varying.map((f) => `${fieldName(f)}=${String(rec[f])}`)].join(' · ');
      let color = METHOD_COLOR[setting.method] ?? SPARE_COLORS[0]!;
      if (usedColors.has(color)) color = SPARE_COLORS[spare++ % SPARE_COLORS.length]!;
      usedColors.add(color);
      const key = pts[0]!.series;
      const fits = fitSeries(pts, {
        replicates: opts.replicates,
        level: opts.level,
        seed: (hash32(key) ^ opts.seed) >>> 0,
      });
      const sid = scalingFor(setting.method, setting.batch);
      let reference: SeriesAnalysis['reference'] = null;
      const threshold = fitLearner(pts, { level: opts.level });
      const joint = fitLearnerJoint(pts, { level: opts.level });
      if (sid) {
        const c = fitConstant(
          sid,
          threshold.nstar.map((f) => {
            const j = joint.vsD?.points.find((p) => p.d === f.d);
            return { d: f.d, s: f.s, kStar: setting.kStar, nStar: j && j.censored === null ? j.n50.median : null };
          }),
        );
        if (c) {
          const sc = scaling(sid);
          reference = {
            id: sid,
            formula: sc.formula,
            C: c.C,
            stated: sc.statedSlope(setting.kStar, setting.alpha),
            curve: referenceCurve(sid, c.C, pts),
          };
        }
      }
      const byD = metricMap.get(key) ?? new Map<number, Map<number, MetricCell>>();
      const metrics = [...byD.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([d, byN]) => ({
          d,
          cells: [...byN.values()]
            .sort((a, b) => a.n - b.n)
            .map((c) => ({
              ...c,
              alignMax: [...c.alignMax].sort((a, b) => a - b),
              relMse: [...c.relMse].sort((a, b) => a - b),
            })),
        }));
      return {
        key,
        label,
        method: setting.method,
        setting,
        color,
        points: pts,
        fits,
        joint,
        threshold,
        reference,
        metrics,
      };
    });
    const dMap = new Map<number, number>();
    for (const s of series) for (const pt of s.points) dMap.set(pt.d, pt.s);
    const ds = [...dMap.entries()].sort((a, b) => a[0] - b[0]).map(([d, s]) => ({ d, s }));
    panels.push({
      key: pkey,
      teacher: p.teacher,
      title: teacherTitle(p.teacher),
      kStar: p.teacher.kStar as number,
      alpha: (p.teacher.alpha as number | null | undefined) ?? null,
      series,
      ds,
      ratios: ratioColumns(
        series,
        ds.map((x) => x.d),
      ),
      comparisons: comparisons(series, opts.level),
      level: opts.level,
    });
  }
  panels.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const cellsMax = Math.max(0, ...points.flatMap((p) => p.perN.map((c) => c.seeds)));
  return {
    panels,
    meta: {
      records: records.length,
      unique: unique.length,
      versions: [...new Set(unique.map((r) => r.version))].sort(),
      wasmShas: [...new Set(unique.map((r) => r.wasmSha))].sort(),
      methods: [...new Set(unique.map((r) => r.config.method))].sort((a, b) => methodRank(a) - methodRank(b)),
      seeds: [...new Set(unique.map((r) => r.config.seed))].sort((a, b) => a - b),
      maxSeedsPerCell: cellsMax,
      diverged: unique.filter((r) => r.diverged).length,
      censoredPoints: points.filter((p) => p.nStar === null).length,
    },
    options: opts,
  };
}

function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function denseAndPruned(series: readonly SeriesAnalysis[]) {
  return {
    dense: series.filter((s) => s.method === DENSE_LEARNER),
    pruned: series.filter((s) => PRUNED_LEARNERS.includes(s.method)),
  };
}

/** Δb = b(pruned) − b(dense) for each (data-driven pruned, dense) pair, over their shared d. */
function comparisons(series: readonly SeriesAnalysis[], level: number): JointComparison[] {
  const { dense, pruned } = denseAndPruned(series);
  const out: JointComparison[] = [];
  for (const b of pruned)
    for (const a of dense) {
      const c = compareJoint(
        { label: b.label, dims: jointDims(b.points) },
        { label: a.label, dims: jointDims(a.points) },
        { level },
      );
      if (c) out.push(c);
    }
  return out;
}

/** n*_dense / n*_pruned per d for each (dense, data-driven pruned) pair of a panel. */
function ratioColumns(series: readonly SeriesAnalysis[], ds: readonly number[]): RatioColumn[] {
  const { dense, pruned } = denseAndPruned(series);
  const out: RatioColumn[] = [];
  for (const a of dense) {
    for (const b of pruned) {
      const entries: RatioEntry[] = ds.map((d) => {
        const pa = a.points.find((p) => p.d === d),
          pb = b.points.find((p) => p.d === d);
        if (!pa || !pb) return { d, value: null, relation: null };
        if (pa.nStar !== null && pb.nStar !== null) return { d, value: pa.nStar / pb.nStar, relation: '=' };
        if (pa.nStar === null && pb.nStar !== null) return { d, value: pa.censoredAbove! / pb.nStar, relation: '>' };
        if (pa.nStar !== null && pb.nStar === null) return { d, value: pa.nStar / pb.censoredAbove!, relation: '<' };
        return { d, value: null, relation: null };
      });
      out.push({ dense: a.key, pruned: b.key, label: `${a.label} / ${b.label}`, entries });
    }
  }
  return out;
}
