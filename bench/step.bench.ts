// One full GD step of stage 2 (gradient over all n rows in 1024-row chunks, then the spherical
// step with η = ∞) for a pruned net (k = |M| = 8 compacted columns) against the dense net
// (k = d = 4096), n = 4096 rows, m = 32. Data is generated beforehand: this times the learner only.
// Rows are laid out as the pipeline lays them out (src/trial/layout.ts paddedStride: 4112 floats at d = 4096).
// `step.dense_block.k*` times the dense step with the fused gradient's default row block (256 KiB of
// X) against the 1 MiB block it used before, at k = 4096 and 1024, in alternating rounds (the
// block changes no bit).
import { loadWasm, type Wasm } from '../src/wasm/index.js';
import { gaussFill } from '../src/kernels/gauss.js';
import { CHUNK_ROWS, netGrad, netGradScratchBytes, netGradSetBlock, netStep } from '../src/kernels/net.js';
import { streamKey } from '../src/trial/streams.js';
import { paddedStride } from '../src/trial/layout.js';
import { compare, type BenchEntry, type Suite } from './harness.js';

function stepper(w: Wasm, n: number, k: number, m: number): () => void {
  const ld = paddedStride(k);
  const X = w.allocF32(n * ld),
    y = w.allocF32(n),
    W = w.allocF32(m * k),
    b = w.allocF32(m),
    a = w.allocF32(m);
  gaussFill(w, streamKey(k, 'stage2'), n * ld, X);
  gaussFill(w, streamKey(k, 'test'), n, y);
  gaussFill(w, streamKey(k, 'init'), m * k, W);
  gaussFill(w, streamKey(k, 'readout'), m, b);
  w.f32.fill(1, a >>> 2, (a >>> 2) + m);
  const G = w.allocF64(m * k),
    scratch = w.alloc(netGradScratchBytes(w, k, m));
  return () => {
    w.f64.fill(0, G >>> 3, (G >>> 3) + m * k);
    for (let t0 = 0; t0 < n; t0 += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - t0);
      netGrad(w, { X: X + t0 * ld * 4, rows, k, ldx: ld, y: y + t0 * 4, W, m, b, a, N: n, G, scratch });
    }
    netStep(w, { W, m, k, G, a, eta: Infinity });
  };
}

export const suite: Suite = {
  name: 'step',
  async run(ctx) {
    const w = await loadWasm();
    const n = 4096,
      m = 32,
      d = 4096,
      s = 8;
    const [pruned, dense] = await ctx.measureInterleaved(
      [
        { name: `step pruned k=${s}`, fn: stepper(w, n, s, m) },
        { name: `step dense k=${d}`, fn: stepper(w, n, d, m) },
      ],
      { rounds: 7, time: 300 },
    );
    const flops = 4 * n * d * m; // two products per step
    const results: BenchEntry[] = [
      compare('step.pruned_vs_dense', '×', dense.medianMs / pruned.medianMs, null, {
        goal: 50,
        note: `n=${n} m=${m}: pruned (k=${s}) ${pruned.medianMs.toPrecision(3)} ms/step, dense (k=${d}) ${dense.medianMs.toPrecision(3)} ms/step = ${(flops / dense.medianMs / 1e6).toFixed(1)} GFLOP/s`,
      }),
    ];
    for (const k of [4096, 1024]) {
      const rows = (16 << 20) / k; // 64 MiB of X: from memory, as in a trial
      const step = stepper(w, rows, k, m);
      // CPU time per call too: on a shared machine wall time also counts the time others had the core
      const cpuMs: [number[], number[]] = [[], []];
      const withBlock = (floats: number, slot: 0 | 1) => () => {
        const before = netGradSetBlock(w, floats);
        const c = process.cpuUsage();
        step();
        const u = process.cpuUsage(c);
        cpuMs[slot].push((u.user + u.system) / 1e3);
        netGradSetBlock(w, before);
      };
      const [now, before] = await ctx.measureInterleaved(
        [
          { name: `dense step k=${k}, 256 KiB blocks`, fn: withBlock(0, 0) },
          { name: `dense step k=${k}, 1 MiB blocks`, fn: withBlock(1 << 18, 1) },
        ],
        { rounds: 7, time: 300 },
      );
      const f = 4 * rows * k * m;
      const byCpu = cpuMs.map((v) => f / median(v) / 1e6);
      results.push(
        compare(
          `step.dense_block.k${k}`,
          'GFLOP/s',
          f / now.medianMs / 1e6,
          {
            name: '1 MiB blocks',
            value: f / before.medianMs / 1e6,
          },
          {
            note: `n=${rows} m=${m}, X row stride ${paddedStride(k)}; by CPU time ${byCpu[0]!.toFixed(1)} against ${byCpu[1]!.toFixed(1)} GFLOP/s (${(byCpu[0]! / byCpu[1]!).toFixed(3)}×)`,
          },
        ),
      );
    }
    return results;
  },
};

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
