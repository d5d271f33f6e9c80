// The compact simulation (DESIGN §2.2c): the whole trial against the direct and the subspace paths in
// distribution, with power against a wrong variant; exact identities with the subspace path; auto
// resolution, ConfigErrors, the cost model, and the same bytes with any worker count.
//
// False alarms. Two-sample KS on alignMax and relMse, 200 seeds per path and config: 5 configs
// against the direct path and 3 against the subspace path (the others are below its d >= K), so
// 16 assertions at level 1e-5 each: the suite's false-alarm rate is below 1.6e-4 by Bonferroni
// (KS is conservative on ties, so lower still). Every path runs its own seeds (direct 1..200,
// compact 1001..1200, subspace 2001..2200): with shared seeds the paths share b, a and, compact
// against subspace, the initial weights and the first step's rows, and the samples would not be
// independent.
//
// Measured p-values of these agreement tests (this build, the seeds above; PRUNELAB_PRINT_KS=1 prints
// them), alignMax / relMse: against direct: he2 0.85 / 0.61, he3 0.10 / 0.45, r=2 0.85 / 0.78,
// d = r + 2m + 1 0.85 / 0.70, defaults 0.99 / 0.96; against subspace: he2 0.70 / 0.70, he3 0.062 /
// 0.85, r=2 0.53 / 0.70. (The he3 config once more with 1000 seeds per path: compact vs direct
// 0.79 / 0.99, compact vs subspace 0.12 / 0.57, subspace vs direct 0.43 / 0.46.)
//
// Power. The wrong variant draws each step's Bartlett factor with D = d instead of d − k degrees of
// freedom (the SpanVariant hook of src/trial/span-sim.ts, which no config reaches). It matters
// most where d − k is small next to d, so the power config is the one with d just above r + 2m:
// d = 18, m = 8 (k = 9, D = 9 against 18). Here the wrong variant's p = 2.2e-29 (alignMax) and 2.7e-19
// (relMse). Over five pairs of disjoint seed sets (direct 10000i + 1..200, compact 10000i +
// 5001..5200) its alignMax p was 6.6e-27, 3.7e-23, 2.2e-27, 6.1e-26, 6.1e-26 (relMse 6.6e-17,
// 1.1e-19, 1.2e-11, 6.6e-17, 2.7e-13), while the right path gave 0.26..0.99 on the same sets. At
// the defaults (d = 200, m = 32, k = 33) it is rejected as well: alignMax p = 6.2e-31, relMse 5.4e-6
// on one set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLab } from '../src/index.js';
import { validateConfig } from '../src/trial/config.js';
import { CompactSim } from '../src/trial/compact.js';
import { gemmShape, stageWork, trialWork } from '../src/trial/cost.js';
import { costWidth } from '../src/experiment/design-search.js';
import type { TrialRecord } from '../src/core/types.js';
import { ksP } from './helpers/ks.js';
import {
  assertSameAcrossWorkers,
  assertWrongVariantRejected,
  simConfigError,
  untimed as strip,
} from './helpers/span-sim.js';

const LEVEL = 1e-5;
const SEEDS = 200;
const METRICS = ['alignMax', 'relMse'] as const;
type Path = 'direct' | 'subspace' | 'compact';
const SEED_BASE: Record<Path, number> = { direct: 0, compact: 1000, subspace: 2000 };

const CONFIGS = [
  { name: 'he2', c: { d: 64, alpha: 0.5, link: 'he2', m: 4, steps: 3, n: 3000 }, subspace: true },
  { name: 'he3', c: { d: 40, s: 4, link: 'he3', m: 6, steps: 3, n: 20000 }, subspace: true },
  {
    name: 'r=2 sum-he2, eta=4',
    c: { d: 96, s: 8, r: 2, link: 'sum-he2', m: 4, steps: 3, n: 3000, eta: 4 },
    subspace: true,
  },
  { name: 'd = r + 2m + 1', c: { d: 18, s: 4, link: 'he2', m: 8, steps: 3, n: 3000 }, subspace: false },
  // m = 32, T = 8: K = 289 > d, where the subspace path cannot run
  { name: 'defaults m=32 T=8', c: { d: 200, alpha: 0.5, link: 'he2', n: 12000 }, subspace: false },
];
const POWER_CONFIG = CONFIGS[3]!;

const trialInput = (c: object, seed: number, sim: Path) =>
  ({ ...c, method: 'none', batch: 'fresh', n3: 300, nTest: 300, seed, sim }) as const;
const seedsOf = (path: Path) => Array.from({ length: SEEDS }, (_, s) => SEED_BASE[path] + s + 1);
const directRuns = new Map<string, TrialRecord[]>();

