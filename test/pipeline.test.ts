import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLab, trialId, trialInputOf, type Lab, type TrialInput } from '../src/trial/lab.js';
import { ConfigError } from '../src/core/errors.js';
import { MemoryLimitError } from '../src/wasm/index.js';
import { keptRows } from '../src/trial/layout.js';
import type { TrialRecord } from '../src/core/types.js';

let labP: Promise<Lab> | undefined;
const lab = () => (labP ??= createLab());
const base = { d: 256, alpha: 0.25, link: 'he2' } as const;
const noTimings = (r: TrialRecord) => JSON.stringify({ ...r, timings: null });

test('a trial is deterministic per seed, and its id is trialId(config)', async () => {
  const L = await lab();
  for (const method of ['hermite-thr', 'none', 'gradmag', 'random'] as const) {
    const cfg: TrialInput = { ...base, method, n: 1024, seed: 3 };
    const a = L.trial(cfg),
      b = L.trial(cfg);
    assert.is(noTimings(a), noTimings(b), method);
    assert.is(a.id, trialId(cfg));
    assert.is.not(L.trial({ ...cfg, seed: 4 }).id, a.id);
    // a record's config runs the same trial again
    assert.is(
      noTimings(L.trial(trialInputOf(a.config) as TrialInput)),
      noTimings(a),
      `${method}: rerun from the record`,
    );
  }
});

test('the sample split and the recorded config', async () => {
  const L = await lab();
  const r = L.trial({ ...base, method: 'hermite-thr', n: 1001, seed: 1 });
  assert.equal([r.config.n1, r.config.n2, r.config.n3, r.config.nTest], [500, 501, 2000, 5000]);
  assert.equal([r.config.s, r.config.kStar, r.config.eta, r.config.q], [4, 2, 'inf', null]);
  const o = L.trial({ ...base, method: 'oracle', n: 1001, seed: 1 });
  assert.equal([o.config.n1, o.config.n2], [0, 1001]);
  assert.equal([o.metrics.supportRecall, o.metrics.supportPrecision, o.metrics.maskSize], [1, 1, 4]);
  const dense = L.trial({ ...base, method: 'none', n: 512, seed: 1 });
  assert.equal(
    [dense.metrics.maskSize, dense.metrics.supportRecall, dense.metrics.supportPrecision],
    [256, 1, 4 / 256],
  );
});

test('neither the memory budget nor the exact shortcut changes a single bit', async () => {
  const L = await lab();
  for (const method of ['none', 'hermite-thr', 'oracle'] as const) {
    // 1 MiB keeps the first 1024-row block of the dense net's 2048 rows and regenerates the other
    // at every step (the pruned nets' rows fit whole)
    const cfg: TrialInput = { ...base, method, n: 2048, seed: 5 };
    const ref = L.trial(cfg);
    assert.is(noTimings(L.trial({ ...cfg, memoryBudget: 1024 ** 2 })), noTimings(ref), `${method}: budget`);
    // without the shortcut every stage samples all d coordinates and gathers the masked columns
    assert.is(noTimings(L.trial({ ...cfg, shortcut: false })), noTimings(ref), `${method}: shortcut`);
  }
  // at d = 512 not one 1024-row block fits in 1 MiB: every row is regenerated at every step; 3 MiB
  // keeps one block (1536 rows fit) and 5 MiB two of the five
  const wide: TrialInput = { ...base, d: 512, method: 'none', n: 4500, seed: 6 };
  const ref = L.trial(wide);
  for (const memoryBudget of [1024 ** 2, 3 * 1024 ** 2])
    assert.is(noTimings(L.trial({ ...wide, memoryBudget })), noTimings(ref), `d = 512, budget ${memoryBudget}`);
});

test('keptRows: all rows within the budget, else whole blocks, else none', () => {
  assert.is(keptRows(2048, 256, 1024 ** 2), 1024);
  assert.is(keptRows(1024, 256, 1024 ** 2), 1024);
  assert.is(keptRows(1000, 256, 1024 ** 2), 1000);
  assert.is(keptRows(4500, 512, 1024 ** 2), 0);
  assert.is(keptRows(4500, 512, 3 * 1024 ** 2), 1024);
  assert.is(keptRows(4500, 512, 5 * 1024 ** 2), 2048);
  assert.is(keptRows(92682, 4096, 1024 ** 3), 65536);
  assert.is(keptRows(65536, 4096, 1024 ** 3), 65536);
});

