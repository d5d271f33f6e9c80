// The bugs a review of main found (issue 18), each pinned by a test that failed before its fix:
// 1. `fit --level 0.5` printed 50% intervals labelled "90%" (summary, report, plots, the estimator text);
// 3. the report fitted a reference's constant C to the grid-rule n* but drew it against the n*50 points;
// 4. the report said censored points are "left out of the slopes", though the primary fit keeps them
//    as one-sided constraints (only the grid-rule cross-check leaves them out).
// (Bug 2, `prunelab start` deciding "same build" from the wasm alone, is in test/cli/lock.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../src/analysis/report/analyze.js';
import { summarize, summaryJson } from '../../src/analysis/report/summary.js';
import { renderAnalysis } from '../../src/analysis/report/html.js';
import { nStarPlot } from '../../src/analysis/report/plots.js';
import { scaling } from '../../src/stats/theory.js';
import { log2 } from '../../src/core/math.js';
import { createPrng } from '../../src/core/prng.js';
import { series } from '../helpers/records.js';

const records = () => {
  const prng = createPrng(3);
  return [
    ...series({ method: 'hermite-thr', ds: [256, 1024, 4096], nTrue: (d) => 40 * Math.sqrt(d), seeds: 3, prng }),
    // the dense learner never succeeds below its cap at the largest d: a censored point
    ...series({ method: 'none', ds: [256, 1024, 4096], nTrue: (d) => 8 * d, seeds: 3, prng, cap: 20000 }),
  ];
};

test('bug 1: every label of a 50% fit says 50%, none says 90%', () => {
  const a = analyze(records(), { level: 0.5, replicates: 50 });
  const text = summarize(a);
  const json = JSON.stringify(summaryJson(a));
  const html = renderAnalysis(a, { title: 't' });
  const svg = nStarPlot(a.panels[0]!);
  for (const [name, s] of [
    ['summary', text],
    ['report', html],
    ['n* plot', svg],
  ] as const) {
    assert.not.match(s, /90%/, `${name} says 90%`);
    assert.match(s, /50%/, `${name} never says 50%`);
  }
  // the JSON carries the level as a number and names no level in its estimator texts
  assert.not.match(json, /90%/);
  assert.is(summaryJson(a).level, 0.5);
});

test('bug 3: the reference line is fitted to the n*50 points it is drawn against', () => {
  const a = analyze(records(), { replicates: 50 });
  const pruned = a.panels[0]!.series.find((s) => s.method === 'hermite-thr')!;
  const ref = pruned.reference!;
  const sc = scaling(ref.id);
  // least squares of log n*50 − log shape over the uncensored n*50 points the n* plot draws (the joint
  // model's, with two or more d), the only points drawn with it
  const drawn = pruned.joint.vsD!.points.filter((p) => p.censored === null);
  assert.ok(drawn.length >= 2);
  const sOf = (d: number) => pruned.threshold.nstar.find((f) => f.d === d)!.s;
  const mean = drawn.reduce((k, p) => k + log2(p.n50.median) - log2(sc.shape(p.d, sOf(p.d), 2)), 0) / drawn.length;
  assert.ok(Math.abs(log2(ref.C) - mean) < 1e-9, `C = ${ref.C}, expected 2^${mean}`);
});

test('bug 4: the report says censored points are kept as one-sided constraints by the primary fit', () => {
  const a = analyze(records(), { replicates: 50 });
  const dense = a.panels[0]!.series.find((s) => s.method === 'none')!;
  assert.ok(
    dense.threshold.nstar.some((f) => f.fit.censored === 'above'),
    'the fixture has a censored dense point',
  );
  const html = renderAnalysis(a, { title: 't' });
  assert.not.match(html, /left out of the slopes/);
  assert.match(html, /one-sided/);
});

test.run();
