// The plain-text summary the CLI prints after a sweep, after `prunelab fit` and after `npm start`:
// per teacher setting, n*₅₀(d) with its interval from the joint model of DESIGN §2.4b (and beneath
// it the cross-checks: each d's own psychometric fit and the √2-grid rule), the exponents with
// their intervals against log d and against the learner's theory scaling, the scatter τ about the
// line and any d whose line check fires, the local exponents between consecutive d, the
// dense/pruned ratio per d, and one verdict that rests on Δb over the dimensions both learners
// have. Built from the same analysis as the HTML report and the demo, so none of them can disagree.
import type { Analysis, PanelAnalysis, SeriesAnalysis } from './analyze.js';
import { formatStatedSlope, scaling } from '../../stats/theory.js';
import {
  exponentText,
  gridText,
  jointExponentText,
  jointN50Text,
  localSlopeText,
  n50Text,
  ratioText,
  slopeText,
} from './text.js';
import { ESTIMATOR } from '../../stats/learner-fit.js';
import { JOINT_METHOD } from '../../stats/joint-fit.js';
import { LOCAL_METHOD } from '../../stats/local-exponents.js';
import { LINE_CHECK_LEVEL, LINE_CHECK_METHOD } from '../../stats/line-check.js';
import { PSYCHOMETRIC_MODEL } from '../../stats/psychometric.js';
import { bounds, formatInterval, levelText } from '../../stats/interval.js';
import { DENSE_LEARNER, PRUNED_LEARNERS } from '../../core/rules.js';

export { exponentText, n50Text };

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The verdict of one panel: the interval of Δb = b(pruned) − b(dense) over the shared d. */
export function verdict(panel: PanelAnalysis): string | null {
  const c =
    panel.comparisons.find((x) => {
      const p = panel.series.find((s) => s.label === x.first);
      const d = panel.series.find((s) => s.label === x.second);
      return p && d && PRUNED_LEARNERS.includes(p.method) && p.setting.batch === 'reuse' && d.setting.batch === 'reuse';
    }) ?? panel.comparisons[0];
  if (!c) {
    const pruned = panel.series.some((s) => PRUNED_LEARNERS.includes(s.method));
    const dense = panel.series.some((s) => s.method === DENSE_LEARNER);
    return pruned && dense ? 'verdict: the two learners share fewer than two dimensions; no exponent comparison' : null;
  }
  const dd = c.delta;
  const range = `d = ${c.ds.join(', ')}`;
  const slopes = `${c.first} n*50 ~ d^${jointExponentText(c.firstFit)} against ${c.second} n*50 ~ d^${jointExponentText(c.secondFit)} over ${range}`;
  const delta = `Δb = ${formatInterval(dd.median, dd.interval)}`;
  const theoryNote =
    panel.alpha !== null && panel.alpha >= 0.5 ? ' (theory: at alpha >= 1/2 pruning should not win)' : '';
  if (c.containsZero)
    return `verdict: no clear separation: the ${levelText(dd.interval.level)} interval of ${delta} contains 0, so these data do not tell the exponents apart; ${slopes}${theoryNote}.`;
  if (dd.interval.hi < 0) return `verdict: pruning wins: ${delta} excludes 0; ${slopes}${theoryNote}.`;
  return `verdict: pruning loses: ${delta} excludes 0; ${slopes}${theoryNote}.`;
}

function theoryText(s: SeriesAnalysis): string {
  const t = s.joint.vsTheory;
  if (!t) return '-';
  return `${jointExponentText(t)}  x = ${scaling(t.scaling).regressor.text(s.setting.kStar)}`;
}

/** One row of a summary table: the cells after its label, one per column of the head. */
export interface SummaryRow {
  label: string;
  /** The learner the row belongs to (for a swatch of its colour). */
  series: SeriesAnalysis;
  /** A cross-check's row beneath a learner's (each d's own fit, the √2-grid rule), printed indented. */
  crossCheck: boolean;
  cells: string[];
}

export interface SummaryTable {
  /** Column heads, the label column's first. */
  head: string[];
  rows: SummaryRow[];
}

