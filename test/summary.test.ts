import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../src/analysis/report/analyze.js';
import { summarize, summaryTables, verdict } from '../src/analysis/report/summary.js';
import { ratioText } from '../src/analysis/report/text.js';
import { series } from './helpers/records.js';

const D = [256, 1024, 4096, 16384];
const opts = { replicates: 200 };

test('pruned n* ~ sqrt(d) against dense n* ~ d: the table, the ratios and "pruning wins"', () => {
  const records = [
    ...series({ method: 'hermite-thr', ds: D, nTrue: (d) => 64 * Math.sqrt(d), seeds: 3 }),
    ...series({ method: 'none', ds: D, nTrue: (d) => 16 * d, seeds: 3 }),
  ];
  const text = summarize(analyze(records, opts));
  assert.match(text, /^== link he2 \(k\* = 2\), α = 0\.25/);
  assert.match(text, /\nn\*50 \[90% interval\]\s+d=256\s+d=1024\s+d=4096\s+d=16384\n/);
  // every n*50 carries an interval of nonzero width around the step (the data have complete separation)
  const row = /\nhermite-thr((?:\s+\d+ \[\d+, \d+\]){4})\n/.exec(text);
  assert.ok(row, text);
  for (const m of row[1]!.matchAll(/(\d+) \[(\d+), (\d+)\]/g))
    assert.ok(Number(m[2]) < Number(m[1]) && Number(m[1]) < Number(m[3]));
  assert.match(text, /\n {2}grid rule\s+1024\s+2048\s+4096\s+8192\n/);
  assert.match(text, /\n {2}grid rule\s+4096\s+16384\s+65536\s+262144\n/);
  assert.match(
    text,
    /n\*_dense \/ n\*_pruned \(grid rule, none \/ hermite-thr\): d=256: 4\.0, d=1024: 8\.0, d=4096: 16\.0, d=16384: 32\.0/,
  );
  assert.match(
    text,
    /\nverdict: pruning wins: Δb = -0\.\d\d \[-0\.\d\d, -0\.\d\d\] excludes 0; hermite-thr n\*50 ~ d\^0\.5\d \[0\.\d\d, 0\.\d\d\] against none n\*50 ~ d\^1\.0\d \[0\.9\d, 1\.\d\d\] over d = 256, 1024, 4096, 16384\./,
  );
});

test('equal scalings give no separation; a steeper pruned slope loses; the comparison uses shared d only', () => {
  const same = analyze(
    [
      ...series({ method: 'hermite-thr', ds: D, nTrue: (d) => 4 * d, seeds: 3 }),
      ...series({ method: 'none', ds: D, nTrue: (d) => 16 * d, seeds: 3 }),
    ],
    opts,
  );
  assert.match(verdict(same.panels[0]!)!, /^verdict: no clear separation: the 90% interval of Δb = .* contains 0/);
  const worse = analyze(
    [
      ...series({ method: 'hermite-thr', ds: D, nTrue: (d) => d ** 1.5 / 4, seeds: 3, config: { alpha: 0.75 } }),
      ...series({ method: 'none', ds: D, nTrue: (d) => 16 * d, seeds: 3, config: { alpha: 0.75 } }),
    ],
    opts,
  );
  assert.match(
    verdict(worse.panels[0]!)!,
    /^verdict: pruning loses: .*\(theory: at alpha >= 1\/2 pruning should not win\)\.$/,
  );
  const extra = analyze(
    [
      ...series({ method: 'hermite-thr', ds: [...D, 65536], nTrue: (d) => 64 * Math.sqrt(d), seeds: 3 }),
      ...series({ method: 'none', ds: D, nTrue: (d) => 16 * d, seeds: 3 }),
    ],
    opts,
  );
  assert.match(verdict(extra.panels[0]!)!, /over d = 256, 1024, 4096, 16384\.$/);
  const one = analyze(
    [
      ...series({ method: 'hermite-thr', ds: [256], nTrue: (d) => 64 * Math.sqrt(d), seeds: 3 }),
      ...series({ method: 'none', ds: [1024], nTrue: (d) => 16 * d, seeds: 3 }),
    ],
    opts,
  );
  assert.match(verdict(one.panels[0]!)!, /fewer than two dimensions/);
});

