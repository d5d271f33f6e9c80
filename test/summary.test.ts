import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../src/analysis/report/analyze.js';
import { summarize, verdict } from '../src/analysis/report/summary.js';
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
  assert.match(text, /\nn\*\s+d=256\s+d=1024\s+d=4096\s+d=16384\n/);
  assert.match(text, /\nhermite-thr\s+1024\s+2048\s+4096\s+8192\n/);
  assert.match(text, /\nnone\s+4096\s+16384\s+65536\s+262144\n/);
  assert.match(
    text,
    /n\*_dense \/ n\*_pruned \(none \/ hermite-thr\): d=256: 4\.0, d=1024: 8\.0, d=4096: 16\.0, d=16384: 32\.0/,
  );
  assert.match(
    text,
    /\nverdict: pruning wins: hermite-thr n\* ~ d\^0\.50 \[0\.50, 0\.50\] against none n\* ~ d\^1\.00 \[1\.00, 1\.00\]/,
  );
});

test('equal scalings give no separation; a steeper pruned slope loses; two dimensions give no slope verdict', () => {
  const same = analyze(
    [
      ...series({ method: 'hermite-thr', ds: D, nTrue: (d) => 4 * d, seeds: 3 }),
      ...series({ method: 'none', ds: D, nTrue: (d) => 16 * d, seeds: 3 }),
    ],
    opts,
  );
  assert.match(verdict(same.panels[0]!)!, /^verdict: no clear separation/);
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
  const two = analyze(
    [
      ...series({ method: 'hermite-thr', ds: [256, 1024], nTrue: (d) => 64 * Math.sqrt(d), seeds: 3 }),
      ...series({ method: 'none', ds: [256, 1024], nTrue: (d) => 16 * d, seeds: 3 }),
    ],
    opts,
  );
  assert.match(verdict(two.panels[0]!)!, /^verdict: too few dimensions for a slope verdict \(2 uncensored, need 3\)/);
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
  assert.match(text, /\noracle\s+<= 32\s+<= 32\n/);
  assert.match(text, /\nrandom\s+> 4096\s+> 4096\n/);
  assert.match(text, /"<= 32": succeeded at the smallest grid point/);
  assert.not.match(text, /verdict/);
});

test.run();
