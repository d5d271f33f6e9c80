import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../src/core/errors.js';
import { PRESETS, PRESET_NAMES, preset } from '../src/experiment/presets.js';
import { nStarOfPoints } from '../src/experiment/design-search.js';
import {
  applyOverrides,
  expandSweep,
  parseShard,
  presetSpec,
  selectShard,
  type RunSweepOptions,
  type SweepResult,
  type SweepSpec,
} from '../src/experiment/sweep.js';
import { runDesign, searchDesign } from '../src/experiment/design.js';
import type { TrialRecord } from '../src/core/types.js';
import { fakeRunner } from './helpers/fake-trial.js';

const runSweep = (spec: SweepSpec, opts: RunSweepOptions) => runDesign(searchDesign(), spec, opts);
const strip = (r: TrialRecord) => {
  const { timings: _t, ...rest } = r;
  return JSON.stringify(rest);
};
const canon = (rs: TrialRecord[]) => rs.map(strip).sort();
const small = (): SweepSpec => applyOverrides(presetSpec('separation'), { d: [256, 1024], seeds: 3 });
const summary = (r: SweepResult) =>
  r.searches.map(
    (s) =>
      `${s.chainIndex} ${s.method} ${s.d} ${s.nStar} ${s.censored} ${s.bound} ${s.points.map((p) => `${p.n}:${p.successes}`).join(',')}`,
  );

test('presets are frozen data and expand deterministically', () => {
  const before = JSON.stringify(PRESETS);
  for (const name of PRESET_NAMES) {
    const a = expandSweep(preset(name)),
      b = expandSweep(preset(name));
    assert.equal(a, b, name);
    (a[0]!.chain.ds as number[]).push(3);
    a[0]!.setting.alpha = 0.9;
  }
  assert.is(JSON.stringify(PRESETS), before, 'expansion and mutation of expansions leave presets unchanged');
  assert.ok(Object.isFrozen(PRESETS.separation.settings[0]));
});

test('each preset expands to one chain per (setting, method), covering exactly its declared d', () => {
  for (const name of PRESET_NAMES) {
    const spec = preset(name);
    const plans = expandSweep(spec);
    assert.is(plans.length, spec.settings.length * spec.methods.length, name);
    assert.equal(
      plans.map((p) => p.index),
      plans.map((_, k) => k),
    );
    for (const [k, p] of plans.entries()) {
      const s = spec.settings[Math.floor(k / spec.methods.length)]!;
      assert.is(p.method, spec.methods[k % spec.methods.length]);
      assert.equal(p.setting, s);
      assert.equal(p.chain.base, { ...s, method: p.method });
      const want = [...new Set([...spec.d, ...(spec.extraD?.[p.method] ?? [])])].sort((a, b) => a - b);
      assert.equal(p.chain.ds, want, `${name} ${p.method}`);
      assert.equal(
        p.chain.seeds,
        Array.from({ length: spec.seeds }, (_, i) => i + 1),
      );
      assert.is(p.chain.budget, spec.budget);
    }
  }
  const sep = expandSweep(preset('separation'));
  assert.equal(
    sep.map((p) => [p.method, p.chain.ds]),
    [
      ['hermite-thr', [256, 1024, 4096, 16384, 65536]],
      ['none', [256, 1024, 4096]],
    ],
  );
  assert.equal(sep[0]!.setting, { alpha: 0.25, link: 'he2' });
  assert.equal(
    expandSweep(preset('alpha')).map((p) => `${p.method} ${p.setting.alpha}`),
    ['hermite-thr 0.25', 'none 0.25', 'hermite-thr 0.5', 'none 0.5', 'hermite-thr 0.75', 'none 0.75'],
  );
  assert.is(preset('k3').settings[0]!.link, 'he3');
  assert.equal(preset('multi').settings[0], { alpha: 0.25, r: 2, link: 'sum-he2' });
  assert.equal(preset('lq').settings[0], { alpha: 0.25, link: 'he2', sparsity: 'lq', q: 0.5 });
  assert.equal(preset('controls').methods, ['oracle', 'random', 'gradmag', 'hermite-thr']);
});

