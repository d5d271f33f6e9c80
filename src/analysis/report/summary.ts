// The plain-text summary the CLI prints after a sweep, after `prunelab fit` and after `npm start`:
// per teacher setting, n*₅₀(d) with its interval from the psychometric fit (and the √2-grid rule
// beneath it as a cross-check), the exponents with their intervals against log d and against the
// learner's theory scaling, the dense/pruned ratio per d, and one verdict that rests on Δb over
// the dimensions both learners have. Built from the same analysis as the HTML report and the
// demo, so none of them can disagree.
import type { Analysis, PanelAnalysis, SeriesAnalysis } from './analyze.js';
import { formatStatedSlope, scaling } from '../../stats/theory.js';
import { exponentText, gridText, n50Text, ratioText, slopeText } from './text.js';
import { ESTIMATOR } from '../../stats/learner-fit.js';
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
  const dd = c.difference;
  const range = `d = ${c.ds.join(', ')}`;
  const slopes = `${c.first} n*50 ~ d^${exponentText(c.firstFit)} against ${c.second} n*50 ~ d^${exponentText(c.secondFit)} over ${range}`;
  const delta = `Δb = ${formatInterval(dd.delta, dd.deltaCI)}`;
  const theoryNote =
    panel.alpha !== null && panel.alpha >= 0.5 ? ' (theory: at alpha >= 1/2 pruning should not win)' : '';
  if (dd.containsZero)
    return `verdict: no clear separation: the ${levelText(dd.deltaCI.level)} interval of ${delta} contains 0, so these data do not tell the exponents apart; ${slopes}${theoryNote}.`;
  if (dd.deltaCI.hi < 0) return `verdict: pruning wins: ${delta} excludes 0; ${slopes}${theoryNote}.`;
  return `verdict: pruning loses: ${delta} excludes 0; ${slopes}${theoryNote}.`;
}

function theoryText(s: SeriesAnalysis): string {
  const t = s.threshold.vsTheory;
  if (!t) return '-';
  return `${exponentText(t)}  x = ${scaling(t.scaling).regressor.text(s.setting.kStar)}`;
}

/** One row of a summary table: the cells after its label, one per column of the head. */
export interface SummaryRow {
  label: string;
  /** The learner the row belongs to (for a swatch of its colour). */
  series: SeriesAnalysis;
  /** The √2-grid rule's row beneath a learner's: a cross-check, printed indented. */
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
      'grid rule vs log d',
    ],
    rows: panel.series.map((s) => ({
      label: s.label,
      series: s,
      crossCheck: false,
      cells: [
        exponentText(s.threshold.vsD),
        theoryText(s),
        s.reference ? formatStatedSlope(s.reference.stated) : '-',
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
  return { nStar, exponents, ratios };
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
    for (const line of t.ratios) out.push(`\n${line}`);
    const v = verdict(panel);
    if (v) out.push(`\n${v}`);
    out.push('');
  }
  out.push(
    `n*50: the n where the fitted success probability crosses 1/2; "[lo, hi]" is its ${level} credible interval; "> N": the`,
    'interval runs past the largest n tried. An exponent b is the slope of log n*50 against log d (or log x); its interval',
    'comes from the joint posterior over all d. The grid rule (DESIGN §2.3) is shown as a cross-check.',
  );
  return out.join('\n');
}

/** The machine-readable form of the summary (`prunelab fit --json`; DESIGN §4's keys per learner). */
export function summaryJson(analysis: Analysis) {
  return {
    estimators: ESTIMATOR,
    model: PSYCHOMETRIC_MODEL,
    level: analysis.options.level,
    settings: analysis.panels.map((panel) => ({
      title: panel.title,
      teacher: panel.teacher,
      learners: panel.series.map((s) => ({
        learner: s.label,
        method: s.method,
        exponent: s.threshold.vsD ? Number(s.threshold.vsD.exponent.toFixed(4)) : null,
        exponentCI: s.threshold.vsD ? bounds(s.threshold.vsD.exponentCI) : null,
        vs: 'log d',
        ds: s.threshold.vsD?.ds ?? s.threshold.nstar.map((f) => f.d),
        unbounded: s.threshold.vsD?.unbounded ?? null,
        theory: s.threshold.vsTheory
          ? {
              vs: `log(${scaling(s.threshold.vsTheory.scaling).regressor.text(s.setting.kStar)})`,
              scaling: s.threshold.vsTheory.scaling,
              exponent: Number(s.threshold.vsTheory.exponent.toFixed(4)),
              exponentCI: bounds(s.threshold.vsTheory.exponentCI),
            }
          : null,
        nstar: s.threshold.nstar.map((f) => ({
          d: f.d,
          n50: Math.round(f.fit.n50),
          ci: bounds(f.fit.n50CI, 0),
          censored: f.fit.censored,
          sigma: Number(f.fit.sigma.toFixed(3)),
          trials: f.fit.trials,
          grid: f.grid,
        })),
        gridRule: {
          exponent: s.fits.d.fit ? Number(s.fits.d.fit.slope.toFixed(4)) : null,
          exponentCI: s.fits.d.interval ? bounds(s.fits.d.interval) : null,
        },
      })),
      comparisons: panel.comparisons.map((c) => ({
        learners: [c.first, c.second],
        ds: c.ds,
        deltaB: Number(c.difference.delta.toFixed(4)),
        deltaBCI: bounds(c.difference.deltaCI),
        containsZero: c.difference.containsZero,
      })),
      verdict: verdict(panel),
    })),
  };
}
