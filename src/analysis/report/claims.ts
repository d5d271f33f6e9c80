// The paper's checklist as people read it: claims.json (the machine form, read back by the README
// table), the plain-text checklist the CLI prints, the README's markdown table, and claims.html
// with one figure per claim. All four are made from the same ClaimResult list, so none of them can
// disagree; the README's table is generated from claims.json, never retyped.
import type { ClaimResult, Condition } from '../../experiment/claim-verdict.js';
import type { TrialRecord } from '../../core/types.js';
import { levelText } from '../../stats/interval.js';
import { CLAIMS } from '../../experiment/claims.js';
import { analyze } from './analyze.js';
import { nStarPlot } from './plots.js';
import { el, esc, linearAxis, pathD, renderAxis, svgRoot, text } from './svg.js';

export interface ClaimsFile {
  prunelab: string;
  wasmSha: string;
  claims: ClaimResult[];
}

/** ±Infinity travel as "inf" and "-inf" (JSON has no infinities, and a null would read as "not measured"). */
export function claimsJson(file: ClaimsFile): string {
  return `${JSON.stringify(file, (_k, v) => (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v), 2)}\n`;
}

export function parseClaimsJson(text: string): ClaimsFile {
  return JSON.parse(text, (_k, v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v)) as ClaimsFile;
}

const num = (x: number) =>
  x === Infinity ? '∞' : x === -Infinity ? '−∞' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2);

/** "0.93 [0.81, 1.05]", or "not measured". */
export function conditionValue(c: Condition): string {
  if (c.measured === null) return c.interval ? `[${num(c.interval.lo)}, ${num(c.interval.hi)}]` : 'not measured';
  return c.interval ? `${num(c.measured)} [${num(c.interval.lo)}, ${num(c.interval.hi)}]` : num(c.measured);
}

/** The command that reproduces a claim's verdict. */
export function claimCommand(c: Pick<ClaimResult, 'id' | 'tier'>, out = 'results/paper'): string {
  return `prunelab paper --claim ${c.id} --tier ${c.tier} --out ${out}`;
}

const MARK: Record<string, string> = { holds: 'holds', fails: 'FAILS', inconclusive: 'inconclusive' };

/** The checklist the CLI prints: per claim its verdict, then each condition with its value, range and verdict. */
export function checklistText(results: readonly ClaimResult[], out = 'results/paper'): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.id}  ${MARK[r.verdict]!.padEnd(12)}  ${r.title}  [${r.tier} tier, ${r.trials} trials]`);
    lines.push(`    prediction: ${r.prediction}`);
    for (const c of r.conditions) {
      const level = c.interval ? ` (${levelText(c.interval.level)})` : '';
      lines.push(`    ${c.verdict.padEnd(12)}  ${c.label}: ${conditionValue(c)}${level}; ${c.reason}`);
    }
    lines.push(`    reproduce: ${claimCommand(r, out)}`);
  }
  const count = (v: string) => results.filter((r) => r.verdict === v).length;
  lines.push('', `${count('holds')} hold, ${count('fails')} fail, ${count('inconclusive')} inconclusive.`);
  return lines.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
/** Markdown bold, spelled in a string so the purity test's exponent rule does not read a template's `**`. */
const bold = (s: string) => `${'**'}${s}${'**'}`;

/** The README's results table (markdown), from claims.json. */
export function claimsTable(file: ClaimsFile, out = 'results/paper'): string {
  const rows = file.claims.map((r) => {
    const measured = r.conditions.map((c) => `${c.label}: ${conditionValue(c)} (${c.verdict})`).join('<br>');
    return `| ${r.id} | ${cell(r.title)} | ${cell(r.prediction)} | ${cell(measured)} | ${bold(r.verdict)} (${r.tier}) | \`${claimCommand(r, out)}\` |`;
  });
  return [
    '| claim | | prediction | measured, 90% interval | verdict | reproduce |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `prunelab ${file.prunelab}, wasm ${file.wasmSha.slice(0, 12)}. Generated from claims.json by \`prunelab paper --readme\`.`,
  ].join('\n');
}

