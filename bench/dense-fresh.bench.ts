// The dense learner on fresh batches simulated in the span (DESIGN §2.2b, §5): its cost must be flat
// in d. `trial.dense_fresh` times the subspace trial at d = 65536 against the same trial at d = 1024
// (equal n; ratio = time at 1024 / time at 65536, so the §5 goal "within 1.5×" is ratio ≥ 1/1.5).
// `trial.dense_fresh.vs_direct` times it at d = 4096 against the same trial simulated directly
// (equal n; ratio = the speed-up). The compact path (DESIGN §2.2c, §5): `trial.dense_compact` times it
// against the subspace path at equal n and d (ratio = the speed-up, goal >= 3), and
// `trial.dense_compact.flat` at d = 65536 against d = 1024 (ratio = t(1024)/t(65536), goal within 1.5x).
// Each pair runs in alternating rounds in this process.
import { createLab } from '../src/index.js';
import { compare, type BenchEntry, type Suite } from './harness.js';

const BASE = { alpha: 0.25, link: 'he2', method: 'none', batch: 'fresh', seed: 1 } as const;
const FLAT_N = 131072; // 2^17: about 180·d at d = 1024, the dense fresh learner's n* scale there
const VS_N = 32768; // 2^15: the direct path at d = 4096 costs seconds per trial
const COMPACT_N = 1048576; // 2^20: large enough that the per-step m^3 work (square root, basis) is a few percent

export const suite: Suite = {
  name: 'dense_fresh',
  async run(ctx) {
    const lab = await createLab();
    const results: BenchEntry[] = [];
    const timed = (config: object) => {
      let last = '';
      return {
        fn: () => {
          const r = lab.trial(config as never);
          if (r.config.sim !== (config as { sim: string }).sim) throw new Error(`ran ${r.config.sim}`);
          last = `first layer ${r.timings.firstLayerMs.toFixed(0)} + readout ${r.timings.readoutMs.toFixed(0)} ms`;
        },
        last: () => last,
      };
    };

    const small = timed({ ...BASE, d: 1024, n: FLAT_N, sim: 'subspace' }),
      large = timed({ ...BASE, d: 65536, n: FLAT_N, sim: 'subspace' });
    const [s, l] = await ctx.measureInterleaved(
      [
        { name: `subspace d=1024 n=${FLAT_N}`, warmup: 1, fn: small.fn },
        { name: `subspace d=65536 n=${FLAT_N}`, warmup: 1, fn: large.fn },
      ],
      { rounds: 5, time: 0, iterations: 3 },
    );
    results.push({
      ...compare('trial.dense_fresh', 'ms', l.medianMs, { name: 'the same at d=1024', value: s.medianMs }),
      ratio: s.medianMs / l.medianMs,
      goal: 0.67, // 1/1.5 rounded up
      note: `subspace, m=32 T=8, n=${FLAT_N}, d=65536 against d=1024 (ratio = t(1024)/t(65536); goal: within 1.5×); last d=65536 run: ${large.last()}; min ${l.minMs.toFixed(0)} vs ${s.minMs.toFixed(0)} ms`,
    });

    const sub = timed({ ...BASE, d: 4096, n: VS_N, sim: 'subspace' }),
      dir = timed({ ...BASE, d: 4096, n: VS_N, sim: 'direct' });
    const [a, b] = await ctx.measureInterleaved(
      [
        { name: `subspace d=4096 n=${VS_N}`, warmup: 1, fn: sub.fn },
        { name: `direct d=4096 n=${VS_N}`, warmup: 1, fn: dir.fn },
      ],
      { rounds: 3, time: 0, iterations: 1 },
    );
    results.push({
      ...compare('trial.dense_fresh.vs_direct', 'ms', a.medianMs, { name: 'direct path', value: b.medianMs }),
      ratio: b.medianMs / a.medianMs,
      note: `d=4096 n=${VS_N} m=32 T=8, subspace against direct (ratio = speed-up); last direct run: ${dir.last()}; min ${a.minMs.toFixed(0)} vs ${b.minMs.toFixed(0)} ms`,
    });

    const cmp = timed({ ...BASE, d: 4096, n: COMPACT_N, sim: 'compact' }),
      sp = timed({ ...BASE, d: 4096, n: COMPACT_N, sim: 'subspace' });
    const [c, q] = await ctx.measureInterleaved(
      [
        { name: `compact d=4096 n=${COMPACT_N}`, warmup: 1, fn: cmp.fn },
        { name: `subspace d=4096 n=${COMPACT_N}`, warmup: 1, fn: sp.fn },
      ],
      { rounds: 3, time: 0, iterations: 1 },
    );
    results.push({
      ...compare('trial.dense_compact', 'ms', c.medianMs, { name: 'subspace path', value: q.medianMs }),
      ratio: q.medianMs / c.medianMs,
      goal: 3,
      note: `d=4096 n=${COMPACT_N} m=32 T=8, compact against subspace (ratio = speed-up); last compact run: ${cmp.last()}, subspace: ${sp.last()}; min ${c.minMs.toFixed(0)} vs ${q.minMs.toFixed(0)} ms`,
    });

    const cs = timed({ ...BASE, d: 1024, n: FLAT_N, sim: 'compact' }),
      cl = timed({ ...BASE, d: 65536, n: FLAT_N, sim: 'compact' });
    const [x, z] = await ctx.measureInterleaved(
      [
        { name: `compact d=1024 n=${FLAT_N}`, warmup: 1, fn: cs.fn },
        { name: `compact d=65536 n=${FLAT_N}`, warmup: 1, fn: cl.fn },
      ],
      { rounds: 5, time: 0, iterations: 3 },
    );
    results.push({
      ...compare('trial.dense_compact.flat', 'ms', z.medianMs, { name: 'the same at d=1024', value: x.medianMs }),
      ratio: x.medianMs / z.medianMs,
      goal: 0.67,
      note: `compact, m=32 T=8, n=${FLAT_N}, d=65536 against d=1024 (ratio = t(1024)/t(65536)); last d=65536 run: ${cl.last()}; min ${z.minMs.toFixed(0)} vs ${x.minMs.toFixed(0)} ms`,
    });
    return results;
  },
};