test('overrides: --d drops pruned-only extras, lists cross with settings, duplicates collapse', () => {
  const s = applyOverrides(presetSpec('separation'), { d: [256, 512], methods: ['none', 'hermite-thr'], seeds: 2 });
  assert.equal(
    expandSweep(s).map((p) => [p.method, p.chain.ds, p.chain.seeds]),
    [
      ['none', [256, 512], [1, 2]],
      ['hermite-thr', [256, 512], [1, 2]],
    ],
  );
  const m = applyOverrides(presetSpec('separation'), { methods: ['hermite-thr'] });
  assert.equal(expandSweep(m)[0]!.chain.ds, [256, 1024, 4096, 16384, 65536], 'extras stay without --d');
  const a = applyOverrides(presetSpec('alpha'), { alpha: [0.5] });
  assert.equal(a.settings, [{ alpha: 0.5, link: 'he2' }]);
  const l = applyOverrides(presetSpec('separation'), { alpha: [0.25, 0.5], link: ['he2', 'he3'] });
  assert.equal(
    l.settings.map((x) => `${x.alpha} ${x.link}`),
    ['0.25 he2', '0.25 he3', '0.5 he2', '0.5 he3'],
  );
  assert.equal(applyOverrides(presetSpec('k3'), { budget: 1e6, start: 100 }).budget, 1e6);
});

test('bad sweep input is a ConfigError naming the field', () => {
  const cases: [() => unknown, string][] = [
    [() => presetSpec('nope'), 'preset'],
    [() => applyOverrides(presetSpec('separation'), { alpha: [1.5] }), 'alpha'],
    [() => applyOverrides(presetSpec('separation'), { alpha: [0] }), 'alpha'],
    [() => applyOverrides(presetSpec('separation'), { methods: ['magic' as never] }), 'methods'],
    [() => applyOverrides(presetSpec('separation'), { methods: [] }), 'methods'],
    [() => applyOverrides(presetSpec('separation'), { seeds: 0 }), 'seeds'],
    [() => applyOverrides(presetSpec('separation'), { d: [1] }), 'd'],
    [() => applyOverrides(presetSpec('separation'), { d: [256.5] }), 'd'],
    [() => applyOverrides(presetSpec('separation'), { link: [' '] }), 'link'],
    [() => applyOverrides(presetSpec('separation'), { budget: 10 }), 'budget'],
    [() => parseShard('4/4'), 'shard index'],
    [() => parseShard('1/0'), 'shard count'],
    [() => parseShard('a/b'), 'shard'],
  ];
  for (const [f, field] of cases) {
    try {
      f();
      assert.unreachable(`no error for ${field}`);
    } catch (e) {
      assert.instance(e, ConfigError, String(e));
      assert.is((e as ConfigError).field, field);
    }
  }
  assert.equal(parseShard(' 2/5 '), { index: 2, count: 5 });
});

test('the search design: every trial is reported once; n* re-scores from the raw records', async () => {
  const runner = fakeRunner();
  const records: TrialRecord[] = [];
  const r = await runSweep(small(), { runner, onResult: (rec) => records.push(rec) });
  assert.not.ok(r.aborted);
  assert.is(r.trialsRun, records.length);
  assert.is(runner.calls.length, records.length);
  assert.is(new Set(records.map((x) => x.id)).size, records.length, 'no trial twice');
  assert.is(r.searches.length, 4);
  for (const s of r.searches) {
    assert.ok(s.complete);
    const mine = records.filter((x) => x.config.method === s.method && x.config.d === s.d);
    assert.is(mine.length, s.trials);
    const byN = new Map<number, boolean[]>();
    for (const x of mine) byN.set(x.config.n, [...(byN.get(x.config.n) ?? []), x.success]);
    const points = [...byN].map(([n, ok]) => ({ n, success: 2 * ok.filter(Boolean).length >= ok.length }));
    const re = nStarOfPoints(points);
    assert.equal([re.nStar, re.censored, re.bound], [s.nStar, s.censored, s.bound], `${s.method} d=${s.d}`);
  }
  // the fake dense threshold is ~2d: n* lands near it
  const dense = r.searches.find((s) => s.method === 'none' && s.d === 1024)!;
  assert.ok(dense.nStar! >= 1448 && dense.nStar! <= 2896, String(dense.nStar));
});

test('the search design: the same records and n* whatever the timing of trials', async () => {
  const base = await runSweep(small(), { runner: fakeRunner() });
  const recs = async (jitterSeed: number) => {
    const out: TrialRecord[] = [];
    const r = await runSweep(small(), {
      runner: fakeRunner({ maxDelay: 3, jitterSeed }),
      onResult: (x) => out.push(x),
    });
    return { r, out };
  };
  const a = await recs(1),
    b = await recs(99);
  assert.equal(summary(a.r), summary(base));
  assert.equal(summary(b.r), summary(base));
  assert.equal(canon(a.out), canon(b.out));
  assert.not.equal(
    a.out.map((x) => x.id),
    b.out.map((x) => x.id),
    'completion order did differ (else this test proves little)',
  );
});

