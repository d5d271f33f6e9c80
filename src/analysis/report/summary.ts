// The plain-text summary the CLI prints after a sweep (and `npm start` after the default
// experiment): per teacher setting, the n* table, the fitted slopes with their intervals, the
// dense/pruned ratio per d, and one verdict line that names the numbers. Built from the same
// analysis as the HTML report, so the two never disagree.
import type { Analysis, PanelAnalysis, SeriesAnalysis } from './analyze.js';
import { formatStatedSlope } from '../theory.js';
import { slopeText } from './plots.js';
import { GRID_BASE } from '../../experiment/grid.js';

const PRUNED = new Set(['hermite-thr', 'hermite']);
const MIN_POINTS = 3;

function nStarText(p: SeriesAnalysis['points'][number] | undefined): string {
  if (!p) return '-';
  if (p.nStar !== null) return p.nStar <= GRID_BASE ? `<= ${p.nStar}` : String(p.nStar);
  return p.censoredAbove !== null ? `> ${p.censoredAbove}` : 'n/a';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

/** The verdict of one panel: does the pruned slope sit clearly below the dense one? */
export function verdict(panel: PanelAnalysis): string | null {
  const pruned = panel.series.find((s) => PRUNED.has(s.method) && s.setting.batch === 'reuse');
  const dense = panel.series.find((s) => s.method === 'none' && s.setting.batch === 'reuse');
  if (!pruned || !dense) return null;
  const P = pruned.fits.d,
    D = dense.fits.d;
  if (!P.fit || !D.fit)
    return `verdict: not enough uncensored n* points to compare slopes (${pruned.method}: ${P.reason ?? 'ok'}; none: ${D.reason ?? 'ok'})`;
  const ratio = panel.ratios.find((r) => r.pruned === pruned.key && r.dense === dense.key);
  const measured = (ratio?.entries ?? []).filter((e) => e.relation === '=' && e.value !== null);
  const trend =
    measured.length >= 2
      ? `; n*_dense/n*_pruned goes from ${measured[0]!.value!.toFixed(1)} at d=${measured[0]!.d} to ${measured[measured.length - 1]!.value!.toFixed(1)} at d=${measured[measured.length - 1]!.d}`
      : '';
  const slopes = `${pruned.method} n* ~ d^${slopeText(P)} against none n* ~ d^${slopeText(D)}`;
  // Two points always fit a line exactly and their seed bootstrap is coarse: no slope verdict.
  if (P.fit.points < MIN_POINTS || D.fit.points < MIN_POINTS) {
    return `verdict: too few dimensions for a slope verdict (${Math.min(P.fit.points, D.fit.points)} uncensored, need ${MIN_POINTS}): ${slopes}${trend}.`;
  }
  const theoryNote =
    panel.alpha !== null && panel.alpha >= 0.5 ? ' (theory: at alpha >= 1/2 pruning should not win)' : '';
  if (P.interval && D.interval && P.interval.hi < D.interval.lo)
    return `verdict: pruning wins: ${slopes}${trend}${theoryNote}.`;
  if (P.interval && D.interval && P.interval.lo > D.interval.hi)
    return `verdict: pruning loses: ${slopes}${trend}${theoryNote}.`;
  return `verdict: no clear separation (the 90% intervals overlap): ${slopes}${trend}${theoryNote}.`;
}

/** The whole summary, one block per teacher setting. */
export function summarize(analysis: Analysis): string {
  const out: string[] = [];
  for (const panel of analysis.panels) {
    out.push(`== ${panel.title}`);
    const ds = panel.ds.map((x) => x.d);
    out.push(
      table([
        ['n*', ...ds.map((d) => `d=${d}`)],
        ...panel.series.map((s) => [s.label, ...ds.map((d) => nStarText(s.points.find((p) => p.d === d)))]),
      ]),
    );
    out.push('');
    out.push(
      table([
        ['slopes (90% bootstrap over seeds)', 'log n* vs log d', 'vs log(s^k* log d)', 'theory (vs log d)'],
        ...panel.series.map((s) => [
          s.label,
          slopeText(s.fits.d),
          slopeText(s.fits.skLogd),
          s.reference ? `${formatStatedSlope(s.reference.stated)}  (${s.reference.formula})` : '-',
        ]),
      ]),
    );
    const floored = panel.series
      .filter((s) => s.points.some((p) => p.nStar !== null && p.nStar <= GRID_BASE))
      .map((s) => s.label);
    if (floored.length)
      out.push(
        `\n"<= ${GRID_BASE}": succeeded at the smallest grid point, so the true n* may be smaller and slopes through it (${floored.join(', ')}) are not informative`,
      );
    for (const col of panel.ratios) {
      const cells = col.entries
        .filter((e) => e.value !== null)
        .map((e) => `d=${e.d}: ${e.relation === '=' ? '' : e.relation}${e.value!.toFixed(1)}`);
      if (cells.length) out.push(`\nn*_dense / n*_pruned (${col.label}): ${cells.join(', ')}`);
    }
    const v = verdict(panel);
    if (v) out.push(`\n${v}`);
    out.push('');
  }
  return out.join('\n');
}
