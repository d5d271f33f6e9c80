// The report: one self-contained HTML file (inline SVG and CSS, no scripts, no network) from raw
// trial records. Deterministic: the same records and options give the same bytes on every engine
// (no clock is read; pass `generatedAt` to stamp one).
import { analyze, type Analysis, type AnalyzeOptions, type PanelAnalysis, type SeriesAnalysis } from './analyze.js';
import { heatMap, localExponentPlot, metricPlot, nStarPlot, successCurvePlot } from './plots.js';
import { jointExponentText, n50Text, ratioText, slopeText } from './text.js';
import { LINE_CHECK_LEVEL } from '../../stats/line-check.js';
import { levelText } from '../../stats/interval.js';
import { DENSE_LEARNER, PRUNED_LEARNERS } from '../../core/rules.js';
import { summarize, verdict } from './summary.js';
import { esc, fmtFixed, fmtInt } from './svg.js';
import { formatStatedSlope, referenceScalings, scaling, sup } from '../../stats/theory.js';
import type { TrialRecord } from '../../core/types.js';
import { ALIGN_SUCCESS, SUCCESS_REL_MSE } from '../../core/rules.js';

export interface ReportOptions extends AnalyzeOptions {
  /** Page title (default: "prunelab report: <first panel's setting>"). */
  title?: string;
  /** Where the records came from, shown in the footer (e.g. the file name). */
  source?: string;
  /** A timestamp to print; none by default, so reports are reproducible byte for byte. */
  generatedAt?: string;
}

