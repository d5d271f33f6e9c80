// One panel's "n* per dimension" card: the CLI summary's own tables (summaryTables: the same
// cells, made by the same formatters, as `prunelab sweep` prints), laid out as HTML, under the
// shared verdict.
import { summaryTables, verdict, type SummaryTable } from '../../analysis/report/summary.js';
import { jointExponentText } from '../../analysis/report/text.js';
import type { PanelAnalysis } from '../../analysis/report/analyze.js';
import { esc } from '../../analysis/report/svg.js';

const swatch = (color: string) => `<span class="sw" style="background:${esc(color)}"></span>`;

/** A summary table as HTML: a head row, then one row per learner (its grid-rule row muted beneath it). */
function tableHtml(t: SummaryTable, cls: string): string {
  const head = `<tr>${t.head.map((h, i) => `<th${i ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr>`;
  const rows = t.rows
    .map(
      (r) =>
        `<tr${r.crossCheck ? ' class="cross-check"' : ''}><td>${r.crossCheck ? esc(r.label) : `${swatch(r.series.color)} <b>${esc(r.label)}</b>`}</td>${r.cells
          .map((c) => `<td class="num">${c === '-' ? '<span class="muted">—</span>' : esc(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<div class="scroll"><table class="${cls}">${head}${rows}</table></div>`;
}

/** The verdict, or what is missing for one while the searches run. */
function verdictText(p: PanelAnalysis, live: boolean): string {
  const shared = verdict(p);
  let text: string;
  if (shared) text = esc(shared);
  else if (p.series.every((s) => !s.joint.vsD))
    text = live
      ? 'Measuring: an exponent needs two dimensions with trials.'
      : 'No series has trials at two dimensions yet, so there is no exponent.';
  else
    text = `Exponent of n*50 against d: ${p.series
      .filter((s) => s.joint.vsD)
      .map((s) => `<b>${esc(s.label)}</b> ${esc(jointExponentText(s.joint.vsD))}`)
      .join(', ')}.`;
  return live ? `${text} <span class="muted">(provisional while the searches run)</span>` : text;
}

export function summaryCard(p: PanelAnalysis, many: boolean, live: boolean): string {
  const t = summaryTables(p);
  const warn =
    p.alpha !== null && p.alpha >= 0.5
      ? `<p class="verdict warn">α = ${p.alpha} ≥ ½: theory expects no advantage from pruning here.</p>`
      : '';
  const ratios = t.ratios.length ? `<p class="hint ratios">${t.ratios.map(esc).join('<br>')}</p>` : '';
  return `<div class="card"><h2>n* per dimension${many ? `: ${esc(p.title)}` : ''}</h2><p class="verdict">${verdictText(p, live)}</p>${warn}${tableHtml(t.nStar, 'nstar')}${tableHtml(t.exponents, 'exponents')}${ratios}</div>`;
}