test('science at small scale (d=256, alpha=1/4, he2; majority of 3 seeds)', async () => {
  const L = await lab();
  const wins = (method: TrialInput['method'], n: number) =>
    [1, 2, 3].map((seed) => L.trial({ ...base, method, n, seed })).filter((r) => r.success).length;
  // The margins come from measured n*: oracle ~ 128, hermite-thr ~ 1024-1448, none ~ 2896-4096.
  assert.ok(wins('oracle', 256) >= 2, 'oracle should succeed at n = 256');
  assert.ok(wins('hermite-thr', 4096) >= 2, 'hermite-thr should succeed at n = 4096');
  assert.ok(wins('none', 1024) <= 1, 'the dense net should fail at n = 1024');
});

test('the masks: hermite-thr finds the support at n = 4096; gradmag (the negative control) does not', async () => {
  const L = await lab();
  const thr = L.trial({ ...base, method: 'hermite-thr', n: 4096, seed: 2 });
  assert.is(thr.metrics.supportRecall, 1);
  const top = L.trial({ ...base, method: 'hermite', n: 4096, seed: 2 });
  assert.equal([top.metrics.maskSize, top.metrics.supportRecall], [4, 1]);
  let recall = 0;
  for (const seed of [1, 2, 3]) recall += L.trial({ ...base, method: 'gradmag', n: 4096, seed }).metrics.supportRecall;
  assert.ok(recall / 3 < 0.75, `gradmag recall ${recall / 3} should stay far from 1`);
});

test('an empty mask is a valid, failed trial', async () => {
  const L = await lab();
  const r = L.trial({ ...base, method: 'hermite-thr', n: 4, seed: 1, c: 1e6 });
  assert.is(r.metrics.maskSize, 0);
  assert.is(r.success, false);
  assert.is(r.diverged, null);
  assert.ok(
    r.metrics.relMse !== null && r.metrics.relMse > 0.9,
    `a constant readout explains nothing: ${r.metrics.relMse}`,
  );
});

test('an overflowing step is recorded as diverged in the first layer, not thrown', async () => {
  const L = await lab();
  const r = L.trial({ ...base, method: 'none', n: 1024, seed: 1, eta: 1e300, batch: 'fresh' });
  assert.is(r.diverged, 'first-layer');
  assert.is(r.success, false);
  assert.is(r.metrics.relMse, null);
});

test('a neuron that sees no active sample keeps its weights: tiny fresh batches are not divergence', async () => {
  const L = await lab();
  const r = L.trial({ ...base, method: 'none', n: 16, batch: 'fresh', seed: 1 });
  assert.is(r.diverged, null);
  assert.is(r.success, false);
});

test('bad input is refused before any work, naming the field', async () => {
  const L = await lab();
  const bad: [Record<string, unknown>, string][] = [
    [{ method: 'bogus' }, 'method'],
    [{ n: 0 }, 'n'],
    [{ n: 2.5 }, 'n'],
    [{ n: NaN }, 'n'],
    [{ m: 0 }, 'm'],
    [{ eta: -1 }, 'eta'],
    [{ eta: NaN }, 'eta'],
    [{ steps: -1 }, 'steps'],
    [{ batch: 'online' }, 'batch'],
    [{ split: 1 }, 'split'],
    [{ K: 0 }, 'K'],
    [{ c: 0 }, 'c'],
    [{ n3: 0 }, 'n3'],
    [{ readoutBiases: 0 }, 'readoutBiases'],
    [{ memoryBudget: 10 }, 'memoryBudget'],
    [{ shortcut: 'yes' }, 'shortcut'],
    [{ seed: -1 }, 'seed'],
    [{ frobnicate: 1 }, 'frobnicate'],
    [{ n: 1, method: 'hermite-thr' }, 'n'],
    [{ n: 4, batch: 'fresh', steps: 8 }, 'n'],
  ];
  for (const [over, field] of bad) {
    try {
      L.trial({ ...base, method: 'none', n: 64, ...over } as TrialInput);
      assert.unreachable(`${JSON.stringify(over)} was accepted`);
    } catch (e) {
      assert.instance(e, ConfigError, JSON.stringify(over));
      assert.is((e as ConfigError).field, field, JSON.stringify(over));
    }
  }
  assert.throws(
    () => L.trial({ d: 2 ** 30, alpha: 0.25, link: 'he2', method: 'none', n: 64 }),
    (e: unknown) => e instanceof MemoryLimitError && /GiB/.test((e as Error).message),
  );
});

test.run();
