// The paper view's checklist: a summary row per claim (its verdict, each condition's value and interval, its trials), then a card
// per claim with its statement, the prediction fixed before any data, each condition's measured
// value and interval against its predicted range (conditionsTableHtml, the table claims.html
// has), its figure (claimFigureHtml: Δb against α for C4, n*50(d) with the theory lines for C1)
// and the `prunelab paper` command that reproduces it in Node. Drawn while the run goes on from
// the verdicts so far, marked provisional, with fewer bootstrap replicates for the figures.
import { CLAIMS, type ClaimDef } from '../../experiment/claims.js';
import type { ClaimResult } from '../../experiment/claim-verdict.js';
import {
  claimCommand,
  claimFigureHtml,
  claimRecords,
  conditionValue,
  conditionsTableHtml,
  verdictBadge,
} from '../../analysis/report/claims.js';
import { esc, fmtInt } from '../../analysis/report/svg.js';
import { levelText } from '../../stats/interval.js';
import { byId } from './dom.js';
import { paper, recordCount } from './paper-session.js';

/** The n* figure's bootstrap replicates while live (the final figure has claims.html's). */
const LIVE_REPLICATES = 100;

const notRun = '<span class="v not-run">not run</span>';

function commandHtml(cmd: string): string {
  return `<code class="cmd">${esc(cmd)}</code>`;
}

function claimCard(def: ClaimDef, r: ClaimResult | undefined, live: boolean, width: number): string {
  const badge = r ? `${verdictBadge(r.verdict)}${live ? ' <span class="provisional">provisional</span>' : ''}` : notRun;
  const body = r
    ? `<div class="scroll">${conditionsTableHtml(r)}</div><div class="plots">${claimFigureHtml(r, claimRecords(r, paper.records), { ...(live ? { replicates: LIVE_REPLICATES } : {}), width })}</div>`
    : '';
  const foot = r
    ? `${fmtInt(r.trials)} trials, ${esc(r.tier)} tier. Reproduce in Node: ${commandHtml(claimCommand(r))}`
    : `Reproduce in Node: ${commandHtml(claimCommand({ id: def.id, tier: 'quick' }))}`;
  return `<div class="card claim" id="claim-${esc(def.id)}" data-verdict="${r ? esc(r.verdict) : 'not-run'}">
<h2>${esc(def.id)}. ${esc(def.title)} ${badge}</h2>
<p class="claim-statement">${esc(def.statement)} <span class="hint-inline">(${esc(def.source)})</span></p>
<p class="claim-prediction"><b>Prediction</b>, fixed before any data: ${esc(def.prediction)}.</p>
${body}
<p class="hint claim-foot">${foot}</p></div>`;
}

function summaryTable(defs: readonly ClaimDef[], live: boolean): string {
  const level = paper.results.flatMap((r) => r.conditions).find((c) => c.interval)?.interval?.level ?? 0.9;
  const rows = defs
    .map((d) => {
      const r = paper.results.find((x) => x.id === d.id);
      const v = r ? `${verdictBadge(r.verdict)}${live ? ' <span class="provisional">provisional</span>' : ''}` : notRun;
      return `<tr data-claim="${esc(d.id)}"><td><a href="#claim-${esc(d.id)}" data-claim-link>${esc(d.id)}</a></td><td>${esc(d.title)}</td><td>${v}</td><td class="num">${r ? r.conditions.map((c) => esc(conditionValue(c))).join('<br>') : '—'}</td><td class="num">${r ? fmtInt(r.trials) : '—'}</td></tr>`;
    })
    .join('');
  return `<div class="card"><h2>The checklist</h2><div class="scroll"><table class="checklist"><tr><th>claim</th><th></th><th>verdict</th><th class="num">measured [${levelText(level)} interval]</th><th class="num">trials</th></tr>${rows}</table></div></div>`;
}

/** Draws the checklist from `paper.results`; `live` marks the verdicts provisional. */
export function renderPaper(live: boolean): void {
  const defs = CLAIMS.filter((c) => paper.claims.includes(c.id));
  const el = byId('paper-checklist');
  const width = Math.round(Math.max(560, Math.min(860, el.clientWidth - 40 || 760)));
  el.innerHTML =
    summaryTable(defs, live) +
    defs
      .map((d) =>
        claimCard(
          d,
          paper.results.find((r) => r.id === d.id),
          live,
          width,
        ),
      )
      .join('');
  const banner = byId('paper-stand-in');
  banner.hidden = paper.standIns.length === 0;
  if (paper.standIns.length)
    banner.innerHTML = `<b>Test size.</b> A script replaced the experiments ${paper.standIns
      .map((e) => `<code>${esc(e.name)}</code> (d = ${esc(e.spec.d.join(', '))})`)
      .join(
        ', ',
      )} with smaller ones. These verdicts are not the paper's, and the commands below reproduce the paper's quick tier, not this run.`;
  byId('paper-record-count').textContent = recordCount() ? `(${fmtInt(recordCount())})` : '';
}