/** Render the report from raw trial records. */
export function renderReport(records: readonly TrialRecord[], options: ReportOptions = {}): string {
  return renderAnalysis(analyze(records, options), options);
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1d1d1f;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1160px;margin:0 auto;padding:28px 32px 48px}
h1{font-size:26px;line-height:1.25;margin:0 0 4px}
h2{font-size:20px;margin:36px 0 10px;padding-top:18px;border-top:1px solid #e3e3e3}
h3{font-size:16px;margin:26px 0 8px}
p{margin:8px 0;max-width:80ch}
.lede{color:#555;margin:0 0 18px}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:10px 0;font-size:14px}
.kv dt{color:#666}
.kv dd{margin:0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
table{border-collapse:collapse;margin:8px 0 12px;font-size:14px}
th,td{padding:5px 12px;border-bottom:1px solid #e6e6e6;text-align:left;vertical-align:top}
th{background:#f6f6f7;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}
.censored{color:#b2182b;font-style:italic}
.missing{color:#aaa}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:7px;vertical-align:-1px}
figure{margin:10px 0 18px}
figcaption{font-size:13px;color:#555;max-width:90ch;margin-top:2px}
.row>figure{display:table}
.row>figure>figcaption{display:table-caption;caption-side:bottom}
.row{display:flex;flex-wrap:wrap;gap:8px 28px;align-items:flex-start}
.summary{background:#f4f8fb;border-left:4px solid #0072B2;padding:8px 14px;max-width:none}
.warn{background:#fff7e6;border-left:4px solid #e69f00;padding:8px 14px;max-width:none;font-size:14px}
.small{font-size:13px;color:#555}
footer{margin-top:40px;padding-top:14px;border-top:1px solid #e3e3e3;font-size:13px;color:#666}
svg.plot{max-width:100%;height:auto;overflow:visible}
@media print{main{padding:0}h2{break-before:auto}figure,table{break-inside:avoid}}
`;

function swatch(color: string): string {
  return `<span class="sw" style="background:${esc(color)}"></span>`;
}

function seriesCell(s: SeriesAnalysis): string {
  return `${swatch(s.color)}${esc(s.label)}`;
}

function nStarText(p: { nStar: number | null; censoredAbove: number | null } | undefined): string {
  if (!p) return '<span class="missing">not run</span>';
  if (p.nStar !== null) return fmtInt(p.nStar);
  if (p.censoredAbove !== null) return `<span class="censored">&gt; ${fmtInt(p.censoredAbove)}</span>`;
  return '<span class="missing">n/a</span>';
}

function distinct(values: unknown[]): string {
  const seen = [...new Set(values.map((v) => (v === null || v === undefined ? 'none' : String(v))))];
  return seen.join(', ');
}

function settingSection(a: Analysis): string {
  const series = a.panels.flatMap((p) => p.series);
  const set = (k: string) => distinct(series.map((s) => (s.setting as unknown as Record<string, unknown>)[k]));
  const teacherRows: [string, string][] = [
    ['link', set('link')],
    ['information exponent k*', set('kStar')],
    ['sparsity α (s = round(d^α))', set('alpha')],
    [
      's per d',
      a.panels
        .map(
          (p) =>
            `${a.panels.length > 1 && p.alpha !== null ? `α = ${p.alpha}: ` : ''}${p.ds.map((x) => `${fmtInt(x.d)} → ${x.s}`).join(', ')}`,
        )
        .filter((v, i, all) => all.indexOf(v) === i)
        .join('; '),
    ],
    ['directions r, family', `${set('r')}; ${set('sparsity')}, ${set('entries')} entries`],
    ['label noise τ', set('noise')],
  ];
  const learnerRows: [string, string][] = [
    ['methods', a.meta.methods.join(', ')],
    ['neurons m, steps T, step η', `${set('m')}; ${set('steps')}; ${set('eta')}`],
    ['batch, split n₁/n', `${set('batch')}; ${set('split')}`],
    ['mask score K, threshold c', `${set('K')}; ${set('c')}`],
    ['readout n₃, test samples', `${set('n3')}; ${set('nTest')}`],
  ];
  const runRows: [string, string][] = [
    ['seeds', `${a.meta.seeds.length} distinct; up to ${a.meta.maxSeedsPerCell} per (d, n)`],
    [
      'trials',
      `${fmtInt(a.meta.unique)}${a.meta.records > a.meta.unique ? ` (${fmtInt(a.meta.records - a.meta.unique)} repeated ids dropped)` : ''}; ${fmtInt(a.meta.diverged)} diverged`,
    ],
    [
      'success',
      a.options.criterion === 'success'
        ? `test relative MSE < ${SUCCESS_REL_MSE}, in at least half of the seeds`
        : `alignment max > ${ALIGN_SUCCESS}, in at least half of the seeds`,
    ],
    [
      'intervals',
      `n*50 and exponents: ${levelText(a.options.level)} credible intervals of the psychometric fit (trials treated as independent); grid-rule slopes: ${levelText(a.options.level)} percentile bootstrap over seeds, ${fmtInt(a.options.replicates)} replicates, seed ${a.options.seed}`,
    ],
    ['prunelab version', a.meta.versions.map(esc).join(', ') || 'n/a'],
    ['wasm SHA-256', a.meta.wasmShas.map((s) => `<span class="mono">${esc(s)}</span>`).join('<br>') || 'n/a'],
  ];
  const dl = (rows: [string, string][], raw = false) =>
    `<dl class="kv">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${raw ? v : esc(v)}</dd>`).join('')}</dl>`;
  return `<section><h2>Setting</h2><div class="row"><div><h3>Teacher</h3>${dl(teacherRows)}</div><div><h3>Learners</h3>${dl(learnerRows)}</div><div><h3>Run</h3>${dl(
    runRows.map(([k, v], i) => [k, i < 4 ? esc(v) : v] as [string, string]),
    true,
  )}</div></div></section>`;
}

function theoryLine(p: PanelAnalysis): string {
  const k = p.kStar,
    a = p.alpha;
  const parts = referenceScalings().map(
    (sc) =>
      `${sc.id === 'pruned' ? 'pruned' : sc.id === 'dense-reuse' ? 'dense (reuse)' : sc.id === 'dense-fresh' ? 'dense (fresh)' : sc.id === 'csq-rotation' ? 'rotation-invariant CSQ bound' : 'sparsity-aware CSQ bound'} ${formatStatedSlope(sc.statedSlope(k, a))}`,
  );
  return `Theory at k* = ${k}${a !== null ? `, α = ${a}` : ''}: slopes in d of ${parts.join('; ')}.`;
}

function summaryLine(p: PanelAnalysis, a: Analysis): string {
  const pruned = p.series.find((s) => PRUNED_LEARNERS.includes(s.method) && s.fits.d.fit);
  const dense = p.series.find((s) => s.method === DENSE_LEARNER && s.fits.d.fit);
  const bits: string[] = [];
  const v = verdict(p);
  if (v) bits.push(`<b>${esc(v)}</b>`);
  const fitted = p.series.filter((s) => s.joint.vsD);
  if (fitted.length)
    bits.push(
      `Exponent of n*50 against d (joint model, ${levelText(a.options.level)} interval): ${fitted.map((s) => `${esc(s.label)} ${esc(jointExponentText(s.joint.vsD))}`).join(', ')}.`,
    );
  if (p.series.some((s) => s.fits.d.fit))
    bits.push(
      `Grid rule (cross-check): ${p.series
        .filter((s) => s.fits.d.fit)
        .map((s) => `${esc(s.label)} ${esc(slopeText(s.fits.d))}`)
        .join(', ')}.`,
    );
  if (pruned && dense && pruned.fits.d.interval && dense.fits.d.interval) {
    const pi = pruned.fits.d.interval,
      di = dense.fits.d.interval;
    const overlap = pi.hi >= di.lo && di.hi >= pi.lo;
    bits.push(
      `The ${levelText(pi.level)} grid-rule intervals of ${esc(pruned.label)} and ${esc(dense.label)} ${overlap ? 'overlap' : 'do not overlap'}.`,
    );
  }
  for (const r of p.ratios) {
    const known = r.entries.filter((e) => e.value !== null);
    if (known.length >= 1) {
      const f = (e: (typeof known)[number]) =>
        `${e.relation === '>' ? '> ' : e.relation === '<' ? '< ' : ''}${ratioText(e.value!)} at d = ${fmtInt(e.d)}`;
      bits.push(
        `n*<sub>dense</sub>/n*<sub>pruned</sub> (${esc(r.label)}): ${known.length > 1 ? `${f(known[0]!)} → ${f(known[known.length - 1]!)}` : f(known[0]!)}.`,
      );
    }
  }
  if (!fitted.length) bits.push('No series has two uncensored points yet, so there is no slope.');
  return `<p class="summary">${bits.join(' ')}</p>`;
}

function warnings(p: PanelAnalysis, a: Analysis): string {
  const w: string[] = [];
  for (const s of p.series) {
    const misfit = s.joint.vsD?.misfit ?? [];
    if (misfit.length)
      w.push(
        `${esc(s.label)}: the line does not fit d = ${misfit.map(fmtInt).join(', ')} (the per-d line check, p &lt; ${LINE_CHECK_LEVEL}); the exponent's interval carries the scatter τ it needs, and the local exponents below say where the line bends.`,
      );
    const open = s.threshold.nstar.filter((f) => f.fit.censored === 'above');
    const gridLeftOut = s.points.filter((pt) => pt.nStar === null).length;
    if (open.length || gridLeftOut) {
      const parts: string[] = [];
      if (open.length)
        parts.push(
          `${open.length} n*50 interval${open.length > 1 ? 's' : ''} open above (${open.map((f) => `d = ${fmtInt(f.d)}: ${esc(n50Text(f.fit))}`).join('; ')}), kept in the exponent fit as one-sided constraints: each pulls the line up without a made-up value`,
        );
      if (gridLeftOut)
        parts.push(
          `the grid-rule cross-check leaves its ${gridLeftOut} censored point${gridLeftOut > 1 ? 's' : ''} out of its slopes, which biases those slopes low when the points sit at the large-d end`,
        );
      w.push(`${esc(s.label)}: ${parts.join('; ')}.`);
    }
  }
  if (a.meta.wasmShas.length > 1)
    w.push(
      `The records come from ${a.meta.wasmShas.length} different wasm builds; results from different builds need not agree bit for bit.`,
    );
  if (a.meta.diverged > 0)
    w.push(
      `${fmtInt(a.meta.diverged)} trial${a.meta.diverged > 1 ? 's' : ''} diverged (NaN or Inf) and count as failures.`,
    );
  if (p.alpha !== null && p.alpha >= 0.5)
    w.push(
      `α = ${p.alpha} ≥ 1/2: theory expects no advantage from pruning here (s${sup(p.kStar)} ≥ d${sup(p.kStar / 2)}).`,
    );
  return w.map((x) => `<p class="warn">${x}</p>`).join('');
}

function nStarTable(p: PanelAnalysis): string {
  const head = `<tr><th class="num">d</th><th class="num">s</th>${p.series.map((s) => `<th class="num">${seriesCell(s)}</th>`).join('')}${p.ratios.map((r) => `<th class="num">ratio n*<sub>dense</sub>/n*<sub>pruned</sub><div class="small">${esc(r.label)}</div></th>`).join('')}</tr>`;
  const rows = p.ds
    .map(({ d, s }) => {
      const cells = p.series
        .map((se) => `<td class="num">${nStarText(se.points.find((pt) => pt.d === d))}</td>`)
        .join('');
      const ratios = p.ratios
        .map((r) => {
          const e = r.entries.find((x) => x.d === d);
          if (!e || e.value === null) return '<td class="num"><span class="missing">—</span></td>';
          const t = `${e.relation === '>' ? '&gt; ' : e.relation === '<' ? '&lt; ' : ''}${fmtFixed(e.value, 2)}`;
          return `<td class="num">${e.relation === '=' ? t : `<span class="censored">${t}</span>`}</td>`;
        })
        .join('');
      return `<tr><td class="num">${fmtInt(d)}</td><td class="num">${s}</td>${cells}${ratios}</tr>`;
    })
    .join('');
  return `<div class="scroll"><table class="nstar-table">${head}${rows}</table></div>`;
}

function slopeTable(p: PanelAnalysis, a: Analysis): string {
  const pct = levelText(a.options.level);
  const head = `<tr><th>series</th><th class="num">slope vs log d [${pct}]</th><th class="num">slope vs log(${scaling('pruned').regressor.text(p.kStar)}) [${pct}]</th><th>reference (stated slope in d)</th><th class="num">fitted C</th><th class="num">points used / censored</th></tr>`;
  const rows = p.series
    .map((s) => {
      const ref = s.reference
        ? `${esc(scaling(s.reference.id).formulaAt(p.kStar))} (${esc(formatStatedSlope(s.reference.stated))})`
        : '<span class="missing">none (control)</span>';
      const note = s.fits.d.reason
        ? `<div class="small">${esc(s.fits.d.reason)}</div>`
        : s.fits.d.intervalReason && a.options.replicates > 0
          ? `<div class="small">${esc(s.fits.d.intervalReason)}</div>`
          : '';
      return `<tr><td>${seriesCell(s)}${note}</td><td class="num">${esc(slopeText(s.fits.d))}</td><td class="num">${esc(slopeText(s.fits.skLogd))}</td><td>${ref}</td><td class="num">${s.reference ? esc(s.reference.C.toPrecision(3)) : '—'}</td><td class="num">${s.fits.d.usedD.length} / ${s.fits.d.censored.length}</td></tr>`;
    })
    .join('');
  return `<div class="scroll"><table class="slope-table">${head}${rows}</table></div>`;
}

function panelSection(p: PanelAnalysis, a: Analysis, idx: number, many: boolean): string {
  const heat = p.series
    .map(
      (s) =>
        `<figure>${heatMap(s)}<figcaption>${swatch(s.color)}<b>${esc(s.label)}</b>: seeds succeeding at each (d, n) tried; outlined: n*; grey: not tried.</figcaption></figure>`,
    )
    .join('');
  const metrics = p.series
    .map(
      (s) =>
        `<figure><div class="row">${metricPlot(s, 'alignMax')}${metricPlot(s, 'relMse')}</div><figcaption>${swatch(s.color)}<b>${esc(s.label)}</b>: median over seeds (line) and each seed (dots) per d; dashed: the criterion's threshold.</figcaption></figure>`,
    )
    .join('');
  return `<section class="panel" id="panel-${idx + 1}">
<h2>${many ? `${idx + 1}. ` : ''}${esc(p.title)}</h2>
${summaryLine(p, a)}
<p class="small">${esc(theoryLine(p))}</p>
${warnings(p, a)}
<figure>${nStarPlot(p)}<figcaption>n*50 against d on log-log axes. Dots and bars: n*50 from the joint model with its ${levelText(a.options.level)} credible interval (an arrow where the data leave that side open); solid line and band: the joint model's line with its ${levelText(a.options.level)} band; open squares: the √2-grid rule (cross-check), triangles where it is censored; dashed: each learner's reference scaling, stated slope with only the constant fitted; grey dotted: the two CSQ lower bounds, slope only (theory gives no constant; drawn with C = 1).</figcaption></figure>
<h3>Local exponents</h3>
<figure>${localExponentPlot(p)}<figcaption>The slope of log n*50 between consecutive d, each with its ${levelText(a.options.level)} interval from the joint posterior of the thresholds (neighbours share a d, so their errors are correlated, about −0.5). Dashed: each learner's stated slope; grey: the CSQ bound k*/2. A slope that keeps rising with d says the asymptotic regime has not been reached; judge an asymptotic exponent on the slope at the largest d.</figcaption></figure>
<h3>Success against n, with the fitted curves</h3>
<div class="row">${p.series.map((s) => `<figure>${successCurvePlot(s)}<figcaption>${swatch(s.color)}<b>${esc(s.label)}</b>: success rate per n (dots, size by trials), the fitted P(success | n) per d (darker: larger d) and the n*50 interval at 1/2.</figcaption></figure>`).join('')}</div>
<h3>Fit summary</h3>
<pre class="fit-summary">${esc(summarize({ ...a, panels: [p] }))}</pre>
<h3>Grid-rule cross-check: n* per dimension</h3>
${nStarTable(p)}
<h3>Grid-rule cross-check: slopes</h3>
<p class="small">Least squares through the grid-rule n*, with a bootstrap over seeds within each (d, n) cell. These intervals can collapse to zero width, which is why the claim rests on the psychometric fit above.</p>
${slopeTable(p, a)}
<h3>Success over (d, n)</h3>
<div class="row">${heat}</div>
<h3>Alignment and error against n</h3>
${metrics}
</section>`;
}

function howToRead(a: Analysis): string {
  const settings = [
    ...new Map(a.panels.map((p) => [`${p.kStar}|${p.alpha}`, { k: p.kStar, alpha: p.alpha }])).values(),
  ];
  const head = `<tr><th>learner or bound</th><th>scaling</th>${settings.map((s) => `<th class="num">slope in d at k* = ${s.k}${s.alpha !== null ? `, α = ${s.alpha}` : ''}</th>`).join('')}</tr>`;
  const rows = referenceScalings()
    .map(
      (sc) =>
        `<tr><td>${esc(sc.label)}${sc.kind === 'lower-bound' ? ' <span class="small">(lower bound)</span>' : ''}</td><td>${formulaHtml(sc.formula)}</td>${settings.map((s) => `<td class="num">${esc(formatStatedSlope(sc.statedSlope(s.k, s.alpha)))}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<section><h2>How to read this</h2>
<p><b>n*50</b> is the sample size where the fitted probability of success (test relative MSE below ${SUCCESS_REL_MSE}) crosses one half. When the data do not close its interval above (every n tried fails often enough), the point reads “&gt; N”: a lower bound, <b>kept</b> in the exponent fit as a one-sided constraint, never dropped.</p>
<p><b>How to read an interval.</b> Each learner's trials are fitted by one joint model (DESIGN §2.4b): P(success | n, d) = 0.01 + 0.98·Φ((log₂ n − a − b·log₂ x(d) − δ<sub>d</sub>)/σ), σ shared across d, δ<sub>d</sub> ~ N(0, τ²) a scatter about the line with τ estimated (exponential prior, P(τ &gt; 0.5 octave) = 5%), flat priors on a and b, lapses fixed at 1%. n*50(d) = 2<sup>μ<sub>d</sub></sup> is where the fitted success probability crosses one half, and its bar is the ${levelText(a.options.level)} credible interval; each d is also fitted alone (a probit per d with its own σ) as a cross-check, and a leave-one-out check names any d the line does not fit. An arrow means the data leave that side open (the interval runs past the n that were tried). The exponent b of n*50 ∝ d<sup>b</sup> (or ∝ x(d)<sup>b</sup> for the learner's theory scaling x) comes from the joint posterior of the line over all d; the verdict uses the interval of Δb over the dimensions both learners have, and says so when it contains 0. Trials are treated as independent; the grid design gives every trial its own seed, while the search reuses seeds across n, which makes its intervals somewhat too narrow.</p>
<p>The √2-grid rule below is the cross-check: its <b>n*</b> is the smallest n on the grid n<sub>j</sub> = round(32·2<sup>j/2</sup>) from which every larger n tried succeeds in at least half of the seeds; when even the largest n tried fails, it is censored (“&gt; N”), and only this cross-check leaves such points out of its slopes. On log-log axes, n* ∝ d<sup>β</sup> is a straight line of slope β. The <b>slope against log d</b> estimates β directly. The <b>slope against log(s<sup>k*</sup>·log d)</b> is 1 when n* follows the pruned theory C·s<sup>k*</sup>·log d. Intervals are ${levelText(a.options.level)} percentile bootstrap intervals: the seeds of every (d, n) cell are resampled, n* is re-scored with the same rule and the line refitted, ${fmtInt(a.options.replicates)} times. With few seeds per cell the intervals are coarse.</p>
<p>The dashed <b>reference lines</b> have the slope theory states and only their constant fitted to the measured points, so they compare shapes, not levels. Pruning should win when α &lt; 1/2, where the sparsity-aware CSQ bound s<sup>k*</sup> is below the rotation-invariant d<sup>k*/2</sup>; at α ≥ 1/2 no advantage is expected, and the report shows what the data say either way. The ratio n*<sub>dense</sub>/n*<sub>pruned</sub> should then grow with d.</p>
<p>In the <b>heat maps</b> each cell is one (d, n) that was tried, coloured by the share of seeds that succeeded (red below one half, blue above) and labelled “successes/seeds”; the outlined cell is n*. The <b>alignment</b> plots show max<sub>j</sub> ‖P<sub>V</sub>w<sub>j</sub>‖, how well the best neuron found the hidden directions (above ${ALIGN_SUCCESS} is the second success criterion).</p>
<h3>Reference scalings (DESIGN §2.3; Vural &amp; Erdogdu, COLT 2024)</h3>
<table>${head}${rows}</table>
</section>`;
}

/** A plain-text formula with its exponents set as superscripts. */
function formulaHtml(f: string): string {
  return esc(f)
    .replace(/\^max\(1, k\*−1\)/g, '<sup>max(1, k*−1)</sup>')
    .replace(/\^\(([^)]*)\)/g, '<sup>$1</sup>')
    .replace(/\^k\*/g, '<sup>k*</sup>');
}

/** Render a report from an existing analysis (the demo page analyses once and draws twice). */
export function renderAnalysis(a: Analysis, options: ReportOptions = {}): string {
  const many = a.panels.length > 1;
  const p0 = a.panels[0];
  const title =
    options.title ??
    (a.panels.length === 1 && p0
      ? `prunelab report: ${String(p0.teacher.link)}${p0.alpha !== null ? `, α = ${p0.alpha}` : ''}`
      : `prunelab report: ${a.panels.length} settings`);
  const lede = `Sample complexity n* of pruned and dense two-layer networks against the dimension d, ${a.meta.methods.map((m) => esc(m)).join(' vs ')}, from ${fmtInt(a.meta.unique)} trials.`;
  const toc = many ? `<p class="small">${a.panels.map((p, i) => `${i + 1}. ${esc(p.title)}`).join('<br>')}</p>` : '';
  const empty = a.panels.length === 0 ? '<p class="warn">No trial records: nothing to show.</p>' : '';
  const foot = [
    `prunelab ${a.meta.versions.map(esc).join(', ') || ''}`,
    `wasm ${a.meta.wasmShas.map((s) => `<span class="mono">${esc(s.slice(0, 12))}</span>`).join(', ')}`,
    options.source ? `records: <span class="mono">${esc(options.source)}</span>` : '',
    options.generatedAt ? `generated ${esc(options.generatedAt)}` : '',
    'Reproduces the experiments of “Pruning is Optimal for Learning Sparse Features in High-Dimensions”, Vural &amp; Erdogdu, COLT 2024 (arXiv:2406.08658).',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="prunelab">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${esc(title)}</h1><p class="lede">${lede}</p>${toc}</header>
${empty}
${settingSection(a)}
${a.panels.map((p, i) => panelSection(p, a, i, many)).join('\n')}
${howToRead(a)}
<footer>${foot}</footer>
</main>
</body>
</html>
`;
}
