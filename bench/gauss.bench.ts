// gauss.fill: standard normals per second, the SIMD kernel against its scalar twin.
import { loadWasm } from '../src/wasm/index.js';
import { gaussFill } from '../src/kernels/gauss.js';
import { gaussFill as gaussFillTwin } from '../src/reference/gauss.js';
import { keyToBigInt, streamKey } from '../src/streams.js';
import { compare, type Suite } from './harness.js';

export const suite: Suite = {
  name: 'gauss',
  async run(ctx) {
    const w = await loadWasm();
    const key = streamKey(1, 'sample');
    const n = 10_000_000, nTwin = 200_000; // the twin's rate does not depend on n; a smaller call keeps it short
    const out = w.allocF32(n);
    const ours = await ctx.measure('gauss.fill wasm (1e7)', () => gaussFill(w, key, n, out), { iterations: 10 });
    const big = keyToBigInt(key);
    const twin = await ctx.measure('gauss.fill twin (2e5)', () => { gaussFillTwin(big, nTwin); }, { iterations: 5 });
    return [compare('gauss.fill', 'M normals/s', n / ours.medianMs / 1e3, { name: 'scalar twin', value: nTwin / twin.medianMs / 1e3 },
      { goal: 5, note: `kernel at 1e7 normals per call, twin at ${nTwin.toExponential(0)}` })];
  },
};
