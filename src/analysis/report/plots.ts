// The plots of the report and the demo page, as pure functions from an analysis to SVG strings:
// n*(d) on log-log axes with slopes and reference lines, the success heat map over (d, n), and
// alignment / relative MSE against n. They work on partial data too (the demo draws them live).
import { scaleLinear } from 'd3-scale';
import { gridBetween, gridIndex } from '../../stats/n-grid.js';
import { type ScalingId, formatStatedSlope, referenceCurve, scaling } from '../../stats/theory.js';
import { levelText } from '../../stats/interval.js';
import { jointExponentText, localSlopeText, slopeText } from './text.js';
import { log2, pow } from '../../core/math.js';
import { psychometric } from '../../stats/psychometric.js';
import { median, type MetricCell, type PanelAnalysis, type SeriesAnalysis } from './analyze.js';
import { el, esc, fmtInt, linearAxis, logAxis, pathD, px, renderAxis, svgRoot, text } from './svg.js';
import { ALIGN_SUCCESS, SUCCESS_REL_MSE } from '../../core/rules.js';

export interface PlotOptions {
  width?: number;
  /** Add the SVG namespace, for a file of its own (inline SVG in HTML does not need it). */
  standalone?: boolean;
}

function emptyPlot(width: number, height: number, title: string, message: string, opts: PlotOptions): string {
  return svgRoot(
    width,
    height,
    title,
    el('rect', { x: 0.5, y: 0.5, width: width - 1, height: height - 1, fill: '#fafafa', stroke: '#ddd' }) +
      text(width / 2, height / 2, message, { 'text-anchor': 'middle', class: 'pl-note' }),
    opts,
  );
}

function triangleUp(x: number, y: number, r: number): string {
  return `M${px(x)},${px(y - r)}L${px(x + r * 0.87)},${px(y + r * 0.5)}L${px(x - r * 0.87)},${px(y + r * 0.5)}Z`;
}

/** A learner's n*50 per d as the plots draw it: from the joint fit, or each d's own fit with fewer than two d. */
function n50Points(s: SeriesAnalysis): {
  d: number;
  n50: number;
  lo: number;
  hi: number;
  censored: 'above' | 'below' | null;
  nMin: number;
  nMax: number;
}[] {
  if (s.joint.vsD)
    return s.joint.vsD.points.map((p) => ({
      d: p.d,
      n50: p.n50.median,
      lo: p.n50.interval.lo,
      hi: p.n50.interval.hi,
      censored: p.censored,
      nMin: p.alone.nMin,
      nMax: p.alone.nMax,
    }));
  return s.threshold.nstar.map((f) => ({
    d: f.d,
    n50: f.fit.n50,
    lo: f.fit.n50CI.lo,
    hi: f.fit.n50CI.hi,
    censored: f.fit.censored,
    nMin: f.fit.nMin,
    nMax: f.fit.nMax,
  }));
}

