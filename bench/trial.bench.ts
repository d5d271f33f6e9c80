// Wall time of whole trials (lab.trial, stages 1-3) for the two shapes issue 6 names. A trial has
// no peer to race, so the single-thread entries' baseline is the time budget (ratio = budget /
// time, > 1: met). The `.threads` entries time the same trial on 2 threads (src/node/threads.ts)
// against 1 thread, in alternating rounds in this process: value = ms on 2 threads, ratio = speed-up.
// `trial.dense.partial_keep` times a dense trial whose rows exceed the memory budget: half of them
// kept and the other half regenerated at every step, against all of them regenerated (what any
// budget below the rows' size gave before a partial keep, and what 1 MiB still gives here).
import { createLab } from '../src/index.js';
import { createThreadedLab } from '../src/node/threads.js';
import { budget, compare, type BenchEntry, type Suite } from './harness.js';

const TRIALS = [
  {
    name: 'trial.dense',
    budgetMs: 2000,
    config: { d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 16384, seed: 1 },
  },
  {
    name: 'trial.pruned',
    budgetMs: 1900,
    config: { d: 16384, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 46341, seed: 1 },
  },
] as const;

export const suite: Suite = {
  name: 'trial',
  async run(ctx) {
    const lab = await createLab();
    const threaded = await createThreadedLab({ threads: 2 });
    const results: BenchEntry[] = [];
    try {
      for (const t of TRIALS) {
        let timings = '';
        const what = `d=${t.config.d} ${t.config.method} n=${t.config.n}`;
        const [one, two] = await ctx.measureInterleaved(
          [
            {
              name: `${t.name} ${what}`,
              warmup: 1,
              fn: () => {
                const r = lab.trial(t.config);
                timings = `mask ${r.timings.maskMs.toFixed(0)} + first layer ${r.timings.firstLayerMs.toFixed(0)} + readout ${r.timings.readoutMs.toFixed(0)} ms`;
              },
            },
            {
              name: `${t.name} ${what} on ${threaded.threads} threads`,
              warmup: 1,
              fn: () => {
                threaded.trial(t.config);
              },
            },
          ],
          { rounds: 5, time: 0, iterations: 1 },
        );
        results.push(
          budget(t.name, one.medianMs, t.budgetMs, `${what}; last run: ${timings}; min ${one.minMs.toFixed(0)} ms`),
        );
        results.push({
          ...compare(`${t.name}.threads`, 'ms', two.medianMs, { name: '1 thread', value: one.medianMs }),
          ratio: one.medianMs / two.medianMs,
          goal: 1.8,
          note: `${what} on ${threaded.threads} threads (speed-up over 1 thread); min ${two.minMs.toFixed(0)} ms`,
        });
      }
      const c = { d: 1024, alpha: 0.25, link: 'he2', method: 'none', n: 16384, seed: 1 } as const;
      const what = `d=${c.d} ${c.method} n=${c.n}, rows ${(c.n * c.d * 4) / 2 ** 20} MiB`;
      const [half, none] = await ctx.measureInterleaved(
        [
          { name: `${what}, budget 32 MiB`, warmup: 1, fn: () => void lab.trial({ ...c, memoryBudget: 32 * 2 ** 20 }) },
          { name: `${what}, budget 1 MiB`, warmup: 1, fn: () => void lab.trial({ ...c, memoryBudget: 2 ** 20 }) },
        ],
        { rounds: 5, time: 0, iterations: 1 },
      );
      results.push({
        ...compare('trial.dense.partial_keep', 'ms', half.medianMs, {
          name: 'all rows regenerated',
          value: none.medianMs,
        }),
        ratio: none.medianMs / half.medianMs,
        note: `${what}: 8192 rows kept (32 MiB budget) against none kept (1 MiB); min ${half.minMs.toFixed(0)} ms`,
      });
    } finally {
      await threaded.close();
    }
    return results;
  },
};
