// What the tests of the two span simulations (test/subspace.test.ts, test/compact.test.ts) check
// the same way: the same bytes with any worker count, and the power of their KS agreement test
// against the tests-only wrong variant.
import * as assert from 'uvu/assert';
import { createLab } from '../../src/index.js';
import { validateConfig, validateTrialSpec } from '../../src/trial/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { recordedConfig } from '../../src/trial/record.js';
import { NO_PROGRESS } from '../../src/trial/progress.js';
import { runSpanTrial, type SpanSimClass } from '../../src/trial/span-sim.js';
import type { TrialRecord } from '../../src/core/types.js';
import { createNodePool } from '../../src/node/pool-node.js';
import { wasm } from './wasm.js';
import { ksP } from './ks.js';

/** A record as one JSON line without its timings: what must match byte for byte. */
export const untimed = (r: TrialRecord): string => JSON.stringify({ ...r, timings: null });

/**
 * Six dense fresh-batch trials on `sim` (seeds 1..6, n from 7000 up, m alternating 32 and 7, the
 * rest from `vary`): their records from 1, 2 and 3 worker threads are the in-process bytes.
 */
export async function assertSameAcrossWorkers(sim: string, vary: (seed: number) => object = () => ({})): Promise<void> {
  const configs = [1, 2, 3, 4, 5, 6].map((seed) => ({
    d: 4096,
    alpha: 0.25,
    link: 'he2',
    method: 'none',
    batch: 'fresh',
    sim,
    n: 6000 + 1000 * seed,
    m: seed % 2 ? 32 : 7,
    seed,
    ...vary(seed),
  }));
  const lab = await createLab();
  const want = configs.map((c) => untimed(lab.trial(c as never)));
  for (const workers of [1, 2, 3]) {
    const pool = createNodePool<object, TrialRecord>({ workers });
    try {
      const got = await Promise.all(configs.map((c) => pool.run(c)));
      assert.ok(got.every((r) => r.config.sim === sim));
      assert.equal(got.map(untimed), want, `${workers} workers`);
    } finally {
      await pool.terminate();
    }
  }
}

/**
 * The power of a span path's agreement test: the wrong variant (D = d, through the tests-only hook)
 * on `seeds`, against the direct path's runs of the same config, must give some metric a KS p below
 * `level` (the agreement test fails at p <= level). And the hook is a real variant: the right one
 * through the same call gives runTrial's bytes for `inputOf(seeds[0])`. Returns the p per metric.
 */
export async function assertWrongVariantRejected(q: {
  Sim: SpanSimClass;
  sim: string;
  name: string;
  inputOf: (seed: number) => object;
  seeds: readonly number[];
  direct: readonly TrialRecord[];
  metrics: readonly ('alignMax' | 'relMse')[];
  level: number;
}): Promise<number[]> {
  const w = await wasm();
  const run = (seed: number, variant?: { stepDof: 'd' }) => {
    const spec = validateTrialSpec(q.inputOf(seed));
    return runSpanTrial(q.Sim, w, spec, recordedConfig(spec), NO_PROGRESS, variant);
  };
  const wrong = q.seeds.map((s) => run(s, { stepDof: 'd' }));
  assert.ok(wrong.every((r) => r.config.sim === q.sim && r.diverged === null));
  const ps = q.metrics.map((metric) =>
    ksP(
      q.direct.map((r) => r.metrics[metric]!),
      wrong.map((r) => r.metrics[metric]!),
    ),
  );
  assert.ok(Math.min(...ps) < q.level, `${q.name}: D = d not rejected (KS p = ${ps.join(', ')})`);
  const lab = await createLab();
  const right = run(q.seeds[0]!);
  assert.is(untimed(right), untimed(lab.trial(q.inputOf(q.seeds[0]!) as never)));
  assert.is.not(untimed(wrong[0]!), untimed(right));
  return ps;
}

/** The message of the ConfigError that `c` raises on its `sim` field, whose value is `value` when given. */
export function simConfigError(c: object, value?: string): string {
  try {
    validateConfig(c);
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.is((e as ConfigError).field, 'sim');
    if (value !== undefined) assert.is((e as ConfigError).value, value);
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
}