test('compact against direct and subspace: KS over 200 seeds per path (alignMax, relMse)', async () => {
  const lab = await createLab();
  const run = (c: object, sim: Path) => seedsOf(sim).map((s) => lab.trial(trialInput(c, s, sim) as never));
  const ps: string[] = [];
  for (const { name, c, subspace } of CONFIGS) {
    const compact = run(c, 'compact'),
      direct = run(c, 'direct');
    directRuns.set(name, direct);
    assert.ok(
      compact.every((r) => r.config.sim === 'compact' && r.diverged === null),
      `${name}: compact ran`,
    );
    assert.ok(direct.every((r) => r.config.sim === 'direct'));
    const against: [string, TrialRecord[]][] = [['direct', direct]];
    if (subspace) against.push(['subspace', run(c, 'subspace')]);
    for (const [path, other] of against)
      for (const metric of METRICS) {
        const p = ksP(
          compact.map((r) => r.metrics[metric]!),
          other.map((r) => r.metrics[metric]!),
        );
        ps.push(`${name} vs ${path} ${metric}: ${p.toPrecision(2)}`);
        assert.ok(p > LEVEL, `${name}, compact vs ${path}, ${metric}: KS p = ${p}`);
      }
  }
  if (process.env.PRUNELAB_PRINT_KS) console.log(ps.join('\n'));
});

test('power: the same KS test rejects the wrong variant (D = d instead of d − k) at d just above r + 2m', async () => {
  const { name, c } = POWER_CONFIG;
  const direct = directRuns.get(name);
  assert.ok(direct, 'the agreement test ran first and kept the direct runs');
  const ps = await assertWrongVariantRejected({
    Sim: CompactSim,
    sim: 'compact',
    name,
    inputOf: (s) => trialInput(c, s, 'compact'),
    seeds: seedsOf('compact'),
    direct,
    metrics: METRICS,
    level: LEVEL,
  });
  if (process.env.PRUNELAB_PRINT_KS) console.log(`power ${name}: ${ps.join(', ')}`);
});

test('exact identities with the subspace path: T = 0 the same record, T = 1 the same weights', async () => {
  const lab = await createLab();
  for (const seed of [1, 2, 3]) {
    const c = { d: 300, alpha: 0.5, link: 'he2', method: 'none', batch: 'fresh', n: 4000, seed } as const;
    // no step: the same initial weights in the same r + m coordinates, so the same readout
    const zero = (sim: Path) => lab.trial({ ...c, steps: 0, sim });
    const a = zero('compact'),
      b = zero('subspace');
    assert.equal(a.metrics, b.metrics, `T = 0, seed ${seed}`);
    assert.equal({ ...a.config, sim: 'subspace' }, b.config);
    // one step: the same rows, gradient, Bartlett block and step; the rotation that follows leaves
    // V's coordinates alone, so the alignment is the same to the bit (the readout rows differ)
    const one = (sim: Path) => lab.trial({ ...c, steps: 1, sim });
    const p = one('compact'),
      q = one('subspace');
    assert.is(p.metrics.alignMax, q.metrics.alignMax, `T = 1, seed ${seed}`);
    assert.is(p.metrics.alignMedian, q.metrics.alignMedian);
    assert.is.not(p.metrics.relMse, q.metrics.relMse);
    // two steps: the paths part (the compact rows have r + m coordinates, the subspace rows r + 2m)
    const two = (sim: Path) => lab.trial({ ...c, steps: 2, sim });
    assert.is.not(two('compact').metrics.alignMax, two('subspace').metrics.alignMax);
  }
});

test('auto takes compact for none on fresh batches from d = 2(r + 2m), direct below; same seed, same bytes', async () => {
  const lab = await createLab();
  const c = { alpha: 0.25, link: 'he2', n: 40000, batch: 'fresh', method: 'none', seed: 3 } as const;
  const a = lab.trial({ ...c, d: 65536 }),
    b = lab.trial({ ...c, d: 65536 });
  assert.is(a.config.sim, 'compact');
  assert.is(strip(a), strip(b));
  assert.is(strip(lab.trial({ ...c, d: 65536, sim: 'compact' })), strip(a), 'auto records the path that ran');
  const sim = (o: object) => lab.trial({ ...c, n: 2000, ...o } as never).config.sim;
  assert.is(sim({ d: 130 }), 'compact', 'r = 1, m = 32: 2(r + 2m) = 130');
  assert.is(sim({ d: 129 }), 'direct');
  assert.is(sim({ d: 64, alpha: 0.5 }), 'direct', 'the d = 64 golden dense fresh record stays direct');
  assert.is(sim({ d: 18, m: 4 }), 'compact', 'm = 4: 2(r + 2m) = 18');
  assert.is(sim({ d: 17, m: 4 }), 'direct');
  assert.is(sim({ d: 20, m: 4, r: 2, link: 'sum-he2' }), 'compact', 'r = 2, m = 4: 2(r + 2m) = 20');
  assert.is(sim({ d: 19, m: 4, r: 2, link: 'sum-he2' }), 'direct');
  assert.is(sim({ d: 4096, batch: 'reuse' }), 'direct');
  assert.is(sim({ d: 4096, method: 'hermite-thr' }), 'direct');
  assert.is(sim({ d: 4096, sim: 'subspace' }), 'subspace', 'the subspace path stays selectable');
  assert.is(sim({ d: 4096, sim: 'direct' }), 'direct');
});