test('shards partition the trials: union = whole, no overlap, same n*', async () => {
  const spec = applyOverrides(presetSpec('alpha'), { d: [256, 1024], seeds: 3 });
  const whole: TrialRecord[] = [];
  const w = await runSweep(spec, { runner: fakeRunner(), onResult: (x) => whole.push(x) });
  for (const count of [1, 2, 3, 4, 7]) {
    const seen = new Map<string, number>();
    const searches: string[] = [];
    for (let index = 0; index < count; index++) {
      const part: TrialRecord[] = [];
      const r = await runSweep(spec, { runner: fakeRunner(), shard: { index, count }, onResult: (x) => part.push(x) });
      assert.equal(
        r.chains.map((c) => c.index),
        expandSweep(spec)
          .map((c) => c.index)
          .filter((k) => k % count === index),
      );
      for (const x of part) seen.set(x.id, (seen.get(x.id) ?? 0) + 1);
      searches.push(...summary(r));
    }
    assert.ok(
      [...seen.values()].every((k) => k === 1),
      `no trial in two shards (N=${count})`,
    );
    assert.equal([...seen.keys()].sort(), whole.map((x) => x.id).sort(), `union of ${count} shards = whole`);
    assert.equal(searches.sort(), summary(w).sort());
  }
  assert.equal(selectShard(expandSweep(spec), { index: 6, count: 7 }), [], 'more shards than chains: some are empty');
});

test('resume: records given as existing are reused, not rerun or re-emitted; interrupted + resumed = uninterrupted', async () => {
  const whole: TrialRecord[] = [];
  const w = await runSweep(small(), { runner: fakeRunner(), onResult: (x) => whole.push(x) });
  // interrupt after 17 records (mid-batch), with slow trials in flight
  const first: TrialRecord[] = [];
  const stop = new AbortController();
  const r1 = await runSweep(small(), {
    runner: fakeRunner({ maxDelay: 2, jitterSeed: 5 }),
    signal: stop.signal,
    onResult: (x) => {
      first.push(x);
      if (first.length === 17) stop.abort();
    },
  });
  assert.ok(r1.aborted);
  assert.ok(first.length >= 17 && first.length < whole.length, String(first.length));
  const second: TrialRecord[] = [];
  const runner2 = fakeRunner();
  const r2 = await runSweep(small(), { runner: runner2, existing: first, onResult: (x) => second.push(x) });
  assert.not.ok(r2.aborted);
  assert.is(r2.trialsResumed, first.length);
  assert.is(r2.trialsRun, second.length);
  assert.ok(
    runner2.calls.every((c) => !first.some((f) => f.id === c.id)),
    'nothing recorded was run again',
  );
  assert.equal(canon([...first, ...second]), canon(whole));
  assert.equal(summary(r2), summary(w));
});

test('an aborted signal before the start runs nothing', async () => {
  const runner = fakeRunner();
  const stop = new AbortController();
  stop.abort();
  const r = await runSweep(small(), { runner, signal: stop.signal });
  assert.ok(r.aborted);
  assert.is(runner.calls.length, 0);
  assert.ok(r.searches.every((s) => !s.complete && s.nStar === null));
});

test('a failing trial rejects the sweep with its error, and no new batch starts', async () => {
  const runner = fakeRunner();
  const run = runner.run;
  let calls = 0;
  runner.run = async (c, o) => {
    if (++calls === 5) throw new ConfigError('link', 'he9', 'a known link');
    return run(c, o);
  };
  try {
    await runSweep(small(), { runner });
    assert.unreachable('no error');
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.is((e as ConfigError).field, 'link');
  }
  // batches already submitted when the failure lands may run; nothing after (the whole sweep is ~100 trials)
  assert.ok(calls <= 12, `stopped scheduling (${calls} calls)`);
});

test('a runner whose records carry another id than the prepared trial is refused', async () => {
  const runner = fakeRunner();
  const run = runner.run;
  runner.run = async (c, o) => ({ ...(await run(c, o)), id: `x${c.id}` });
  try {
    await runSweep(small(), { runner });
    assert.unreachable('no error');
  } catch (e) {
    assert.match(String(e), /differs from the prepared trial's id/);
  }
});

test('progress: counts add up and the estimate never undercounts what is known', async () => {
  const seen: { done: number; total: number; running: number }[] = [];
  const r = await runSweep(small(), {
    runner: fakeRunner({ maxDelay: 1 }),
    onProgress: (p) => seen.push({ done: p.done, total: p.estimatedTotal, running: p.running }),
  });
  assert.ok(seen.length > 10);
  for (const p of seen) assert.ok(p.total >= p.done + p.running);
  const last = seen[seen.length - 1]!;
  assert.equal([last.done, last.total, last.running], [r.trialsRun, r.trialsRun, 0]);
});

test.run();
