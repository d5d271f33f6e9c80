// The plain-text summary the CLI prints after a sweep, after `prunelab fit` and after `npm start`:
// per teacher setting, n*₅₀(d) with its interval from the psychometric fit (and the √2-grid rule
// beneath it as a cross-check), the exponents with their intervals against log d and against the
// learner's theory scaling, the dense/pruned ratio per d, and one verdict that rests on Δb over
// the dimensions both learners have. Built from the same analysis as the HTML report and the
// demo, so none of them can disagree.
import type { Analysis, PanelAnalysis, SeriesAnalysis } from './analyze.js';
import { formatStatedSlope } from '../../stats/theory.js';
import { slopeText } from './plots.js';
import { GRID_BASE } from '../../stats/n-grid.js';
import type { ExponentFit } from '../../stats/exponent.js';
import { ESTIMATOR, type NStarFit } from '../../stats/learner-fit.js';
import { PSYCHOMETRIC_MODEL } from '../../stats/psychometric.js';

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/** "0.63 [0.55, 0.71]", with "(unbounded)" when the interval reaches the prior's edge. */
export function exponentText(e: ExponentFit | null): string {
  if (!e) return 'n/a (one d)';
  return `${fmt(e.exponent)} [${fmt(e.exponentCI[0])}, ${fmt(e.exponentCI[1])}]${e.unbounded ? ' (unbounded)' : ''}`;
}

function round(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n.toPrecision(2);
}

/**
 * "1024 [890, 1180]"; an interval the data do not close on one side shows that side as "> N"
 * (past the largest n tried) or "< N" (below the smallest), and the whole estimate reads "> N"
 * when even the median lies beyond the tried range.
 */
export function n50Text(f: NStarFit['fit']): string {
  if (f.censored === 'above')
    return f.n50 > f.nMax ? `> ${f.nMax}` : `${round(f.n50)} [${round(f.n50CI[0])}, > ${f.nMax}]`;
  if (f.censored === 'below')
    return f.n50 < f.nMin ? `< ${f.nMin}` : `${round(f.n50)} [< ${f.nMin}, ${round(f.n50CI[1])}]`;
  return `${round(f.n50)} [${round(f.n50CI[0])}, ${round(f.n50CI[1])}]`;
}

function gridText(g: NStarFit['grid'] | undefined): string {
  if (!g) return '-';
  if (g.nStar !== null) return g.nStar <= GRID_BASE ? `<= ${g.nStar}` : String(g.nStar);
  return g.censoredAbove !== null ? `> ${g.censoredAbove}` : 'n/a';
}

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

const PRUNED = new Set(['hermite-thr', 'hermite']);

/** The verdict of one panel: the interval of Δb = b(pruned) − b(dense) over the shared d. */
export function verdict(panel: PanelAnalysis): string | null {
  const c =
    panel.comparisons.find((x) => {
      const p = panel.series.find((s) => s.label === x.first);
      const d = panel.series.find((s) => s.label === x.second);
      return p && d && PRUNED.has(p.method) && p.setting.batch === 'reuse' && d.setting.batch === 'reuse';
    }) ?? panel.comparisons[0];
  if (!c) {
    const pruned = panel.series.some((s) => PRUNED.has(s.method));
    const dense = panel.series.some((s) => s.method === 'none');
    return pruned && dense ? 'verdict: the two learners share fewer than two dimensions; no exponent comparison' : null;
  }
  const dd = c.difference;
  const range = `d = ${c.ds.join(', ')}`;
  const slopes = `${c.first} n*50 ~ d^${exponentText(c.firstFit)} against ${c.second} n*50 ~ d^${exponentText(c.secondFit)} over ${range}`;
  const delta = `Δb = ${fmt(dd.delta)} [${fmt(dd.deltaCI[0])}, ${fmt(dd.deltaCI[1])}]`;
  const theoryNote =
    panel.alpha !== null && panel.alpha >= 0.5 ? ' (theory: at alpha >= 1/2 pruning should not win)' : '';
  if (dd.containsZero)
    return `verdict: no clear separation: the 90% interval of ${delta} contains 0, so these data do not tell the exponents apart; ${slopes}${theoryNote}.`;
  if (dd.deltaCI[1] < 0) return `verdict: pruning wins: ${delta} excludes 0; ${slopes}${theoryNote}.`;
  return `verdict: pruning loses: ${delta} excludes 0; ${slopes}${theoryNote}.`;
}