/** n*(d) on log-log axes for one panel: points, censored "> N" markers, fitted-constant reference lines, slopes in the legend. */
export function nStarPlot(panel: PanelAnalysis, opts: PlotOptions = {}): string {
  const W = opts.width ?? 1000,
    H = 470;
  const legendW = 320;
  const x0 = 74,
    x1 = W - legendW - 20,
    y0 = H - 58,
    y1 = 18;
  const title = `n*50 against d, ${panel.title}`;
  const ds = panel.ds.map((x) => x.d);
  const ns: number[] = [];
  for (const s of panel.series) {
    for (const p of s.points) ns.push(p.nStar ?? p.censoredAbove ?? NaN);
    for (const f of n50Points(s)) ns.push(f.lo, Math.min(f.hi, f.nMax * 2));
    if (s.reference) for (const c of s.reference.curve) ns.push(c.n);
  }
  const finite = ns.filter((v) => Number.isFinite(v) && v > 0);
  if (ds.length === 0 || finite.length === 0) return emptyPlot(W, H, title, 'no n* points yet', opts);
  // the CSQ lower bounds are drawn in full (they are the floor every learner is compared with)
  for (const id of ['csq-rotation', 'csq-sparse'] as const)
    for (const c of referenceCurve(
      id,
      1,
      panel.ds.map((x) => ({ d: x.d, s: x.s, kStar: panel.kStar })),
    ))
      finite.push(c.n);
  const dMin = Math.min(...ds),
    dMax = Math.max(...ds);
  const xa = logAxis(dMin / 1.4, dMax * 1.4, [x0, x1], { at: ds });
  const nMin = Math.min(...finite),
    nMax = Math.max(...finite);
  const ya = logAxis(nMin / 1.7, nMax * 2.4, [y0, y1]);
  const yClamp = (n: number) => Math.max(y1, Math.min(y0, ya.map(n)));

  const parts: string[] = [];
  parts.push(renderAxis(xa, 'bottom', y0, { title: 'dimension d (log scale)', grid: [y0, y1] }));
  parts.push(renderAxis(ya, 'left', x0, { title: 'n*50 (samples needed, log scale)', grid: [x0, x1] }));

  // The two CSQ lower bounds, slope only (theory fixes no constant; drawn with C = 1), grey dotted.
  const teachers = panel.ds.map((x) => ({ d: x.d, s: x.s, kStar: panel.kStar }));
  const csq: { id: ScalingId; dash: string }[] = [
    { id: 'csq-rotation', dash: '2 3' },
    { id: 'csq-sparse', dash: '1 5' },
  ];
  if (teachers.length > 1)
    for (const b of csq)
      parts.push(
        el('path', {
          d: pathD(referenceCurve(b.id, 1, teachers).map((c) => [xa.map(c.d), ya.map(c.n)])),
          fill: 'none',
          stroke: '#666',
          'stroke-width': 1.6,
          'stroke-dasharray': b.dash,
        }),
      );

  for (const s of panel.series) {
    if (s.reference && s.reference.curve.length > 1) {
      parts.push(
        el('path', {
          d: pathD(s.reference.curve.map((c) => [xa.map(c.d), ya.map(c.n)])),
          fill: 'none',
          stroke: s.color,
          'stroke-width': 1.5,
          'stroke-dasharray': '6 4',
          opacity: 0.75,
        }),
      );
    }
    // The joint model's line log2 n = a + b·log2 d with its band, over the d this learner has.
    const e = s.joint.vsD;
    if (e && e.points.length > 1) {
      const lo = log2(e.points[0]!.d),
        hi = log2(e.points[e.points.length - 1]!.d);
      const xs = Array.from({ length: 17 }, (_, i) => lo + ((hi - lo) * i) / 16);
      const bands = xs.map((x) => {
        const b = e.band(x);
        return { x, mid: b.mid, lo: b.interval.lo, hi: b.interval.hi };
      });
      const upper = bands.map((b) => [xa.map(pow(2, b.x)), yClamp(pow(2, b.hi))] as [number, number]);
      const lower = bands.map((b) => [xa.map(pow(2, b.x)), yClamp(pow(2, b.lo))] as [number, number]).reverse();
      parts.push(el('path', { d: `${pathD([...upper, ...lower])}Z`, fill: s.color, opacity: 0.16, stroke: 'none' }));
      parts.push(
        el('path', {
          d: pathD(bands.map((b) => [xa.map(pow(2, b.x)), yClamp(pow(2, b.mid))])),
          fill: 'none',
          stroke: s.color,
          'stroke-width': 2.2,
        }),
      );
    }
    // n*50 with its interval bar; an open end (arrow) where the data do not close the interval.
    for (const f of n50Points(s)) {
      const x = xa.map(f.d);
      // an open side ends one octave beyond the tried range, with an arrowhead
      const top = yClamp(f.censored === 'above' ? f.nMax * 2 : f.hi);
      const bottom = yClamp(f.censored === 'below' ? f.nMin / 2 : f.lo);
      parts.push(el('line', { x1: x, x2: x, y1: top, y2: bottom, stroke: s.color, 'stroke-width': 2 }));
      for (const [yy, open] of [
        [top, f.censored === 'above'],
        [bottom, f.censored === 'below'],
      ] as const)
        parts.push(
          open
            ? el('path', {
                d: triangleUp(x, yy, 5).replace(/^/, ''),
                fill: s.color,
                transform: yy === bottom ? `rotate(180 ${px(x)} ${px(yy)})` : null,
              })
            : el('line', { x1: x - 5, x2: x + 5, y1: yy, y2: yy, stroke: s.color, 'stroke-width': 2 }),
        );
      if (f.n50 <= f.nMax * 2 && f.n50 >= f.nMin / 2)
        parts.push(
          el(
            'circle',
            {
              cx: x,
              cy: yClamp(f.n50),
              r: 4.5,
              fill: s.color,
              stroke: '#fff',
              'stroke-width': 1,
              class: 'pl-point',
            },
            el(
              'title',
              {},
              esc(
                `${s.label}: d = ${fmtInt(f.d)}, n*50 = ${fmtInt(f.n50)} [${fmtInt(f.lo)}, ${fmtInt(f.hi)}]${f.censored ? ` (interval open ${f.censored})` : ''}`,
              ),
            ),
          ),
        );
    }
    // The √2-grid rule beside it (cross-check): small open squares, triangles when censored.
    for (const p of s.points) {
      const x = xa.map(p.d) + 9;
      if (p.nStar !== null) {
        const y = ya.map(p.nStar);
        parts.push(
          el(
            'rect',
            {
              x: x - 3.5,
              y: y - 3.5,
              width: 7,
              height: 7,
              fill: '#fff',
              stroke: s.color,
              'stroke-width': 1.5,
              class: 'pl-gridrule',
            },
            el('title', {}, esc(`${s.label}: d = ${fmtInt(p.d)}, grid-rule n* = ${fmtInt(p.nStar)}`)),
          ),
        );
      } else if (p.censoredAbove !== null) {
        const y = ya.map(p.censoredAbove);
        parts.push(
          el(
            'path',
            { d: triangleUp(x, y, 5.5), fill: '#fff', stroke: s.color, 'stroke-width': 1.5, class: 'pl-censored' },
            el('title', {}, esc(`${s.label}: d = ${fmtInt(p.d)}, grid rule censored: n* > ${fmtInt(p.censoredAbove)}`)),
          ),
        );
      }
    }
  }

  // Legend, right of the plot area.
  const lx = x1 + 26;
  let ly = y1 + 8;
  const leg: string[] = [];
  for (const s of panel.series) {
    leg.push(el('rect', { x: lx, y: ly - 6, width: 26, height: 12, fill: s.color, opacity: 0.16 }));
    leg.push(el('line', { x1: lx, x2: lx + 26, y1: ly, y2: ly, stroke: s.color, 'stroke-width': 2.2 }));
    leg.push(el('circle', { cx: lx + 13, cy: ly, r: 4.5, fill: s.color, stroke: '#fff' }));
    leg.push(el('text', { x: lx + 34, y: ly + 4, 'font-weight': 600 }, esc(s.label)));
    ly += 18;
    leg.push(text(lx + 34, ly, `b vs log d: ${jointExponentText(s.joint.vsD)}`, { class: 'pl-sub' }));
    ly += 15;
    if (s.joint.vsTheory) {
      leg.push(
        text(
          lx + 34,
          ly,
          `b vs log(${scaling(s.joint.vsTheory.scaling).regressor.text(panel.kStar)}): ${jointExponentText(s.joint.vsTheory)}`,
          {
            class: 'pl-sub',
          },
        ),
      );
      ly += 15;
    }
    leg.push(text(lx + 34, ly, `grid rule: ${slopeText(s.fits.d)}`, { class: 'pl-sub' }));
    ly += 15;
    if (s.reference) {
      leg.push(
        el('line', {
          x1: lx,
          x2: lx + 26,
          y1: ly - 4,
          y2: ly - 4,
          stroke: s.color,
          'stroke-width': 1.5,
          'stroke-dasharray': '6 4',
        }),
      );
      leg.push(
        text(
          lx + 34,
          ly,
          `ref. ${scaling(s.reference.id).formulaAt(panel.kStar)}, slope ${formatStatedSlope(s.reference.stated)}, C fitted`,
          { class: 'pl-sub' },
        ),
      );
      ly += 15;
    }
    ly += 12;
  }
  if (teachers.length > 1)
    for (const b of csq) {
      leg.push(
        el('line', {
          x1: lx,
          x2: lx + 26,
          y1: ly - 4,
          y2: ly - 4,
          stroke: '#666',
          'stroke-width': 1.6,
          'stroke-dasharray': b.dash,
        }),
      );
      leg.push(
        text(
          lx + 34,
          ly,
          `CSQ bound, ${b.id === 'csq-rotation' ? 'rotation-inv.' : 'sparsity-aware'}: ${scaling(b.id).formulaAt(panel.kStar)}`,
          {
            class: 'pl-sub',
          },
        ),
      );
      ly += 16;
    }
  if (teachers.length > 1) {
    leg.push(text(lx + 34, ly, 'slope only (C = 1): theory fixes no constant', { class: 'pl-sub' }));
    ly += 18;
  }
  leg.push(
    el('rect', { x: lx + 9, y: ly - 3, width: 7, height: 7, fill: '#fff', stroke: '#555', 'stroke-width': 1.5 }),
  );
  leg.push(text(lx + 34, ly + 4, 'grid rule n* (cross-check); triangle: censored', { class: 'pl-sub' }));
  ly += 20;
  leg.push(
    text(lx, ly + 2, `Bars: ${levelText(panel.level)} credible interval of n*50; arrow: open side.`, {
      class: 'pl-sub',
    }),
  );
  leg.push(text(lx, ly + 17, `Line and band: fitted b with its ${levelText(panel.level)} band.`, { class: 'pl-sub' }));
  parts.push(el('g', { class: 'pl-legend' }, leg.join('')));
  return svgRoot(W, Math.max(H, ly + 30), title, parts.join(''), opts);
}

