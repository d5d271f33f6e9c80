// gauss.fill: standard normals per second, the SIMD kernel against its scalar twin.
import { loadWasm } from '../src/wasm/index.js';
import { gaussFill } from '../src/kernels/gauss.js';
import { gaussFill as gaussFillTwin } from '../src/reference/gauss.js';
import { streamKey } from '../src/trial/streams.js';
import { keyToBigInt } from '../src/core/hash.js';
import { compare, type Suite } from './harness.js';

export const suite: Suite = {
  name: 'gauss',
  async run(ctx) {
    const w = await loadWasm();
    const key = streamKey(1, 'sample');
    const n = 10_000_000,
      nTwin = 200_000; // the twin's rate does not depend on n; a smaller call keeps it short
    const out = w.allocF32(n);
    const big = keyToBigInt(key);
    const [ours, twin] = await ctx.measureInterleaved(
      [
        { name: 'gauss.fill wasm (1e7)', fn: () => gaussFill(w, key, n, out) },
        {
          name: 'gauss.fill twin (2e5)',
          fn: () => {
            gaussFillTwin(big, nTwin);
          },
        },
      ],
      { rounds: 7 },
    );
    return [
      compare(
        'gauss.fill',
        'M normals/s',
        n / ours.medianMs / 1e3,
        { name: 'scalar twin', value: nTwin / twin.medianMs / 1e3 },
        { goal: 5, note: `kernel at 1e7 normals per call, twin at ${nTwin.toExponential(0)}` },
      ),
    ];
  },
};
