// gauss.fill: standard normals per second, the SIMD kernel against its scalar twin.
// gauss.cols-blocks: the rows of a dense trial as stages 2 and 3 regenerate them, 256-row blocks
// of 4096 columns at the padded stride, starting inside the generator's 1024-row chunks, against
// the twin on the same blocks. A block at offset lo skips the chunk's first lo rows as raw xoshiro
// steps; generating them would cost 2.5x the normals on average.
import { loadWasm } from '../src/wasm/index.js';
import { gaussFill, gaussFillCols } from '../src/kernels/gauss.js';
import { gaussFill as gaussFillTwin, gaussFillCols as gaussFillColsTwin } from '../src/reference/gauss.js';
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
    const k = 4096,
      ld = 4112,
      B = 256,
      kTwin = 64;
    const X = w.allocF32(B * ld);
    const twinOut = new Float32Array(B * kTwin);
    const twinCoords = Uint32Array.from({ length: kTwin }, (_, j) => j);
    let block = 0,
      twinBlock = 0;
    const [cols, colsTwin] = await ctx.measureInterleaved(
      [
        {
          name: 'gauss.cols-blocks wasm (256 x 4096)',
          fn: () => gaussFillCols(w, key, B * (block++ % 64), B, { base: 0, n: k }, X, ld),
        },
        {
          name: 'gauss.cols-blocks twin (256 x 64)',
          fn: () => gaussFillColsTwin(big, B * (twinBlock++ % 64), B, twinCoords, twinOut, kTwin),
        },
      ],
      { rounds: 7 },
    );
    return [
      compare(
        'gauss.cols-blocks',
        'M normals/s',
        (B * k) / cols.medianMs / 1e3,
        { name: 'scalar twin', value: (B * kTwin) / colsTwin.medianMs / 1e3 },
        {
          note: 'blocks cycle through the 4 offsets of a 1024-row chunk; the twin (64 columns) is the plain definition, which generates each chunk from its first row',
        },
      ),
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