/** Success rate against n for each d of one series, with the fitted psychometric curve and the n*50 interval at 1/2. */
export function successCurvePlot(series: SeriesAnalysis, opts: PlotOptions = {}): string {
  const W = opts.width ?? 460,
    H = 300;
  const title = `success against n per d, ${series.label}`;
  const fits = series.threshold.nstar;
  if (fits.length === 0) return emptyPlot(W, H, title, 'no trials yet', opts);
  const x0 = 66,
    x1 = W - 16,
    y0 = H - 48,
    y1 = 16;
  const allN = series.points.flatMap((p) => p.perN.map((c) => c.n));
  const xa = logAxis(Math.min(...allN) / 1.5, Math.max(...allN) * 1.5, [x0, x1]);
  const ya = linearAxis(0, 1, [y0, y1], 5);
  const parts: string[] = [];
  parts.push(renderAxis(xa, 'bottom', y0, { title: 'n (log scale)', grid: [y0, y1] }));
  parts.push(renderAxis(ya, 'left', x0, { title: 'success rate', grid: [x0, x1] }));
  parts.push(
    el('line', { x1: x0, x2: x1, y1: ya.map(0.5), y2: ya.map(0.5), stroke: '#999', 'stroke-dasharray': '3 3' }),
  );
  const shades = fits.map((_, i) => 0.35 + (0.65 * (i + 1)) / fits.length);
  fits.forEach((f, i) => {
    const p = series.points.find((q) => q.d === f.d)!;
    const op = shades[i]!;
    const lo = log2(xa.domain[0]),
      hi = log2(xa.domain[1]);
    const curve: [number, number][] = [];
    for (let k = 0; k <= 60; k++) {
      const x = lo + ((hi - lo) * k) / 60;
      curve.push([xa.map(pow(2, x)), ya.map(psychometric(pow(2, x), f.fit.mu, f.fit.sigma))]);
    }
    parts.push(el('path', { d: pathD(curve), fill: 'none', stroke: series.color, 'stroke-width': 1.8, opacity: op }));
    const ciLo = Math.max(xa.domain[0], f.fit.n50CI.lo),
      ciHi = Math.min(xa.domain[1], f.fit.n50CI.hi);
    const yb = ya.map(0.5) + (i - (fits.length - 1) / 2) * 4;
    parts.push(
      el('line', {
        x1: xa.map(ciLo),
        x2: xa.map(ciHi),
        y1: yb,
        y2: yb,
        stroke: series.color,
        'stroke-width': 3,
        opacity: op,
      }),
    );
    for (const c of p.perN)
      parts.push(
        el(
          'circle',
          {
            cx: xa.map(c.n),
            cy: ya.map(c.successes / c.seeds),
            r: 2 + Math.min(4, Math.sqrt(c.seeds)),
            fill: series.color,
            opacity: op * 0.8,
          },
          el('title', {}, esc(`d = ${fmtInt(f.d)}, n = ${fmtInt(c.n)}: ${c.successes}/${c.seeds}`)),
        ),
      );
    parts.push(
      text(x0 + 6, y1 + 10 + 12 * i, `d = ${fmtInt(f.d)}: n*50 ${fmtInt(f.fit.n50)}`, {
        'font-size': 10,
        fill: series.color,
        opacity: op,
      }),
    );
  });
  return svgRoot(W, H, title, parts.join(''), opts);
}