/**
 * The tables of one panel's summary, as text cells: n*50 per d (with the grid rule beneath each
 * learner), the exponents, and the dense/pruned ratio lines. The CLI lays them out in columns and
 * the demo page as HTML, so the two print the same numbers with the same formatters.
 */
export function summaryTables(panel: PanelAnalysis): {
  nStar: SummaryTable;
  exponents: SummaryTable;
  ratios: string[];
  /** Per learner: its scatter about the line, any d whose line check fires, its local exponents. */
  notes: string[];
} {
  const level = levelText(panel.level);
  const ds = panel.ds.map((x) => x.d);
  const nStar: SummaryTable = {
    head: [`n*50 [${level} interval]`, ...ds.map((d) => `d=${d}`)],
    rows: panel.series.flatMap((s) => [
      {
        label: s.label,
        series: s,
        crossCheck: false,
        cells: ds.map((d) => {
          const p = s.joint.vsD?.points.find((x) => x.d === d);
          if (p) return jointN50Text(p);
          const f = s.threshold.nstar.find((x) => x.d === d);
          return f ? n50Text(f.fit) : '-';
        }),
      },
      {
        label: 'this d alone',
        series: s,
        crossCheck: true,
        cells: ds.map((d) => {
          const f = s.threshold.nstar.find((p) => p.d === d);
          return f ? n50Text(f.fit) : '-';
        }),
      },
      {
        label: 'grid rule',
        series: s,
        crossCheck: true,
        cells: ds.map((d) => gridText(s.threshold.nstar.find((p) => p.d === d)?.grid)),
      },
    ]),
  };
  const exponents: SummaryTable = {
    head: [
      `exponent b (${level} interval)`,
      'vs log d',
      'vs log x(d), x = theory',
      'theory (vs log d)',
      'no scatter vs log d',
      'grid rule vs log d',
    ],
    rows: panel.series.map((s) => ({
      label: s.label,
      series: s,
      crossCheck: false,
      cells: [
        jointExponentText(s.joint.vsD),
        theoryText(s),
        s.reference ? formatStatedSlope(s.reference.stated) : '-',
        exponentText(s.threshold.vsD),
        slopeText(s.fits.d),
      ],
    })),
  };
  const ratios = panel.ratios.flatMap((col) => {
    const cells = col.entries
      .filter((e) => e.value !== null)
      .map((e) => `d=${e.d}: ${e.relation === '=' ? '' : e.relation}${ratioText(e.value!)}`);
    return cells.length ? [`n*_dense / n*_pruned (grid rule, ${col.label}): ${cells.join(', ')}`] : [];
  });
  const notes = panel.series.flatMap((s) => {
    const j = s.joint.vsD;
    const lines: string[] = [];
    if (j) {
      const tau = `τ = ${j.tau.median.toFixed(2)} [${j.tau.interval.lo.toFixed(2)}, ${j.tau.interval.hi.toFixed(2)}] octaves of scatter about the line`;
      const misfit = j.misfit.length
        ? `; the line does not fit d = ${j.misfit.join(', ')} (line check p < ${LINE_CHECK_LEVEL})`
        : '';
      lines.push(`${s.label}: ${tau}${misfit}`);
    }
    const local = s.joint.local.vsD;
    if (local.length > 1 || (local.length === 1 && s.joint.vsD === null))
      lines.push(
        `${s.label}: local exponent vs log d: ${local.map((x) => `${x.dFrom}→${x.dTo} ${localSlopeText(x)}`).join('; ')}`,
      );
    return lines;
  });
  return { nStar, exponents, ratios, notes };
}

function textTable(t: SummaryTable): string {
  return table([t.head, ...t.rows.map((r) => [r.crossCheck ? `  ${r.label}` : r.label, ...r.cells])]);
}

