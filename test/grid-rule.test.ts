import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scoreCells, scoreNStar, groupSeries, seriesSetting } from '../src/stats/grid-rule.js';
import { canonicalJson } from '../src/core/hash.js';
import { cell, makeRecord, series } from './helpers/records.js';

const at = (d: number) => ({ d });

test('the rule: smallest n from which every larger visited n passes', () => {
  const recs = [
    ...cell(at(256), 256, 0, 5),
    ...cell(at(256), 362, 2, 5),
    ...cell(at(256), 512, 3, 5),
    ...cell(at(256), 724, 5, 5),
  ];
  const [p] = scoreNStar(recs);
  assert.is(p!.nStar, 512);
  assert.is(p!.censoredAbove, null);
  assert.equal(
    p!.perN.map((c) => [c.n, c.successes, c.seeds]),
    [
      [256, 0, 5],
      [362, 2, 5],
      [512, 3, 5],
      [724, 5, 5],
    ],
  );
  assert.is(p!.d, 256);
  assert.is(p!.s, 4);
  assert.is(p!.kStar, 2);
  assert.is(p!.method, 'hermite-thr');
});

test('non-monotone success: a failure above a success moves n* up', () => {
  const recs = [
    ...cell(at(1024), 256, 5, 5),
    ...cell(at(1024), 362, 1, 5),
    ...cell(at(1024), 512, 4, 5),
    ...cell(at(1024), 724, 5, 5),
  ];
  assert.is(scoreNStar(recs)[0]!.nStar, 512);
  // A lone success below failures never counts.
  assert.equal(
    scoreCells([
      { n: 32, successes: 3, seeds: 3 },
      { n: 45, successes: 0, seeds: 3 },
      { n: 64, successes: 2, seeds: 3 },
    ]),
    { nStar: 64, censoredAbove: null },
  );
});

test('censored: the largest visited n fails, the point is kept as "> N"', () => {
  const recs = [...cell(at(4096), 1024, 5, 5), ...cell(at(4096), 1448, 2, 5)];
  const [p] = scoreNStar(recs);
  assert.is(p!.nStar, null);
  assert.is(p!.censoredAbove, 1448);
});

test('never succeeding is censored at the largest visited n', () => {
  const recs = [...cell(at(256), 32, 0, 3), ...cell(at(256), 45, 0, 3), ...cell(at(256), 64, 0, 3)];
  assert.equal(
    scoreNStar(recs).map((p) => [p.nStar, p.censoredAbove]),
    [[null, 64]],
  );
});

test('succeeding at the grid floor gives n* = 32', () => {
  const recs = [...cell(at(256), 32, 3, 3), ...cell(at(256), 45, 3, 3)];
  assert.is(scoreNStar(recs)[0]!.nStar, 32);
  assert.equal(scoreCells([{ n: 32, successes: 2, seeds: 3 }]), { nStar: 32, censoredAbove: null });
});

test('"at least half": 2 of 4 passes, 1 of 3 does not; an empty cell list scores nothing', () => {
  assert.equal(scoreCells([{ n: 64, successes: 2, seeds: 4 }]), { nStar: 64, censoredAbove: null });
  assert.equal(scoreCells([{ n: 64, successes: 1, seeds: 3 }]), { nStar: null, censoredAbove: 64 });
  assert.equal(scoreCells([]), { nStar: null, censoredAbove: null });
});

test('the alignment criterion scores from alignSuccess', () => {
  const recs = [
    makeRecord({ n: 64, seed: 1 }, { success: true, alignMax: 0.5 }),
    makeRecord({ n: 128, seed: 1 }, { success: true, alignMax: 0.99 }),
  ];
  assert.is(scoreNStar(recs)[0]!.nStar, 64);
  assert.is(scoreNStar(recs, { criterion: 'alignSuccess' })[0]!.nStar, 128);
});

test('duplicate ids count once', () => {
  const recs = cell(at(256), 64, 1, 3);
  const p = scoreNStar([...recs, ...recs])[0]!;
  assert.equal(p.perN, [{ n: 64, successes: 1, seeds: 3 }]);
});

test('series: methods and teacher settings split, d and n and seed do not; s joins when alpha is unset', () => {
  const recs = [
    ...cell({ d: 256, method: 'none' }, 512, 3, 3),
    ...cell({ d: 1024, method: 'none' }, 512, 3, 3),
    ...cell({ d: 256, method: 'hermite-thr' }, 512, 3, 3),
    ...cell({ d: 256, method: 'hermite-thr', alpha: 0.5 }, 512, 3, 3),
    ...cell({ d: 256, method: 'hermite-thr', alpha: null, s: 8 }, 512, 3, 3),
    ...cell({ d: 256, method: 'hermite-thr', alpha: null, s: 16 }, 512, 3, 3),
  ];
  const groups = groupSeries(scoreNStar(recs));
  assert.is(groups.length, 5);
  const none = groups.find((g) => g[0]!.method === 'none')!;
  assert.equal(
    none.map((p) => p.d),
    [256, 1024],
  );
  assert.equal(
    none.map((p) => p.s),
    [4, 6],
  );
  assert.is(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
  assert.not.ok('d' in seriesSetting(recs[0]!.config));
  assert.not.ok('seed' in seriesSetting(recs[0]!.config));
});

test('a synthetic step series scores its true n* on the grid', () => {
  const recs = series({ method: 'hermite-thr', ds: [256, 1024, 4096], nTrue: (_d, s) => 30 * s * s, seeds: 3 });
  const pts = scoreNStar(recs);
  // s = 4, 6, 8: 30 s^2 = 480, 1080, 1920 -> the first grid n at or above: 512, 1448, 2048.
  assert.equal(
    pts.map((p) => p.nStar),
    [512, 1448, 2048],
  );
});

test('input records are not mutated', () => {
  const recs = cell(at(256), 64, 1, 3);
  const frozen = JSON.stringify(recs);
  scoreNStar(recs);
  assert.is(JSON.stringify(recs), frozen);
});

test('the simulation path is not part of a series: direct at small d and subspace at large d are one learner', () => {
  const dense = { method: 'none' as const, batch: 'fresh' as const };
  const recs = [
    ...cell({ ...dense, d: 256, sim: 'direct' }, 46341, 3, 3),
    ...cell({ ...dense, d: 4096, sim: 'subspace' }, 741455, 3, 3),
    ...cell({ ...dense, d: 4096, sim: 'subspace', batch: 'reuse' }, 8192, 3, 3),
  ];
  const groups = groupSeries(scoreNStar(recs));
  assert.is(groups.length, 2, 'fresh (both paths) and reuse');
  assert.equal(
    groups.find((g) => g[0]!.setting.batch === 'fresh')!.map((p) => p.d),
    [256, 4096],
  );
});

test.run();