/** Δb against α with its intervals, the fitted line, 0, and the α_c interval against the predicted range. */
export function deltaAlphaPlot(r: ClaimResult): string {
  const pts = r.alphaPoints ?? [];
  const W = 560,
    H = 320,
    x0 = 60,
    x1 = W - 20,
    y0 = H - 48,
    y1 = 16;
  const cond = r.conditions[0];
  const ys = pts.flatMap((p) => [p.interval.lo, p.interval.hi]).filter(Number.isFinite);
  const lo = Math.min(-0.5, ...ys),
    hi = Math.max(0.5, ...ys);
  const xa = linearAxis(0, 0.8, [x0, x1]);
  const ya = linearAxis(lo, hi, [y0, y1]);
  const parts: string[] = [];
  parts.push(renderAxis(xa, 'bottom', y0, { title: 'α (s = d^α)', grid: [y0, y1] }));
  parts.push(renderAxis(ya, 'left', x0, { title: 'Δb = b(pruned) − b(dense)', grid: [x0, x1] }));
  if (cond) {
    const r0 = cond.range;
    parts.push(
      el('rect', {
        x: xa.map(Math.max(0, r0.lo)),
        y: y1,
        width: xa.map(Math.min(0.8, r0.hi)) - xa.map(Math.max(0, r0.lo)),
        height: y0 - y1,
        fill: '#009E73',
        opacity: 0.1,
      }),
    );
    if (cond.interval) {
      const a = Math.max(0, cond.interval.lo),
        b = Math.min(0.8, cond.interval.hi);
      parts.push(
        el('rect', {
          x: xa.map(a),
          y: ya.map(0) - 4,
          width: Math.max(1, xa.map(b) - xa.map(a)),
          height: 8,
          fill: '#0072B2',
          opacity: 0.5,
        }),
      );
    }
    if (cond.measured !== null && cond.measured >= 0 && cond.measured <= 0.8)
      parts.push(
        el('line', {
          x1: xa.map(cond.measured),
          x2: xa.map(cond.measured),
          y1: y1,
          y2: y0,
          stroke: '#0072B2',
          'stroke-dasharray': '4 3',
        }),
      );
  }
  parts.push(el('line', { x1: x0, x2: x1, y1: ya.map(0), y2: ya.map(0), stroke: '#555' }));
  for (const p of pts) {
    const x = xa.map(p.alpha);
    parts.push(
      el('line', {
        x1: x,
        x2: x,
        y1: ya.map(Math.max(lo, p.interval.lo)),
        y2: ya.map(Math.min(hi, p.interval.hi)),
        stroke: '#D55E00',
        'stroke-width': 2,
      }),
    );
    parts.push(
      el(
        'circle',
        { cx: x, cy: ya.map(p.delta), r: 4.5, fill: '#D55E00' },
        el(
          'title',
          {},
          esc(
            `α = ${p.alpha}: Δb = ${p.delta.toFixed(2)} [${p.interval.lo.toFixed(2)}, ${p.interval.hi.toFixed(2)}] over d = ${p.ds.join(', ')}`,
          ),
        ),
      ),
    );
  }
  if (pts.length >= 2) {
    const line: [number, number][] = [0, 0.8].map(
      (a) => [xa.map(a), ya.map(Math.max(lo, Math.min(hi, theoryLine(a))))] as [number, number],
    );
    parts.push(el('path', { d: pathD(line), stroke: '#999', 'stroke-dasharray': '2 3', fill: 'none' }));
  }
  parts.push(
    text(x0 + 8, y1 + 14, 'green: predicted α_c range; blue: the measured α_c interval; grey dotted: theory 2α − 1', {
      class: 'pl-sub',
    }),
  );
  return svgRoot(W, H, `Δb against α, ${r.id}`, parts.join(''));
}

// The theory's Δb at k* = 2 without log factors: pruned d^(2α) against dense d.
const theoryLine = (alpha: number) => 2 * alpha - 1;

/** A verdict as a coloured badge (the `.v` classes of claims.html and the demo page). */
export function verdictBadge(v: string): string {
  return `<span class="v ${esc(v)}">${esc(MARK[v] ?? v)}</span>`;
}

/** A claim's conditions as an HTML table: label, measured value and interval, predicted range, verdict, why. */
export function conditionsTableHtml(r: ClaimResult): string {
  const rows = r.conditions
    .map(
      (c) =>
        `<tr><td>${esc(c.label)}</td><td class="num">${esc(conditionValue(c))}</td><td>${esc(c.range.text)}</td><td>${verdictBadge(c.verdict)}</td><td class="small">${esc(c.reason)}</td></tr>`,
    )
    .join('');
  return `<table><tr><th>condition</th><th>measured [interval]</th><th>predicted</th><th>verdict</th><th>why</th></tr>${rows}</table>`;
}

