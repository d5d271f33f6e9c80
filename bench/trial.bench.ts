// Wall time of whole trials (lab.trial, stages 1-3) for the two shapes issue 6 names. A trial has
// no peer to race, so the baseline is the time budget; the ratio is budget / time (> 1: met).
import { createLab } from '../src/index.js';
import { budget, type BenchEntry, type Suite } from './harness.js';

const TRIALS = [
  { name: 'trial.dense', budgetMs: 2000, config: { d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 16384, seed: 1 } },
  { name: 'trial.pruned', budgetMs: 1900, config: { d: 16384, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 46341, seed: 1 } },
] as const;

export const suite: Suite = {
  name: 'trial',
  async run(ctx) {
    const lab = await createLab();
    const results: BenchEntry[] = [];
    for (const t of TRIALS) {
      let timings = '';
      const m = await ctx.measure(`${t.name} d=${t.config.d} ${t.config.method} n=${t.config.n}`, () => {
        const r = lab.trial(t.config);
        timings = `mask ${r.timings.maskMs.toFixed(0)} + first layer ${r.timings.firstLayerMs.toFixed(0)} + readout ${r.timings.readoutMs.toFixed(0)} ms`;
      }, { iterations: 7, warmup: 1, time: 100 });
      results.push(budget(t.name, m.medianMs, t.budgetMs,
        `d=${t.config.d} ${t.config.method} n=${t.config.n}; last run: ${timings}; min ${m.minMs.toFixed(0)} ms`));
    }
    return results;
  },
};