// Success rate colours: red below one half, white at one half, blue above (the majority rule's line).
const rateColor = scaleLinear<string>().domain([0, 0.5, 1]).range(['#e7846f', '#f7f7f7', '#5b9fd0']).clamp(true);

/** Success rate over (d, n) for one series: cells "k/m", n* outlined, censored columns marked. */
export function heatMap(series: SeriesAnalysis, opts: PlotOptions = {}): string {
  const title = `success rate over (d, n), ${series.label}`;
  const pts = series.points;
  const nSet = new Set<number>();
  for (const p of pts) for (const c of p.perN) nSet.add(c.n);
  if (pts.length === 0 || nSet.size === 0) return emptyPlot(opts.width ?? 420, 200, title, 'no trials yet', opts);
  // Rows: every grid n between the smallest and largest visited, plus any off-grid n visited.
  const visited = [...nSet].sort((a, b) => a - b);
  const onGrid = visited.every((n) => gridIndex(n) !== null);
  const rows = onGrid ? gridBetween(visited[0]!, visited[visited.length - 1]!) : visited;
  const cols = pts.map((p) => p.d);
  const left = 70,
    top = 34,
    right = 16,
    bottom = 78;
  const cw = Math.max(52, Math.min(88, ((opts.width ?? 440) - left - right) / cols.length));
  const ch = rows.length > 24 ? 13 : 17;
  const W = left + cols.length * cw + right,
    H = top + rows.length * ch + bottom;
  const parts: string[] = [];
  const labelEvery = rows.length > 24 ? 2 : 1;
  rows.forEach((n, i) => {
    const y = top + (rows.length - 1 - i) * ch;
    if (i % labelEvery === 0)
      parts.push(text(left - 8, y + ch / 2 + 4, fmtInt(n), { 'text-anchor': 'end', class: 'pl-ticklabel' }));
  });
  pts.forEach((p, j) => {
    const x = left + j * cw;
    parts.push(
      text(x + cw / 2, top + rows.length * ch + 17, fmtInt(p.d), { 'text-anchor': 'middle', class: 'pl-ticklabel' }),
    );
    const byN = new Map(p.perN.map((c) => [c.n, c]));
    rows.forEach((n, i) => {
      const y = top + (rows.length - 1 - i) * ch;
      const c = byN.get(n);
      if (!c) {
        parts.push(el('rect', { x: x + 1, y: y + 1, width: cw - 2, height: ch - 2, fill: '#f1f1f1' }));
        return;
      }
      const rate = c.successes / c.seeds;
      parts.push(
        el(
          'rect',
          { x: x + 1, y: y + 1, width: cw - 2, height: ch - 2, fill: rateColor(rate), class: 'pl-cellrect' },
          el('title', {}, esc(`d = ${fmtInt(p.d)}, n = ${fmtInt(n)}: ${c.successes} of ${c.seeds} seeds succeed`)),
        ),
      );
      parts.push(
        text(x + cw / 2, y + ch / 2 + 3.5, `${c.successes}/${c.seeds}`, { 'text-anchor': 'middle', class: 'pl-cell' }),
      );
    });
    if (p.nStar !== null) {
      const i = rows.indexOf(p.nStar);
      if (i >= 0)
        parts.push(
          el('rect', {
            x: x + 1,
            y: top + (rows.length - 1 - i) * ch + 1,
            width: cw - 2,
            height: ch - 2,
            fill: 'none',
            stroke: '#111',
            'stroke-width': 2,
            class: 'pl-nstar',
          }),
        );
    } else if (p.censoredAbove !== null) {
      parts.push(
        text(x + cw / 2, top - 8, `> ${fmtInt(p.censoredAbove)}`, {
          'text-anchor': 'middle',
          class: 'pl-note',
          fill: '#b2182b',
        }),
      );
    }
  });
  parts.push(
    text(left + (cols.length * cw) / 2, top + rows.length * ch + 36, 'dimension d', {
      'text-anchor': 'middle',
      class: 'pl-axistitle',
    }),
  );
  parts.push(
    text(0, 0, 'n', {
      'text-anchor': 'middle',
      class: 'pl-axistitle',
      transform: `translate(14,${px(top + (rows.length * ch) / 2)}) rotate(-90)`,
    }),
  );
  // Key: five swatches and the n* outline.
  const ky = H - 22;
  let kx = left;
  parts.push(text(kx, ky + 4, 'seeds succeeding:', { class: 'pl-note' }));
  kx += 108;
  for (const [r, lab] of [
    [0, '0'],
    [0.25, '¼'],
    [0.5, '½'],
    [0.75, '¾'],
    [1, 'all'],
  ] as const) {
    parts.push(
      el('rect', { x: kx, y: ky - 6, width: 14, height: 12, fill: rateColor(r), stroke: '#ccc', 'stroke-width': 0.5 }),
    );
    parts.push(text(kx + 17, ky + 4, lab, { class: 'pl-note' }));
    kx += lab === 'all' ? 36 : 30;
  }
  parts.push(
    el('rect', { x: kx + 4, y: ky - 6, width: 14, height: 12, fill: 'none', stroke: '#111', 'stroke-width': 2 }),
  );
  parts.push(text(kx + 22, ky + 4, 'n*', { class: 'pl-note' }));
  return svgRoot(Math.max(W, kx + 50), H, title, parts.join(''), opts);
}