/** The whole summary, one block per teacher setting. */
export function summarize(analysis: Analysis): string {
  const out: string[] = [];
  const level = levelText(analysis.options.level);
  for (const panel of analysis.panels) {
    out.push(`== ${panel.title}`);
    const t = summaryTables(panel);
    out.push(textTable(t.nStar));
    out.push('');
    out.push(textTable(t.exponents));
    if (t.notes.length) out.push('', ...t.notes);
    for (const line of t.ratios) out.push(`\n${line}`);
    const v = verdict(panel);
    if (v) out.push(`\n${v}`);
    out.push('');
  }
  out.push(
    `n*50: the n where the fitted success probability crosses 1/2, from the joint model of all d (a line with scatter τ,`,
    `DESIGN §2.4b); "[lo, hi]" is its ${level} credible interval; "> N": the interval runs past the largest n tried. An`,
    'exponent b is the slope of log n*50 against log d (or log x). Cross-checks: each d fitted alone, the line through those',
    'fits without scatter, and the grid rule (DESIGN §2.3). A local exponent is the slope between two consecutive d.',
  );
  return out.join('\n');
}

/** The machine-readable form of the summary (`prunelab fit --json`; DESIGN §4's keys per learner). */
export function summaryJson(analysis: Analysis) {
  return {
    estimators: { ...ESTIMATOR, joint: JOINT_METHOD, local: LOCAL_METHOD, lineCheck: LINE_CHECK_METHOD },
    model: PSYCHOMETRIC_MODEL,
    level: analysis.options.level,
    settings: analysis.panels.map((panel) => ({
      title: panel.title,
      teacher: panel.teacher,
      learners: panel.series.map((s) => {
        const j = s.joint.vsD;
        const t = s.joint.vsTheory;
        const num = (x: number, digits = 4) => Number(x.toFixed(digits));
        return {
          learner: s.label,
          method: s.method,
          exponent: j ? num(j.exponent.median) : null,
          exponentCI: j ? bounds(j.exponent.interval) : null,
          vs: 'log d',
          ds: j?.points.map((p) => p.d) ?? s.threshold.nstar.map((f) => f.d),
          unbounded: j?.unbounded ?? null,
          tau: j ? { median: num(j.tau.median, 3), ci: bounds(j.tau.interval, 3) } : null,
          misfit: j?.misfit ?? [],
          theory: t
            ? {
                vs: `log(${scaling(t.scaling).regressor.text(s.setting.kStar)})`,
                scaling: t.scaling,
                exponent: num(t.exponent.median),
                exponentCI: bounds(t.exponent.interval),
              }
            : null,
          nstar: (j?.points ?? []).map((p) => ({
            d: p.d,
            n50: Math.round(p.n50.median),
            ci: bounds(p.n50.interval, 0),
            censored: p.censored,
            check: p.check ? { p: num(p.check.p), flagged: p.check.flagged } : null,
            alone: { n50: Math.round(p.alone.n50), ci: bounds(p.alone.n50CI, 0), censored: p.alone.censored },
            trials: p.alone.trials,
            grid: s.threshold.nstar.find((f) => f.d === p.d)?.grid ?? null,
          })),
          local: s.joint.local.vsD.map((x) => ({
            dFrom: x.dFrom,
            dTo: x.dTo,
            slope: num(x.slope),
            ci: bounds(x.interval),
            correlationWithNext: x.correlationWithNext === null ? null : num(x.correlationWithNext, 3),
            censored: x.censored,
          })),
          localVsTheory: (s.joint.local.vsRegressor ?? []).map((x) => ({
            dFrom: x.dFrom,
            dTo: x.dTo,
            slope: num(x.slope),
            ci: bounds(x.interval),
            censored: x.censored,
          })),
          fromDMin: s.joint.local.fromDMin.map((f) => ({
            dMin: f.dMin,
            exponent: num(f.exponent.median),
            exponentCI: bounds(f.exponent.interval),
          })),
          crossCheck: {
            noScatter: s.threshold.vsD
              ? { exponent: num(s.threshold.vsD.exponent), exponentCI: bounds(s.threshold.vsD.exponentCI) }
              : null,
            gridRule: {
              exponent: s.fits.d.fit ? num(s.fits.d.fit.slope) : null,
              exponentCI: s.fits.d.interval ? bounds(s.fits.d.interval) : null,
            },
          },
        };
      }),
      comparisons: panel.comparisons.map((c) => ({
        learners: [c.first, c.second],
        ds: c.ds,
        deltaB: Number(c.delta.median.toFixed(4)),
        deltaBCI: bounds(c.delta.interval),
        containsZero: c.containsZero,
      })),
      verdict: verdict(panel),
    })),
  };
}
