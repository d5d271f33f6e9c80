// The plots and the HTML report on synthetic records: their elements are there, censored points
// are marked, nothing external is referenced, text is escaped, and the bytes do not depend on
// the host's transcendental Math functions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze, heatMap, metricPlot, nStarPlot, renderReport } from '../src/analysis/report/index.js';
import { parseJsonl } from '../src/experiment/results.js';
import { fmtCompact, fmtInt, linearAxis, logAxis, px, esc } from '../src/analysis/report/svg.js';
import { createPrng } from '../src/core/prng.js';
import { ConfigError } from '../src/core/errors.js';
import { cell, makeRecord, series } from './helpers/records.js';
import type { TrialRecord } from '../src/core/types.js';

// A separation-like data set: pruned on five d, dense on three with the last one censored.
function separation(seed = 1): TrialRecord[] {
  const prng = createPrng(seed);
  return [
    ...series({
      method: 'hermite-thr',
      ds: [256, 1024, 4096, 16384, 65536],
      nTrue: (d, s) => 12 * s * s * Math.log(d),
      seeds: 3,
      prng,
      span: 3,
    }),
    ...series({ method: 'none', ds: [256, 1024, 4096], nTrue: (d) => 3 * d, seeds: 3, prng, span: 3, cap: 8000 }),
  ];
}
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
const FAST = { replicates: 200 };

test('analyze: one panel, two series in method order, ratios, a censored dense point', () => {
  const a = analyze(separation(), FAST);
  assert.is(a.panels.length, 1);
  const p = a.panels[0]!;
  assert.equal(
    p.series.map((s) => s.method),
    ['hermite-thr', 'none'],
  );
  assert.equal(
    p.ds.map((x) => x.d),
    [256, 1024, 4096, 16384, 65536],
  );
  const none = p.series[1]!;
  assert.is(none.points[2]!.nStar, null);
  assert.is(none.points[2]!.censoredAbove, 5793);
  assert.equal(none.fits.d.censored, [{ d: 4096, censoredAbove: 5793 }]);
  assert.is(p.ratios.length, 1);
  assert.equal(
    p.ratios[0]!.entries.map((e) => e.relation),
    ['=', '=', '>', null, null],
  );
  assert.ok(p.series[0]!.reference && p.series[0]!.reference.id === 'pruned');
  assert.ok(none.reference && none.reference.id === 'dense-reuse');
  assert.is(a.meta.maxSeedsPerCell, 3);
  assert.is(a.meta.censoredPoints, 1);
});

test('n* plot: axes with ticks, one path per series, points, censored triangles with "> N", reference lines, slopes', () => {
  const a = analyze(separation(), FAST);
  const svg = nStarPlot(a.panels[0]!);
  assert.ok(svg.startsWith('<svg'));
  assert.ok(svg.endsWith('</svg>'));
  // psychometric n*50 dots (one per fitted d inside the drawn range) and one grid-rule mark per point
  assert.ok(count(svg, /class="pl-point"/g) >= 5, String(count(svg, /class="pl-point"/g)));
  assert.is(count(svg, /class="pl-gridrule"/g) + count(svg, /class="pl-censored"/g), 5 + 3);
  assert.is(count(svg, /class="pl-censored"/g), 1);
  assert.ok(svg.includes('n* &gt; 5,793'));
  for (const d of ['256', '1,024', '4,096', '16,384', '65,536']) assert.ok(svg.includes(`>${d}</text>`), `x tick ${d}`);
  assert.ok(count(svg, /class="pl-ticklabel"/g) >= 8);
  assert.ok(svg.includes('>1k</text>') && svg.includes('>10k</text>'), 'decade labels on the n axis');
  assert.is(count(svg, /stroke-dasharray="6 4"/g), 2 + 2, 'a reference line and its legend sample per series');
  assert.match(svg, /b vs log d: 0\.\d\d \[\d\.\d\d, \d\.\d\d\]/);
  assert.match(svg, /grid rule: 0\.\d\d \[\d\.\d\d, \d\.\d\d\]/);
  assert.ok(
    svg.includes('slope only (C = 1)') && svg.includes('CSQ bound, rotation-inv.'),
    'the CSQ lower bounds, drawn as lines',
  );
  assert.ok(svg.includes('C·s²·log d'));
  assert.ok(svg.includes('grid rule n* (cross-check); triangle: censored'));
});

