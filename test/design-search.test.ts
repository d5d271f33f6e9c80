import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  NStarSearch,
  SearchChain,
  nStarOfPoints,
  nextStartIndex,
  pointSucceeds,
  searchNStar,
  type SearchSpec,
  type TrialRequest,
} from '../src/experiment/design-search.js';
import { ConfigError } from '../src/core/errors.js';
import { GRID_BASE, gridIndex } from '../src/stats/n-grid.js';

/** Drives a search with an outcome function of (n, seed); returns the result and the n of every batch in order. */
function drive(spec: SearchSpec, ok: (n: number, seed: number) => boolean) {
  const s = new NStarSearch(spec);
  const visits: number[] = [];
  for (let b = s.next(); b; b = s.next()) {
    visits.push(b[0]!.n!);
    assert.equal(
      b.map((c) => c.seed),
      [...spec.seeds],
      'one trial per seed, in seed order',
    );
    assert.ok(b.every((c) => c.n === b[0]!.n && c.d === spec.base.d && c.method === spec.base.method));
    s.report(b.map((c) => ({ success: ok(c.n!, c.seed!) })));
  }
  return { r: s.result(), visits };
}

const spec = (o: Partial<SearchSpec> = {}): SearchSpec => ({
  base: { d: 256, method: 'none', alpha: 0.25 },
  seeds: [1, 2, 3],
  budget: 2 ** 40,
  startIndex: 0,
  ...o,
});

test('a point succeeds when at least half its seeds do', () => {
  assert.ok(pointSucceeds(3, 5));
  assert.not.ok(pointSucceeds(2, 5));
  assert.ok(pointSucceeds(1, 2));
  assert.not.ok(pointSucceeds(0, 1));
  assert.not.ok(pointSucceeds(0, 0));
});

test('nStarOfPoints: smallest n from which every visited larger n succeeds', () => {
  const p = (n: number, success: boolean) => ({ n, success });
  assert.equal(nStarOfPoints([p(128, false), p(181, true)]), {
    nStar: 181,
    censored: false,
    bound: null,
    atFloor: false,
  });
  // non-monotone luck: a failure above a success moves n* up
  assert.is(nStarOfPoints([p(64, true), p(91, false), p(128, true), p(181, true)]).nStar, 128);
  assert.is(nStarOfPoints([p(181, true), p(64, true), p(91, true)]).nStar, 64, 'order of points does not matter');
  assert.equal(nStarOfPoints([p(128, true), p(181, false)]), {
    nStar: null,
    censored: true,
    bound: 181,
    atFloor: false,
  });
  assert.equal(nStarOfPoints([p(32, true), p(45, true)]), { nStar: 32, censored: false, bound: null, atFloor: true });
  assert.equal(nStarOfPoints([]), { nStar: null, censored: true, bound: null, atFloor: false });
});

test('walks up from the start until a point succeeds', () => {
  const { r, visits } = drive(spec({ startIndex: 4 }), (n) => n >= 500);
  assert.equal(visits, [128, 181, 256, 362, 512]);
  assert.is(r.nStar, 512);
  assert.ok(r.complete && !r.censored && !r.atFloor);
  assert.is(r.trials, 15);
  assert.equal(
    r.points.map((p) => p.n),
    [128, 181, 256, 362, 512],
  );
});

test('walks down from the start until a point fails', () => {
  const { r, visits } = drive(spec({ startIndex: 10 }), (n) => n >= 300);
  assert.equal(visits, [1024, 724, 512, 362, 256]);
  assert.is(r.nStar, 362);
  assert.equal(
    r.points.map((p) => [p.n, p.successes]),
    [
      [256, 0],
      [362, 3],
      [512, 3],
      [724, 3],
      [1024, 3],
    ],
  );
});

test('succeeding at the grid floor reports n* = 32 with the floor flag', () => {
  const { r, visits } = drive(spec({ startIndex: 3 }), () => true);
  assert.equal(visits, [91, 64, 45, 32]);
  assert.is(r.nStar, GRID_BASE);
  assert.ok(r.atFloor && r.complete && !r.censored);
});

test('never succeeding is censored at the n*d cap, reported as > the largest n run', () => {
  const { r, visits } = drive(spec({ budget: 256 * 200 }), () => false);
  assert.equal(visits, [32, 45, 64, 91, 128, 181]);
  assert.ok(r.censored && r.complete);
  assert.is(r.nStar, null);
  assert.is(r.bound, 181);
});

test('a start beyond the cap is clamped to the cap; a cap below 32*d runs nothing', () => {
  const a = drive(spec({ startIndex: 12, budget: 256 * 1000 }), (n) => n >= 400);
  assert.equal(a.visits, [724, 512, 362]);
  assert.is(a.r.nStar, 512);
  const b = drive(spec({ startIndex: 12, budget: 256 * 1000 }), () => false);
  assert.equal(b.visits, [724]);
  assert.is(b.r.bound, 724);
  const c = drive(spec({ budget: 256 * 31 }), () => true);
  assert.equal(c.visits, []);
  assert.ok(c.r.censored && c.r.complete);
  assert.is(c.r.bound, null);
});

