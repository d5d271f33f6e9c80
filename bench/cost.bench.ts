// cost.*: how close the up-front estimate (src/trial/cost.ts, the one `--max-hours` refuses by) is
// to the time a trial then takes, on the row paths a large trial can take: rows kept in memory,
// rows regenerated block by block (a memory budget below the rows' size), fresh batches, a pruned
// trial whose stage 1 streams Hermite sums, and the compact simulation of the dense fresh learner.
// value = measured seconds (median of 3), baseline = the estimate from rates measured in this
// process just before; ratio = estimate / measured, so below 1 means the estimate is optimistic and
// a trial may start that should not.
import { createLab } from '../src/index.js';
import { validateConfig } from '../src/trial/config.js';
import { estimateSeconds, gemmShape, measureRates, trialWork } from '../src/trial/cost.js';
import type { BenchEntry, Suite } from './harness.js';

const BASE = { d: 16384, alpha: 0.25, link: 'he2', seed: 1, sim: 'direct' } as const;
const CASES = [
  { name: 'cost.dense-kept', config: { ...BASE, method: 'none', n: 4096 } },
  { name: 'cost.dense-regenerated', config: { ...BASE, method: 'none', n: 4096, memoryBudget: 1 << 20 } },
  { name: 'cost.dense-fresh', config: { ...BASE, method: 'none', n: 16384, batch: 'fresh' } },
  { name: 'cost.pruned-hermite', config: { ...BASE, method: 'hermite-thr', n: 65536 } },
  // the compact path (DESIGN §2.2c): its GEMMs are k = r + m = 33 wide, so the rows' generation and
  // the Gram matrix of the coefficients weigh more than on the other paths
  { name: 'cost.dense-compact', config: { ...BASE, method: 'none', n: 1 << 20, batch: 'fresh', sim: 'compact' } },
] as const;

export const suite: Suite = {
  name: 'cost',
  async run(ctx) {
    const lab = await createLab();
    const out: BenchEntry[] = [];
    for (const t of CASES) {
      const c = validateConfig(t.config);
      const estimate = estimateSeconds(trialWork(c), measureRates(lab.wasm, gemmShape(c)));
      const m = await ctx.measureInterleaved([{ name: t.name, warmup: 1, fn: () => void lab.trial(t.config) }], {
        rounds: 3,
        time: 0,
        iterations: 1,
      });
      const secs = m[0].medianMs / 1000;
      out.push({
        name: t.name,
        unit: 's',
        value: secs,
        baseline: { name: 'estimate', value: estimate },
        ratio: estimate / secs,
        note: `${t.config.method} n=${t.config.n}${'batch' in t.config ? ' fresh' : ''}${'memoryBudget' in t.config ? ' budget 1 MiB' : ''}, sim ${c.sim === 'auto' ? t.config.sim : c.sim}`,
      });
    }
    return out;
  },
};