export interface ClaimFigureOptions {
  /** Bootstrap replicates of the n* figure's analysis (default 200). */
  replicates?: number;
  /** The n* figure's width in pixels (nStarPlot's default when absent). */
  width?: number;
}

/**
 * A claim's figures: Δb against α for the threshold claim, else n*50(d) with the theory lines for
 * each panel of its records (the report's analysis); empty when there is nothing to draw.
 */
export function claimFigureHtml(
  r: ClaimResult,
  records: readonly TrialRecord[],
  opts: ClaimFigureOptions = {},
): string {
  if (r.alphaPoints)
    return `<figure>${deltaAlphaPlot(r)}<figcaption>Δb(α) with its ${levelText(r.conditions[0]?.interval?.level ?? 0.9)} intervals over d = ${esc(r.alphaPoints[0]?.ds.join(', ') ?? '')}; α_c where the fitted line crosses 0.</figcaption></figure>`;
  if (!records.length) return '';
  const a = analyze(records, { replicates: opts.replicates ?? 200 });
  const plotOpts = opts.width !== undefined ? { width: opts.width } : {};
  return a.panels
    .map(
      (p) =>
        `<figure>${nStarPlot(p, plotOpts)}<figcaption>${esc(p.title)}: n*50(d) with the theory lines.</figcaption></figure>`,
    )
    .join('');
}

/** The records a claim's verdict rests on: those of its experiments at the tier it was judged at. */
export function claimRecords(
  r: Pick<ClaimResult, 'id' | 'tier'>,
  records: Record<string, readonly TrialRecord[]>,
): TrialRecord[] {
  return (CLAIMS.find((c) => c.id === r.id)?.experiments[r.tier] ?? []).flatMap((n) => records[n] ?? []);
}

/** claims.html: the checklist, then one section per claim with its conditions and its figure. */
export function renderClaimsHtml(
  file: ClaimsFile,
  recordsOf: (id: string) => readonly TrialRecord[],
  out = 'results/paper',
): string {
  const summary = file.claims
    .map(
      (r) =>
        `<tr><td><a href="#${r.id}">${r.id}</a></td><td>${esc(r.title)}</td><td>${verdictBadge(r.verdict)}</td><td>${r.tier}</td></tr>`,
    )
    .join('');
  const sections = file.claims
    .map(
      (r) => `<section id="${r.id}"><h2>${r.id}. ${esc(r.title)} ${verdictBadge(r.verdict)}</h2>
<p>${esc(r.statement)} <span class="small">(${esc(r.source)})</span></p>
<p><b>Prediction</b>, fixed before any data: ${esc(r.prediction)}.</p>
${conditionsTableHtml(r)}
${claimFigureHtml(r, recordsOf(r.id))}
<p class="small">${r.trials} trials, ${r.tier} tier. Reproduce: <code>${esc(claimCommand(r, out))}</code></p></section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>prunelab: the paper, claim by claim</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.6em 0}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.num{font-variant-numeric:tabular-nums;white-space:nowrap}.small{font-size:12.5px;color:#555}
.v{padding:1px 7px;border-radius:9px;font-size:12.5px;font-weight:600}.v.holds{background:#d7f0e3;color:#05643a}
.v.fails{background:#f9d6d5;color:#8a1c17}.v.inconclusive{background:#eee;color:#555}figure{margin:.8em 0}
figcaption{font-size:13px;color:#555;max-width:90ch}code{font-size:13px}</style></head><body>
<h1>Pruning is optimal for learning sparse features: the paper, claim by claim</h1>
<p>Vural &amp; Erdogdu, COLT 2024. Each claim's prediction and verdict rule were fixed before any data (DESIGN §2.5):
<b>holds</b> when the interval lies inside the predicted range, <b>fails</b> when it lies wholly outside, <b>inconclusive</b> otherwise.
prunelab ${esc(file.prunelab)}, wasm <code>${esc(file.wasmSha.slice(0, 12))}</code>.</p>
<table><tr><th>claim</th><th></th><th>verdict</th><th>tier</th></tr>${summary}</table>
${sections}
</body></html>
`;
}