export type Metric = 'alignMax' | 'relMse';

const D_STOPS = ['#440154', '#3b528b', '#21918c', '#4fa34a', '#b08c00'];
function dColors(k: number): string[] {
  if (k === 1) return [D_STOPS[1]!];
  const sc = scaleLinear<string>()
    .domain(D_STOPS.map((_, i) => i / (D_STOPS.length - 1)))
    .range(D_STOPS);
  return Array.from({ length: k }, (_, i) => sc(i / (k - 1)));
}

/** alignMax or relMse against n for one series: a line of medians per d, seeds as dots, the success threshold dashed. */
export function metricPlot(series: SeriesAnalysis, metric: Metric, opts: PlotOptions = {}): string {
  const W = opts.width ?? 470,
    H = 290;
  const legendW = 84;
  const x0 = 58,
    x1 = W - legendW - 14,
    y0 = H - 50,
    y1 = 14;
  const name = metric === 'alignMax' ? 'alignment max_j ‖P_V w_j‖' : 'test relative MSE';
  const title = `${name} against n, ${series.label}`;
  const groups = series.metrics.filter((g) => g.cells.some((c) => c[metric].length > 0));
  if (groups.length === 0) return emptyPlot(W, H, title, 'no values yet', opts);
  const allN = groups.flatMap((g) => g.cells.filter((c) => c[metric].length > 0).map((c) => c.n));
  const nMin = Math.min(...allN),
    nMax = Math.max(...allN);
  const xa = logAxis(nMin / 1.25, nMax * 1.25, [x0, x1]);
  const values = groups.flatMap((g) => g.cells.flatMap((c) => c[metric]));
  const cap = 1.5;
  const yTop = metric === 'alignMax' ? 1 : Math.min(cap, Math.max(1, ...values));
  const ya = linearAxis(0, yTop, [y0, y1], 5);
  const clampY = (v: number) => ya.map(Math.min(Math.max(v, ya.domain[0]), ya.domain[1]));
  const parts: string[] = [];
  parts.push(renderAxis(xa, 'bottom', y0, { title: 'n (log scale)', grid: [y0, y1] }));
  parts.push(
    renderAxis(ya, 'left', x0, {
      title: metric === 'alignMax' ? 'alignment (max over neurons)' : 'relative MSE',
      grid: [x0, x1],
    }),
  );
  const thr = metric === 'alignMax' ? ALIGN_SUCCESS : SUCCESS_REL_MSE;
  parts.push(
    el('line', {
      x1: x0,
      x2: x1,
      y1: ya.map(thr),
      y2: ya.map(thr),
      stroke: '#333',
      'stroke-dasharray': '4 3',
      'stroke-width': 1,
    }),
  );
  parts.push(
    text(
      x1 - 4,
      ya.map(thr) + (metric === 'alignMax' ? 13 : -5),
      metric === 'alignMax' ? `${ALIGN_SUCCESS} (2nd criterion)` : `${SUCCESS_REL_MSE} (success below)`,
      { 'text-anchor': 'end', class: 'pl-note' },
    ),
  );
  const colors = dColors(groups.length);
  let clipped = false;
  groups.forEach((g, gi) => {
    const color = colors[gi]!;
    const cells = g.cells.filter((c: MetricCell) => c[metric].length > 0);
    for (const c of cells) {
      for (const v of c[metric]) {
        if (v > ya.domain[1]) clipped = true;
        parts.push(el('circle', { cx: xa.map(c.n), cy: clampY(v), r: 2, fill: color, opacity: 0.35 }));
      }
    }
    const med = cells.map((c) => [xa.map(c.n), clampY(median(c[metric])!)] as [number, number]);
    if (med.length > 1) parts.push(el('path', { d: pathD(med), fill: 'none', stroke: color, 'stroke-width': 2 }));
    for (const [x, y] of med) parts.push(el('circle', { cx: x, cy: y, r: 3, fill: color }));
  });
  const lx = x1 + 16;
  parts.push(text(lx, y1 + 8, 'd', { class: 'pl-legend', 'font-weight': 600 }));
  groups.forEach((g, gi) => {
    const y = y1 + 26 + gi * 17;
    parts.push(el('line', { x1: lx, x2: lx + 18, y1: y - 4, y2: y - 4, stroke: colors[gi]!, 'stroke-width': 2 }));
    parts.push(text(lx + 24, y, fmtInt(g.d), { class: 'pl-legend' }));
  });
  if (clipped) parts.push(text(x0 + 6, y1 + 10, `values above ${cap} drawn at the top`, { class: 'pl-note' }));
  return svgRoot(W, H, title, parts.join(''), opts);
}

