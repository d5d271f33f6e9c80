// Records of another build (src/experiment/build-compat.ts): which trials are replayed, and when
// a build's records are accepted. Records are the fake trial's (test/helpers/fake-trial.ts), whose
// config runs the same fake trial again, as a real record's runs the same real trial.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RecordedConfig, TrialRecord } from '../src/core/types.js';
import {
  checkBuilds,
  replayDifference,
  replaySample,
  replaySeconds,
  type Build,
} from '../src/experiment/build-compat.js';
import { trialInputOf } from '../src/trial/record.js';
import { fakeTrial } from './helpers/fake-trial.js';

const THIS: Build = { version: 'fake', wasmSha: 'fake' };
const OLD: Build = { version: '0.0.9', wasmSha: 'ab'.repeat(32) };

/** A file's worth of records of `build`: dense and pruned at three d, eight n, two seeds. */
function file(build: Build, seeds = [1, 2]): TrialRecord[] {
  const out: TrialRecord[] = [];
  for (const d of [256, 1024, 4096])
    for (const method of ['hermite-thr', 'none'] as const)
      for (let j = 0; j < 8; j++)
        for (const seed of seeds)
          out.push({ ...fakeTrial({ d, alpha: 0.25, link: 'he2', method, n: 64 << j, seed }), ...build });
  return out;
}

const replayer = () => {
  const calls: RecordedConfig[] = [];
  const replay = (rc: RecordedConfig) => {
    calls.push(rc);
    return fakeTrial(trialInputOf(rc));
  };
  return { calls, replay };
};

test('the sample: 3 trials, both code paths, each from its path cheapest quarter, whatever the timings', () => {
  const records = file(OLD);
  const sample = replaySample(records);
  assert.is(sample.length, 3);
  assert.is(new Set(sample.map((r) => r.id)).size, 3);
  assert.equal([...new Set(sample.map((r) => r.config.method))].sort(), ['hermite-thr', 'none']);
  for (const r of sample) {
    const costs = records
      .filter((x) => x.config.method === r.config.method)
      .map((x) => replaySeconds(x.config))
      .sort((a, b) => a - b);
    assert.ok(replaySeconds(r.config) <= costs[Math.ceil(costs.length / 4) - 1]!, `${r.id} is in the cheapest quarter`);
  }
  const retimed = records.map((r) => ({ ...r, timings: { maskMs: 1, firstLayerMs: 2, readoutMs: 3 } }));
  const ids = (rs: TrialRecord[]) => rs.map((r) => r.id);
  assert.equal(ids(replaySample(retimed)), ids(sample), 'timings do not move the sample');
  assert.equal(ids(replaySample(records.slice())), ids(sample), 'deterministic');
  // the hash of the file chooses: files with other trials replay other ones
  const other = new Set(
    [3, 4, 5, 6, 7].map((s) =>
      replaySample(file(OLD, [s, s + 10]))
        .map((r) => `${r.config.method} ${r.config.d} ${r.config.n}`)
        .join(' | '),
    ),
  );
  assert.ok(other.size > 1, [...other].join('\n'));
});

test('a build whose sampled trials replay byte for byte is accepted; this build is never replayed', async () => {
  const mine = file(THIS).slice(0, 5);
  const r = replayer();
  assert.equal(await checkBuilds(mine, THIS, r.replay), { ok: true, checks: [] });
  assert.is(r.calls.length, 0);
  const records = [...file(OLD), ...mine];
  const v = await checkBuilds(records, THIS, r.replay);
  assert.ok(v.ok);
  if (!v.ok) return;
  assert.is(r.calls.length, 3);
  assert.is(v.checks.length, 1);
  assert.equal(v.checks[0]!.of, OLD);
  assert.equal(v.checks[0]!.by, THIS);
  assert.is(v.checks[0]!.records, 96);
  assert.equal(
    v.checks[0]!.replayed.map((x) => x.id),
    replaySample(file(OLD)).map((x) => x.id),
  );
});

test('one differing byte in a sampled trial refuses the build, naming the trial and the field', async () => {
  const records = file(OLD);
  for (const victim of replaySample(records)) {
    const bad = records.map((r) =>
      r.id === victim.id ? { ...r, metrics: { ...r.metrics, alignMax: r.metrics.alignMax! + 2 ** -40 } } : r,
    );
    const v = await checkBuilds(bad, THIS, replayer().replay);
    assert.ok(!v.ok);
    if (v.ok) return;
    assert.equal(v.of, OLD);
    assert.is(v.records, records.length);
    assert.match(
      v.reason,
      new RegExp(`its trial ${victim.id} \\(.*\\), replayed by this build, differs at metrics\\.alignMax`),
    );
  }
  // the same records, the fields in another order: not the same bytes
  const victim = replaySample(records)[0]!;
  const { metrics, ...rest } = victim;
  assert.is(replayDifference({ metrics, ...rest } as TrialRecord, victim), 'the order of its fields');
  assert.is(
    replayDifference({ ...victim, ...THIS, timings: { maskMs: 0, firstLayerMs: 0, readoutMs: 0 } }, victim),
    null,
  );
});

test('a config this build refuses, or a replay that throws, refuses the build', async () => {
  const records = file(OLD);
  const odd = records.map((r, i) => (i === 40 ? { ...r, config: { ...r.config, m: 0 } } : r));
  const v = await checkBuilds(odd, THIS, replayer().replay);
  assert.ok(
    !v.ok && /this build refuses the config of its trial .*`m` must be an integer in \[1, 4096\], got 0/.test(v.reason),
  );
  const w = await checkBuilds(records, THIS, () => {
    throw new Error('out of memory');
  });
  assert.ok(!w.ok && /this build failed to replay its trial [0-9a-f]{16}: out of memory/.test(w.reason));
});

test.run();