test('heat map: one cell per (d, n) tried, n* outlined, censored column marked', () => {
  const a = analyze(separation(), FAST);
  const [pruned, dense] = a.panels[0]!.series;
  const cells = dense!.points.reduce((k, p) => k + p.perN.length, 0);
  const svg = heatMap(dense!);
  assert.is(count(svg, /class="pl-cellrect"/g), cells);
  assert.is(count(svg, /class="pl-nstar"/g), 2);
  assert.ok(svg.includes('&gt; 5,793'));
  assert.match(svg, />\d\/3<\/text>/);
  assert.is(count(heatMap(pruned!), /class="pl-nstar"/g), 5);
});

test('metric plots: a line per d, the threshold, legend; empty series say so', () => {
  const a = analyze(separation(), FAST);
  const s = a.panels[0]!.series[0]!;
  const al = metricPlot(s, 'alignMax');
  const mse = metricPlot(s, 'relMse');
  assert.ok(al.includes('0.95 (2nd criterion)'));
  assert.ok(mse.includes('0.2 (success below)'));
  assert.is(count(mse, /<path /g), 5);
  for (const d of ['256', '65,536']) assert.ok(mse.includes(`>${d}</text>`));
  const empty = analyze([makeRecord({ n: 64 }, { relMse: null, alignMax: null })], FAST).panels[0]!.series[0]!;
  assert.ok(metricPlot(empty, 'relMse').includes('no values yet'));
});

test('partial data: one point, nothing fitted, plots still render', () => {
  const a = analyze(cell({ d: 256 }, 512, 2, 3), FAST);
  const p = a.panels[0]!;
  assert.is(p.series[0]!.fits.d.fit, null);
  const svg = nStarPlot(p);
  assert.ok(svg.includes('n/a (one point)'));
  assert.is(count(svg, /class="pl-point"/g), 1);
  const allCensored = analyze(cell({ d: 256 }, 512, 0, 3), FAST).panels[0]!;
  assert.ok(nStarPlot(allCensored).includes('n/a (all censored)'));
  assert.ok(renderReport([], FAST).includes('No trial records'));
});

test('the report holds the setting, plot, table with "> N", slopes, ratios, heat maps, metric plots and how to read it', () => {
  const html = renderReport(separation(), { ...FAST, source: 'separation.jsonl' });
  assert.ok(html.startsWith('<!doctype html>'));
  // the n* plot, the local-exponent panel, a success-curve plot and a heat map per learner, 4 metric plots
  assert.is(count(html, /<svg /g), 1 + 1 + 2 + 2 + 4);
  assert.ok(html.includes('The slope of log n*50 between consecutive d'), 'the local-exponent panel');
  assert.ok(html.includes('How to read an interval'));
  assert.ok(html.includes('class="nstar-table"'));
  assert.ok(html.includes('<span class="censored">&gt; 5,793</span>'));
  assert.ok(html.includes('class="slope-table"'));
  assert.ok(html.includes('ratio n*<sub>dense</sub>/n*<sub>pruned</sub><div class="small">none / hermite-thr</div>'));
  assert.ok(html.includes('How to read this'));
  assert.ok(html.includes('eb7abde176b4'));
  assert.ok(html.includes('prunelab version'));
  assert.ok(html.includes('separation.jsonl'));
  assert.match(html, /the grid-rule cross-check leaves its 1 censored point out of its slopes/);
  for (const sc of ['C·s<sup>k*</sup>·log d', 'd<sup>k*/2</sup>', 'min(s<sup>k*</sup>, d<sup>k*/2</sup>)'])
    assert.ok(html.includes(sc), sc);
});

