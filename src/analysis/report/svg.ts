// SVG building blocks shared by every plot: escaping, number formatting, scales and axes.
// Pure functions returning strings, isomorphic (the report and the browser demo use the same code).
//
// Scales come from d3-scale (linear and band: interpolation, nice domains, 1-2-5 ticks). Log axes
// are linear scales over log10 values computed by src/core/math.ts, with decade ticks, because
// d3's scaleLog uses the host's Math.log/exp/pow and our published output must not. d3's linear
// ticks call Math.log10/Math.pow(10, integer) only to pick a 1-2-5 step; test/report.test.ts
// checks that the whole report is byte-identical when those host functions are perturbed.
import { scaleLinear } from 'd3-scale';
import { log10 } from '../../core/math.js';

/** Escape text for HTML and SVG content and attribute values. */
export function esc(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A coordinate: two decimals, no trailing zeros, never "-0". */
export function px(x: number): string {
  const r = Math.round(x * 100) / 100;
  return r === 0 ? '0' : String(r);
}

/** An element; attribute values are escaped, `content` is trusted markup (escape text with esc). */
export function el(name: string, attrs: Record<string, string | number | null | undefined>, content?: string): string {
  let a = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    a += ` ${k}="${esc(typeof v === 'number' ? px(v) : v)}"`;
  }
  return content === undefined ? `<${name}${a}/>` : `<${name}${a}>${content}</${name}>`;
}

export function text(
  x: number,
  y: number,
  s: string,
  attrs: Record<string, string | number | null | undefined> = {},
): string {
  return el('text', { x, y, ...attrs }, esc(s));
}