function theoryText(s: SeriesAnalysis): string {
  const t = s.threshold.vsTheory;
  if (!t) return '-';
  return `${exponentText(t)}  x = ${t.formula
    .replace(/C·/g, '')
    .split(';')[0]!
    .replace(/ \(.*\)$/, '')}`;
}

/** The whole summary, one block per teacher setting. */
export function summarize(analysis: Analysis): string {
  const out: string[] = [];
  for (const panel of analysis.panels) {
    out.push(`== ${panel.title}`);
    const ds = panel.ds.map((x) => x.d);
    const rows: string[][] = [['n*50 [90% interval]', ...ds.map((d) => `d=${d}`)]];
    for (const s of panel.series) {
      rows.push([
        s.label,
        ...ds.map((d) => {
          const f = s.threshold.nstar.find((p) => p.d === d);
          return f ? n50Text(f.fit) : '-';
        }),
      ]);
      rows.push(['  grid rule', ...ds.map((d) => gridText(s.threshold.nstar.find((p) => p.d === d)?.grid))]);
    }
    out.push(table(rows));
    out.push('');
    out.push(
      table([
        ['exponent b (90% interval)', 'vs log d', 'vs log x(d), x = theory', 'theory (vs log d)', 'grid rule vs log d'],
        ...panel.series.map((s) => [
          s.label,
          exponentText(s.threshold.vsD),
          theoryText(s),
          s.reference ? formatStatedSlope(s.reference.stated) : '-',
          slopeText(s.fits.d),
        ]),
      ]),
    );
    for (const col of panel.ratios) {
      const cells = col.entries
        .filter((e) => e.value !== null)
        .map((e) => `d=${e.d}: ${e.relation === '=' ? '' : e.relation}${e.value!.toFixed(1)}`);
      if (cells.length) out.push(`\nn*_dense / n*_pruned (grid rule, ${col.label}): ${cells.join(', ')}`);
    }
    const v = verdict(panel);
    if (v) out.push(`\n${v}`);
    out.push('');
  }
  out.push(
    'n*50: the n where the fitted success probability crosses 1/2; "[lo, hi]" is its 90% credible interval; "> N": the',
    'interval runs past the largest n tried. An exponent b is the slope of log n*50 against log d (or log x); its interval',
    'comes from the joint posterior over all d. The grid rule (DESIGN §2.3) is shown as a cross-check.',
  );
  return out.join('\n');
}

/** The machine-readable form of the summary (`prunelab fit --json`; DESIGN §4's keys per learner). */
export function summaryJson(analysis: Analysis) {
  const ci = (e: ExponentFit) => [Number(e.exponentCI[0].toFixed(4)), Number(e.exponentCI[1].toFixed(4))];
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
        exponentCI: s.threshold.vsD ? ci(s.threshold.vsD) : null,
        vs: 'log d',
        ds: s.threshold.vsD?.ds ?? s.threshold.nstar.map((f) => f.d),
        unbounded: s.threshold.vsD?.unbounded ?? null,
        theory: s.threshold.vsTheory
          ? {
              vs: `log(${s.threshold.vsTheory.formula
                .replace(/C·/g, '')
                .split(';')[0]!
                .replace(/ \(.*\)$/, '')})`,
              scaling: s.threshold.vsTheory.scaling,
              exponent: Number(s.threshold.vsTheory.exponent.toFixed(4)),
              exponentCI: ci(s.threshold.vsTheory),
            }
          : null,
        nstar: s.threshold.nstar.map((f) => ({
          d: f.d,
          n50: Math.round(f.fit.n50),
          ci: [Math.round(f.fit.n50CI[0]), Math.round(f.fit.n50CI[1])],
          censored: f.fit.censored,
          sigma: Number(f.fit.sigma.toFixed(3)),
          trials: f.fit.trials,
          grid: f.grid,
        })),
        gridRule: {
          exponent: s.fits.d.fit ? Number(s.fits.d.fit.slope.toFixed(4)) : null,
          exponentCI: s.fits.d.interval
            ? [Number(s.fits.d.interval.lo.toFixed(4)), Number(s.fits.d.interval.hi.toFixed(4))]
            : null,
        },
      })),
      comparisons: panel.comparisons.map((c) => ({
        learners: [c.first, c.second],
        ds: c.ds,
        deltaB: Number(c.difference.delta.toFixed(4)),
        deltaBCI: [Number(c.difference.deltaCI[0].toFixed(4)), Number(c.difference.deltaCI[1].toFixed(4))],
        containsZero: c.difference.containsZero,
      })),
      verdict: verdict(panel),
    })),
  };
}