test('self-contained: no URL, script, external resource or event handler', () => {
  const html = renderReport(separation(), FAST);
  for (const bad of [/https?:/i, /<script/i, /\ssrc=/i, /\shref=/i, /url\(/i, /@import/i, /\son[a-z]+=/i, /xmlns=/]) {
    assert.not.match(html, bad, `found ${bad}`);
  }
  // A standalone SVG (for downloads) carries its namespace, and only that.
  const alone = nStarPlot(analyze(separation(), FAST).panels[0]!, { standalone: true });
  assert.match(alone, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
});

test('text from records is escaped everywhere', () => {
  const evil = '<script>alert("x")</script>&';
  const recs = [...cell({ d: 256, link: evil }, 512, 3, 3), ...cell({ d: 1024, link: evil }, 512, 3, 3)];
  recs.forEach((r) => {
    (r as { version: string }).version = '<b>v</b>';
    (r as { wasmSha: string }).wasmSha = '"><img src=x>';
  });
  const html = renderReport(recs, { ...FAST, source: '<i>f</i>.jsonl', title: 'a < b' });
  assert.not.ok(html.includes('<script'));
  assert.not.ok(html.includes('<img'));
  assert.not.ok(html.includes('<b>v</b>'));
  assert.not.ok(html.includes('<i>f</i>'));
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;'));
  assert.ok(html.includes('<title>a &lt; b</title>'));
  assert.is(esc(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
});

test('deterministic: same bytes twice, input not mutated', () => {
  const recs = separation();
  const frozen = JSON.stringify(recs);
  const a = renderReport(recs, FAST),
    b = renderReport(recs, FAST);
  assert.is(a, b);
  assert.is(JSON.stringify(recs), frozen);
  assert.not.ok(a.includes('NaN'));
  assert.not.ok(a.includes('undefined'));
});

test('the bytes do not depend on the host Math: transcendental functions perturbed by an ulp', () => {
  const recs = separation(3);
  const ref = renderReport(recs, FAST);
  const view = new DataView(new ArrayBuffer(8));
  const nudge = (x: number, dir: 1 | -1) => {
    if (!Number.isFinite(x) || x === 0) return x;
    view.setFloat64(0, x);
    view.setBigInt64(0, view.getBigInt64(0) + BigInt(dir * (x > 0 ? 1 : -1)));
    return view.getFloat64(0);
  };
  const names = ['log', 'log10', 'log2', 'log1p', 'exp', 'expm1', 'pow', 'sin', 'cos', 'atan2', 'cbrt'] as const;
  const M = Math as unknown as Record<string, (...a: number[]) => number>;
  const saved = Object.fromEntries(names.map((n) => [n, M[n]!]));
  for (const dir of [1, -1] as const) {
    try {
      for (const n of names) {
        const f = saved[n]!;
        // pow(10, k) stays exact (every engine's pow is exact on representable integer powers).
        M[n] =
          n === 'pow'
            ? (x: number, y: number) => (Number.isInteger(y) && Number.isInteger(x) ? f(x, y) : nudge(f(x, y), dir))
            : (...a: number[]) => nudge(f(...a), dir);
      }
      assert.is(renderReport(recs, FAST), ref, `perturbed ${dir > 0 ? 'up' : 'down'}`);
    } finally {
      for (const n of names) M[n] = saved[n]!;
    }
  }
});

test('axes: log ticks at decades with 1-2-5 labels over few decades, d3 linear ticks', () => {
  const ax = logAxis(300, 70000, [0, 500]);
  const labels = ax.ticks.filter((t) => t.label !== null).map((t) => t.label);
  assert.equal(labels, ['500', '1k', '2k', '5k', '10k', '20k', '50k']);
  assert.is(px(ax.map(1000)), px(((Math.log10(1000) - Math.log10(300)) / (Math.log10(70000) - Math.log10(300))) * 500));
  const at = logAxis(200, 80000, [0, 500], { at: [256, 4096, 65536] });
  assert.equal(
    at.ticks.filter((t) => t.label !== null).map((t) => t.label),
    ['256', '4,096', '65,536'],
  );
  const lin = linearAxis(0, 0.93, [300, 0], 5);
  assert.equal(
    lin.ticks.map((t) => t.label),
    ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'],
  );
  assert.equal(lin.domain, [0, 1]);
  assert.is(fmtInt(65536), '65,536');
  assert.is(fmtCompact(1500), '1.5k');
  assert.is(fmtCompact(2000000), '2M');
  assert.is(px(-0.001), '0');
  assert.throws(() => logAxis(0, 10, [0, 1]));
});

test('JSONL: torn last line skipped with a warning, bad lines named, blank lines ignored', () => {
  const recs = cell({ d: 256 }, 512, 2, 3);
  const text = recs.map((r) => JSON.stringify(r)).join('\n') + '\n\n';
  assert.is(parseJsonl(text).records.length, 3);
  const torn = parseJsonl(text.trimEnd() + '\n{"id":"x","conf', 'r.jsonl');
  assert.is(torn.records.length, 3);
  assert.match(torn.warnings[0]!, /r\.jsonl: skipped a torn last line \(line 4/);
  assert.throws(
    () => parseJsonl('{"id":"x"\n' + text, 'r.jsonl'),
    (e: unknown) => e instanceof ConfigError && e.field === 'r.jsonl line 1',
  );
  assert.throws(
    () => parseJsonl(text + '{"broken"\n', 'r.jsonl'),
    (e: unknown) => e instanceof ConfigError,
    'a bad last line that ends in a newline is not torn',
  );
  const bad = JSON.stringify({ ...recs[0], config: { ...recs[0]!.config, d: 0 } });
  assert.throws(
    () => parseJsonl(bad + '\n', 'r.jsonl'),
    (e: unknown) => e instanceof ConfigError && e.field === 'r.jsonl line 1: config.d',
  );
});

test.run();