test('censored and floor points are shown as such; a panel without both learners has no verdict', () => {
  const text = summarize(
    analyze(
      [
        ...series({ method: 'oracle', ds: [256, 1024], nTrue: () => 20, seeds: 3 }),
        ...series({ method: 'random', ds: [256, 1024], nTrue: () => 1e9, seeds: 3, cap: 4096, span: 1e9 }),
      ],
      opts,
    ),
  );
  assert.match(text, /\noracle\s+< \d+\s+< \d+\n {2}this d alone\s+< \d+\s+< \d+\n {2}grid rule\s+<= 32\s+<= 32\n/);
  assert.match(text, /\nrandom\s+> \d+\s+> \d+\n {2}this d alone\s+> \d+\s+> \d+\n {2}grid rule\s+> 4096\s+> 4096\n/);
  assert.not.match(text, /verdict/);
});

test('summaryTables are the summary: every row the CLI prints, cell for cell (the demo lays out the same cells)', () => {
  const a = analyze(
    [
      ...series({ method: 'hermite-thr', ds: D, nTrue: (d) => 64 * Math.sqrt(d), seeds: 3 }),
      ...series({ method: 'none', ds: D.slice(0, 3), nTrue: (d) => 16 * d, seeds: 3 }),
    ],
    opts,
  );
  const text = summarize(a);
  const t = summaryTables(a.panels[0]!);
  // a printed line that is exactly this label and these cells, in order, with padding between
  const printed = (label: string, cells: string[]) =>
    text.split('\n').some((line) => {
      let rest = line.trimStart();
      if (!rest.startsWith(label)) return false;
      rest = rest.slice(label.length);
      for (const c of cells) {
        const i = rest.indexOf(c);
        if (i < 0 || rest.slice(0, i).trim() !== '') return false;
        rest = rest.slice(i + c.length);
      }
      return rest.trim() === '';
    });
  for (const table of [t.nStar, t.exponents]) {
    assert.ok(printed(table.head[0]!, table.head.slice(1)), `head ${table.head.join(' | ')}`);
    for (const r of table.rows) assert.ok(printed(r.label, r.cells), `row ${r.label} | ${r.cells.join(' | ')}`);
  }
  assert.equal(
    t.nStar.rows.map((r) => [r.label, r.crossCheck]),
    [
      ['hermite-thr', false],
      ['this d alone', true],
      ['grid rule', true],
      ['none', false],
      ['this d alone', true],
      ['grid rule', true],
    ],
  );
  assert.is(t.nStar.rows[3]!.cells[3], '-', 'none has no trials at d = 16384');
  for (const line of t.ratios) assert.ok(text.includes(line), line);
});

test('a dense/pruned ratio below 1 keeps two digits (pruning losing by 30x is not "0.0")', () => {
  assert.is(ratioText(4), '4.0');
  assert.is(ratioText(32), '32.0');
  assert.is(ratioText(0.3), '0.30');
  assert.is(ratioText(0.02734), '0.027');
  const text = summarize(
    analyze(
      [
        ...series({ method: 'hermite-thr', ds: [256, 1024], nTrue: (d) => 64 * d, seeds: 3 }),
        ...series({ method: 'none', ds: [256, 1024], nTrue: (d) => 2 * d, seeds: 3 }),
      ],
      opts,
    ),
  );
  assert.match(text, /n\*_dense \/ n\*_pruned \(grid rule, none \/ hermite-thr\): d=256: 0\.03\d?, d=1024: 0\.03\d?/);
});

test.run();