/**
 * The local exponents of a panel (DESIGN §2.4): for each learner the slope of log n*50 between
 * consecutive d, drawn at their geometric mean with its interval, beside the stated slope of its
 * theory and the rotation-invariant CSQ bound k* / 2 (grey). Neighbouring slopes share a d, so their
 * errors are correlated (about −0.5); the bars are each slope's own interval.
 */
export function localExponentPlot(panel: PanelAnalysis, opts: PlotOptions = {}): string {
  const W = opts.width ?? 560,
    H = 300;
  const x0 = 60,
    x1 = W - 150,
    y0 = H - 50,
    y1 = 16;
  const title = `local exponents, ${panel.title}`;
  const slopes = panel.series.flatMap((s) => s.joint.local.vsD.map((l) => ({ s, l })));
  if (slopes.length === 0) return emptyPlot(W, H, title, 'no two consecutive d yet', opts);
  const ds = panel.ds.map((x) => x.d);
  const xa = logAxis(Math.min(...ds), Math.max(...ds), [x0, x1]);
  const finite = slopes.flatMap(({ l }) => [l.interval.lo, l.interval.hi]).filter(Number.isFinite);
  const csq = panel.kStar / 2;
  const ya = linearAxis(Math.min(0, ...finite, csq), Math.max(2, ...finite, csq) + 0.2, [y0, y1]);
  const clampY = (v: number) => ya.map(Math.max(ya.domain[0], Math.min(ya.domain[1], v)));
  const parts: string[] = [
    renderAxis(xa, 'bottom', y0, { title: 'd (between consecutive d, log scale)', grid: [y0, y1] }),
    renderAxis(ya, 'left', x0, { title: 'local exponent', grid: [x0, x1] }),
    el('line', { x1: x0, x2: x1, y1: ya.map(csq), y2: ya.map(csq), stroke: '#999', 'stroke-dasharray': '2 3' }),
  ];
  const leg: string[] = [text(x1 + 12, y1 + 10, `grey: k*/2 = ${csq} (CSQ)`, { class: 'pl-sub' })];
  panel.series.forEach((s, k) => {
    if (s.reference)
      parts.push(
        el('line', {
          x1: x0,
          x2: x1,
          y1: ya.map(s.reference.stated.slope),
          y2: ya.map(s.reference.stated.slope),
          stroke: s.color,
          'stroke-dasharray': '6 4',
          opacity: 0.6,
        }),
      );
    leg.push(el('circle', { cx: x1 + 16, cy: y1 + 30 + 16 * k, r: 4, fill: s.color }));
    leg.push(text(x1 + 26, y1 + 34 + 16 * k, s.label, { class: 'pl-sub' }));
    s.joint.local.vsD.forEach((l) => {
      const x = xa.map(Math.sqrt(l.dFrom * l.dTo)) + (k - (panel.series.length - 1) / 2) * 8;
      const hi = Number.isFinite(l.interval.hi) ? l.interval.hi : ya.domain[1];
      parts.push(
        el('line', { x1: x, x2: x, y1: clampY(l.interval.lo), y2: clampY(hi), stroke: s.color, 'stroke-width': 2 }),
      );
      parts.push(
        el(
          'circle',
          { cx: x, cy: clampY(l.slope), r: 4.5, fill: s.color, stroke: '#fff', class: 'pl-local' },
          el('title', {}, esc(`${s.label}: d ${l.dFrom} → ${l.dTo}: ${localSlopeText(l)}`)),
        ),
      );
    });
  });
  return svgRoot(W, H, title, parts.join('') + leg.join(''), opts);
}