test('sim compact: ConfigErrors say why it does not apply', () => {
  const base = { d: 4096, alpha: 0.25, link: 'he2', n: 100000, batch: 'fresh', method: 'none', sim: 'compact' };
  const why = (c: object): string => simConfigError(c, 'compact');
  assert.match(why({ ...base, batch: 'reuse' }), 'fresh');
  assert.match(why({ ...base, method: 'hermite-thr' }), 'mask');
  assert.match(why({ ...base, d: 64, alpha: 0.5 }), 'r + 2m = 65');
  assert.match(why({ ...base, d: 9, s: 2, m: 4, r: 2, link: 'sum-he2' }), 'r + 2m = 10');
  validateConfig({ ...base, d: 65, alpha: 0.5 }); // d = r + 2m: the last d where it applies
});

test("cost: flat in d, a third of the subspace path's FLOPs and a fifth of its normals at the defaults; budgets use its width", () => {
  const c = (d: number, o: object = {}) =>
    validateConfig({ d, alpha: 0.25, link: 'he2', method: 'none', batch: 'fresh', n: 1 << 20, ...o });
  const at = trialWork(c(1024));
  assert.equal(trialWork(c(65536)), at, 'nothing scales with d');
  assert.is(at.model, 'compact');
  assert.equal(trialWork(c(4096)), at, 'auto resolves to the compact model');
  assert.equal(gemmShape(c(4096)), { k: 33, m: 32, span: true });
  assert.is(stageWork(c(4096)).mask.flops, 0);
  // k = r + m = 33, m = 32, T = 8, n2 = 2^20 (a multiple of T), n3 + nTest = 7000
  const n2 = 1 << 20;
  assert.is(at.normals, 32 + n2 * 34 + 7000 * 34, 'k = 33 normals per row and the label noise');
  assert.is(at.flops, n2 * (4 * 33 * 32 + 2 * 32 * 32) + 8 * 44 * 32 ** 3 + 2 * 7000 * 33 * 32);
  const sub = trialWork(c(4096, { sim: 'subspace' }));
  assert.ok(at.flops < sub.flops / 2.5 && at.normals < sub.normals / 4, `${at.flops} vs ${sub.flops}`);
  const width = (d: number, sim?: string) =>
    costWidth({ d, alpha: 0.25, link: 'he2', method: 'none', batch: 'fresh', ...(sim ? { sim } : {}) } as never);
  assert.ok(width(65536) > 40 && width(65536) < 60, `compact width ${width(65536)}`);
  assert.is(width(65536), width(1024));
  assert.ok(width(65536, 'subspace') > 3 * width(65536));
  assert.is(width(100), 100, 'below 2(r + 2m) auto runs direct: the width is d');
});

test('rank deficiency and divergence: tiny fresh batches keep their neurons, an overflowing step is recorded', async () => {
  const lab = await createLab();
  const c = { d: 4096, alpha: 0.25, link: 'he2', method: 'none', batch: 'fresh', sim: 'compact' } as const;
  // 2 rows per step for 32 neurons: the step's weights span at most a few dimensions outside V
  const tiny = lab.trial({ ...c, n: 16, seed: 1 });
  assert.is(tiny.diverged, null);
  assert.ok(tiny.metrics.alignMax! > 0 && tiny.metrics.alignMax! <= 1);
  const over = lab.trial({ ...c, n: 1024, eta: 1e300, seed: 1 });
  assert.is(over.diverged, 'first-layer');
  assert.is(over.metrics.relMse, null);
});

test('determinism: compact records are the same bytes with 1, 2 and 3 worker threads as in-process', async () => {
  await assertSameAcrossWorkers('compact', (seed) => ({ d: seed % 3 ? 4096 : 200, link: seed % 2 ? 'he2' : 'he3' }));
});

test.run();