/** A polyline path through points (skipping none). */
export function pathD(pts: readonly [number, number][]): string {
  return pts.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x)},${px(y)}`).join('');
}

/** An integer with thousands separators: 65536 -> "65,536". */
export function fmtInt(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Compact axis labels: 500, 2k, 10k, 1.5M; powers of ten beyond 10^9 as 10¹⁰. */
export function fmtCompact(v: number): string {
  const a = Math.abs(v);
  if (a < 1000) return String(v);
  if (a < 1e6) return `${Number((v / 1000).toFixed(2))}k`;
  if (a < 1e9) return `${Number((v / 1e6).toFixed(2))}M`;
  return String(v.toExponential(2));
}

/** A number with `digits` decimals; "n/a" when missing. */
export function fmtFixed(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

export interface Tick {
  value: number;
  label: string | null;
  major: boolean;
}

/** A positioned axis: data value -> pixel, with its ticks. */
export interface Axis {
  map(v: number): number;
  ticks: Tick[];
  range: [number, number];
  domain: [number, number];
}

/**
 * A log axis over [lo, hi] (data units, lo > 0). Ticks: decades, labelled; 2..9 x decade minor
 * ticks, and the 2 and 5 labelled too when the axis spans less than two decades. `at` replaces
 * the labelled ticks by the given values (for d, the measured dimensions).
 */
export function logAxis(
  lo: number,
  hi: number,
  range: [number, number],
  opts: { at?: readonly number[]; format?: (v: number) => string } = {},
): Axis {
  if (!(lo > 0) || !(hi > lo)) throw new RangeError(`log axis needs 0 < lo < hi, got [${lo}, ${hi}]`);
  const llo = log10(lo),
    lhi = log10(hi);
  const lin = scaleLinear().domain([llo, lhi]).range(range);
  const map = (v: number) => lin(log10(v));
  const ticks: Tick[] = [];
  const k0 = Math.floor(llo),
    k1 = Math.ceil(lhi);
  const fewDecades = lhi - llo < 3;
  const fmt = opts.format ?? fmtCompact;
  for (let k = k0; k <= k1; k++) {
    const decade = decadeValue(k);
    for (let m = 1; m <= 9; m++) {
      const v = decade * m;
      if (v < lo || v > hi) continue;
      if (opts.at) {
        ticks.push({ value: v, major: false, label: null });
        continue;
      }
      const labelled = m === 1 || (fewDecades && (m === 2 || m === 5));
      ticks.push({ value: v, major: m === 1, label: labelled ? fmt(v) : null });
    }
  }
  if (opts.at) {
    for (const v of opts.at)
      if (v >= lo && v <= hi) ticks.push({ value: v, major: true, label: (opts.format ?? fmtInt)(v) });
  }
  return { map, ticks, range, domain: [lo, hi] };
}

/** 10^k exactly for integer k (decimal literal parsing is correctly rounded). */
function decadeValue(k: number): number {
  return Number(`1e${k}`);
}

/** A linear axis with a nice domain and d3's 1-2-5 ticks. */
export function linearAxis(lo: number, hi: number, range: [number, number], count = 6): Axis {
  const sc = scaleLinear().domain([lo, hi]).range(range).nice(count);
  const fmt = sc.tickFormat(count);
  const ticks: Tick[] = sc.ticks(count).map((v) => ({ value: v, label: fmt(v), major: true }));
  const [d0, d1] = sc.domain() as [number, number];
  return { map: (v) => sc(v), ticks, range, domain: [d0, d1] };
}

export interface AxisStyle {
  /** Axis title. */
  title?: string;
  /** Draw grid lines across [from, to] of the other axis. */
  grid?: [number, number];
}

/** Render a horizontal axis at y (ticks pointing down) or a vertical one at x (ticks left). */
export function renderAxis(axis: Axis, orient: 'bottom' | 'left', at: number, style: AxisStyle = {}): string {
  const parts: string[] = [];
  const [r0, r1] = axis.range;
  for (const t of axis.ticks) {
    const p = axis.map(t.value);
    const len = t.label !== null ? 6 : 3;
    if (style.grid && (t.major || t.label !== null)) {
      parts.push(
        orient === 'bottom'
          ? el('line', { x1: p, x2: p, y1: style.grid[0], y2: style.grid[1], class: 'pl-grid' })
          : el('line', { y1: p, y2: p, x1: style.grid[0], x2: style.grid[1], class: 'pl-grid' }),
      );
    }
    parts.push(
      orient === 'bottom'
        ? el('line', { x1: p, x2: p, y1: at, y2: at + len, class: 'pl-tick' })
        : el('line', { y1: p, y2: p, x1: at, x2: at - len, class: 'pl-tick' }),
    );
    if (t.label !== null) {
      parts.push(
        orient === 'bottom'
          ? text(p, at + 19, t.label, { 'text-anchor': 'middle', class: 'pl-ticklabel' })
          : text(at - 9, p + 4, t.label, { 'text-anchor': 'end', class: 'pl-ticklabel' }),
      );
    }
  }
  parts.push(
    orient === 'bottom'
      ? el('line', { x1: Math.min(r0, r1), x2: Math.max(r0, r1), y1: at, y2: at, class: 'pl-domain' })
      : el('line', { y1: Math.min(r0, r1), y2: Math.max(r0, r1), x1: at, x2: at, class: 'pl-domain' }),
  );
  if (style.title) {
    const mid = (r0 + r1) / 2;
    parts.push(
      orient === 'bottom'
        ? text(mid, at + 40, style.title, { 'text-anchor': 'middle', class: 'pl-axistitle' })
        : text(0, 0, style.title, {
            'text-anchor': 'middle',
            class: 'pl-axistitle',
            transform: `translate(${px(at - 52)},${px(mid)}) rotate(-90)`,
          }),
    );
  }
  return el('g', { class: `pl-axis pl-axis-${orient}` }, parts.join(''));
}

/** The shared stylesheet of every plot, inlined into each SVG so a lone SVG reads the same. */
export const SVG_STYLE = [
  'text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:#222}',
  '.pl-ticklabel{font-size:11px;fill:#444}',
  '.pl-axistitle{font-size:12px;fill:#222}',
  '.pl-tick,.pl-domain{stroke:#555;stroke-width:1}',
  '.pl-grid{stroke:#e6e6e6;stroke-width:1}',
  '.pl-legend{font-size:12px}',
  '.pl-legend .pl-sub{font-size:11px;fill:#555}',
  '.pl-note{font-size:11px;fill:#555}',
  '.pl-cell{font-size:10px}',
].join('');

/** Wrap plot content in an <svg> with a title (for screen readers) and the shared style. */
export function svgRoot(
  width: number,
  height: number,
  title: string,
  content: string,
  opts: { standalone?: boolean; className?: string } = {},
): string {
  return el(
    'svg',
    {
      xmlns: opts.standalone ? 'http://www.w3.org/2000/svg' : null,
      width,
      height,
      viewBox: `0 0 ${px(width)} ${px(height)}`,
      role: 'img',
      class: opts.className ?? 'plot',
    },
    `${el('title', {}, esc(title))}${el('style', {}, SVG_STYLE)}${content}`,
  );
}
