// hermite.score: coordinate-samples per second of the stage-1 stream (K = 4, sampling fused),
// against its scalar twin; and the same rate over the gaussian fill's (DESIGN §5: the stream is
// RNG-bound, so it should keep at least half the fill's rate per coordinate).
import { loadWasm } from '../src/wasm/index.js';
import { gaussFill } from '../src/kernels/gauss.js';
import { hermiteScoreStream } from '../src/kernels/hermite.js';
import { hermiteScoreStream as hermiteTwin } from '../src/reference/hermite.js';
import { streamKey } from '../src/trial/streams.js';
import { keyToBigInt } from '../src/core/hash.js';
import { compare, type Suite } from './harness.js';

export const suite: Suite = {
  name: 'hermite',
  async run(ctx) {
    const w = await loadWasm();
    const K = 4,
      d = 4096,
      rows = 4096; // 16.8 M coordinate-samples per call, four 1024-row chunks
    const key = streamKey(1, 'stage1');
    const y = w.allocF32(rows),
      S = w.allocF64(K * d);
    gaussFill(w, streamKey(2, 'stage1'), rows, y);
    const dTwin = 16,
      yh = w.copyF32(y, rows),
      Sh = new Float64Array(K * dTwin),
      coords = Array.from({ length: dTwin }, (_, i) => i);
    const n = 10_000_000,
      out = w.allocF32(n);
    const [ours, twin, fill] = await ctx.measureInterleaved(
      [
        {
          name: `hermite stream d=${d} rows=${rows}`,
          fn: () => hermiteScoreStream(w, key, 0, rows, { base: 0, n: d }, y, K, S),
        },
        {
          name: `hermite twin d=${dTwin} rows=${rows}`,
          fn: () => hermiteTwin(keyToBigInt(key), 0, rows, coords, yh, K, Sh),
          warmup: 1,
        },
        { name: 'gauss.fill (1e7), for the ratio', fn: () => gaussFill(w, streamKey(1, 'sample'), n, out) },
      ],
      { rounds: 7 },
    );
    const rate = (d * rows) / ours.medianMs / 1e3;
    const twinRate = (dTwin * rows) / twin.medianMs / 1e3;
    const fillRate = n / fill.medianMs / 1e3;
    return [
      compare(
        'hermite.score',
        'M coord-samples/s',
        rate,
        { name: 'scalar twin', value: twinRate },
        { note: `K=${K}, ${d} coordinates x ${rows} rows per call; twin on ${dTwin} coordinates` },
      ),
      compare(
        'hermite.score_per_gauss',
        'M/s',
        rate,
        { name: 'gauss.fill (same process)', value: fillRate },
        { goal: 0.5, note: 'the stream per coordinate over the gaussian fill per normal' },
      ),
    ];
  },
};
