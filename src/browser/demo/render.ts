// The results: the report's analysis of the records on the page, drawn with the report's own
// plots (n* against d, the success heat maps, alignment and error) under the summary cards.
// Redrawn at most every 400 ms while trials arrive, with fewer bootstrap replicates while live,
// so a fast run does not spend its time drawing.
import { analyze } from '../../analysis/report/analyze.js';
import { heatMap, metricPlot, nStarPlot } from '../../analysis/report/plots.js';
import { esc, fmtInt } from '../../analysis/report/svg.js';
import { byId } from './dom.js';
import { busy, session } from './session.js';
import { summaryCard } from './summary-card.js';

const REDRAW_MS = 400;

let timer: ReturnType<typeof setTimeout> | null = null;
let last = 0;

/** Draws soon: at once if the last drawing is old enough, else when it is. */
export function renderSoon(): void {
  if (timer !== null) return;
  timer = setTimeout(
    () => {
      timer = null;
      render();
    },
    Math.max(0, REDRAW_MS - (performance.now() - last)),
  );
}

function plotWidth(el: HTMLElement, lo: number, hi: number): number {
  return Math.round(Math.max(lo, Math.min(hi, el.clientWidth || hi)));
}

const swatch = (color: string) => `<span class="sw" style="background:${esc(color)}"></span>`;

export function render(): void {
  last = performance.now();
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
  const { records } = session;
  const has = records.length > 0;
  byId('intro').hidden = has;
  for (const id of ['nstar-card', 'heat-card', 'metric-card']) byId(id).hidden = !has;
  byId('trials-empty').hidden = has;
  byId('trial-count').textContent = has ? `(${fmtInt(records.length)})` : '';
  if (!has) {
    byId('summary').innerHTML = '';
    return;
  }
  const live = busy();
  const a = analyze(records, { replicates: live ? 200 : 1000 });
  const many = a.panels.length > 1;
  byId('summary').innerHTML = a.panels.map((p) => summaryCard(p, many, live)).join('');
  const nsEl = byId('nstar-plot');
  const w = plotWidth(nsEl, 760, 1060);
  nsEl.innerHTML = a.panels
    .map(
      (p) =>
        `<figure>${many ? `<figcaption><b>${esc(p.title)}</b></figcaption>` : ''}${nStarPlot(p, { width: w })}</figure>`,
    )
    .join('');
  const caption = (s: (typeof a.panels)[number]['series'][number], title: string, more = '') =>
    `<figcaption>${swatch(s.color)}<b>${esc(s.label)}</b>${many ? ` · ${esc(title)}` : ''}${more}</figcaption>`;
  byId('heat').innerHTML = a.panels
    .flatMap((p) => p.series.map((s) => `<figure>${caption(s, p.title)}${heatMap(s)}</figure>`))
    .join('');
  // the metric plots are many and folded away by default: drawn while live only when open
  if (byId<HTMLDetailsElement>('metric-card').open || !live) {
    byId('metrics').innerHTML = a.panels
      .flatMap((p) =>
        p.series.map(
          (s) =>
            `<figure>${caption(s, p.title, ': median over seeds (line), each seed (dots)')}${metricPlot(s, 'alignMax', { width: 440 })}${metricPlot(s, 'relMse', { width: 440 })}</figure>`,
        ),
      )
      .join('');
  }
}