test('majority over seeds decides each point; luck that is not monotone in n', () => {
  // seeds 1 and 2 succeed from 181; seed 3 only at 256 and at 91 (lucky), so the point at 91 fails 1/3
  const ok = (n: number, seed: number) => (seed === 3 ? n === 91 || n >= 256 : n >= 181);
  const up = drive(spec({ startIndex: 2 }), ok);
  assert.equal(up.visits, [64, 91, 128, 181]);
  assert.equal(
    up.r.points.map((p) => p.successes),
    [0, 1, 0, 2],
  );
  assert.is(up.r.nStar, 181);
  // a lucky majority low on the grid, failures above it: the walk stops at the first success
  // and n* is decided by what was visited
  const lucky = (n: number) => n === 64 || n >= 256;
  const u = drive(spec({ startIndex: 1 }), lucky);
  assert.equal(u.visits, [45, 64]);
  assert.is(u.r.nStar, 64);
  const d = drive(spec({ startIndex: 7 }), lucky);
  assert.equal(d.visits, [362, 256, 181]);
  assert.is(d.r.nStar, 256);
});

test('report checks the batch and refuses after the decision', () => {
  const s = new NStarSearch(spec());
  assert.throws(() => s.report([{ success: true }]), /expected 3 records/);
  s.report([{ success: true }, { success: true }, { success: true }]);
  assert.ok(s.done);
  assert.is(s.next(), null);
  assert.throws(() => s.report([{ success: true }, { success: true }, { success: true }]), /already decided/);
});

test('bad search specs are ConfigErrors naming the field', () => {
  for (const [bad, field] of [
    [{ seeds: [] }, 'seeds'],
    [{ seeds: [1, 1] }, 'seeds'],
    [{ budget: 0 }, 'budget'],
    [{ startIndex: -1 }, 'startIndex'],
    [{ base: { d: 0, method: 'none' } }, 'd'],
  ] as const) {
    try {
      new NStarSearch(spec(bad as Partial<SearchSpec>));
      assert.unreachable(`no error for ${JSON.stringify(bad)}`);
    } catch (e) {
      assert.instance(e, ConfigError);
      assert.is((e as ConfigError).field, field);
    }
  }
});

test('searchNStar (async driver) matches the state machine', async () => {
  const ok = (n: number, seed: number) => n * (1 + seed / 10) >= 700;
  const runs: number[] = [];
  const r = await searchNStar(spec({ startIndex: 6 }), async (batch: TrialRequest[]) => {
    runs.push(batch[0]!.n!);
    await new Promise((res) => setTimeout(res, 1));
    return batch.map((c) => ({ success: ok(c.n!, c.seed!) }) as never);
  });
  const sync = drive(spec({ startIndex: 6 }), ok);
  assert.equal(runs, sync.visits);
  assert.equal(r, sync.r);
});

test('a chain starts at half the predicted n*: the previous n* after one point, extrapolated after two', () => {
  const need: Record<number, number> = { 256: 700, 1024: 3000, 4096: 2000 };
  const chain = new SearchChain({
    base: { method: 'none', alpha: 0.25 },
    ds: [256, 1024, 4096],
    seeds: [1, 2, 3],
    budget: 2 ** 40,
  });
  const firstN: Record<number, number> = {};
  for (let b = chain.next(); b; b = chain.next()) {
    firstN[b[0]!.d!] ??= b[0]!.n!;
    chain.report(b.map((c) => ({ success: c.n! >= need[c.d!]! })));
  }
  assert.ok(chain.done);
  const rs = chain.results();
  assert.equal(
    rs.map((r) => r.nStar),
    [724, 4096, 2048],
  );
  // 1024 starts at 724/2 = 362; 4096 extrapolates 724 -> 4096 (slope 1.25) to 23170 and starts
  // at half of it, 11585, then walks down to 2048 (the fail at 1448 ends it)
  assert.equal(firstN, { 256: 32, 1024: 362, 4096: 11585 });
  assert.equal(
    rs[2]!.points.map((p) => p.n),
    [1448, 2048, 2896, 4096, 5793, 8192, 11585],
  );
  assert.is(nextStartIndex(rs.slice(0, 1), 1024, 0), gridIndex(362));
  assert.is(nextStartIndex(rs.slice(0, 2), 4096, 0), gridIndex(11585));
});

test('a chain after a censored point starts at the bound (clamped by the new cap); a given start snaps down', () => {
  const chain = new SearchChain({
    base: { method: 'none' },
    ds: [256, 1024],
    seeds: [1],
    budget: 256 * 200,
    start: 100,
  });
  const visits: [number, number][] = [];
  for (let b = chain.next(); b; b = chain.next()) {
    visits.push([b[0]!.d!, b[0]!.n!]);
    chain.report([{ success: false }]);
  }
  assert.equal(visits, [
    [256, 91],
    [256, 128],
    [256, 181],
    [1024, 45],
  ]);
  assert.equal(
    chain.results().map((r) => (r.censored ? `> ${r.bound}` : String(r.nStar))),
    ['> 181', '> 45'],
  );
});

test.run();
