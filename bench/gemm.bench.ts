// GFLOP/s of Z = X·Wᵀ and G = Dᵀ·X at n = 4096, d = k = 1024, m ∈ {256, 32}, against
// @tensorflow/tfjs-backend-wasm's matMul on the same products, timed the same way (bench/tfjs.ts
// says which variant loads and why the operands are handed over pre-transposed). The scalar twin
// is timed too, on 64 rows, and its ratio goes in the note. Ours and tfjs are measured in
// alternating rounds (BenchContext.measureInterleaved), so both see the same machine load.
import { loadWasm } from '../src/wasm/index.js';
import { gemmGtx, gemmXwt } from '../src/kernels/gemm.js';
import * as twin from '../src/reference/gemm.js';
import { gaussFill } from '../src/kernels/gauss.js';
import { streamKey } from '../src/trial/streams.js';
import { compare, fmt, type BenchEntry, type Suite } from './harness.js';
import { loadTfjsWasm, transpose } from './tfjs.js';

export const suite: Suite = {
  name: 'gemm',
  async run(ctx) {
    const w = await loadWasm();
    const tf = await loadTfjsWasm();
    const n = 4096,
      k = 1024,
      nTwin = 64; // the twin runs on 64 rows: its rate does not depend on n
    const results: BenchEntry[] = [];
    const X = w.allocF32(n * k),
      W = w.allocF32(256 * k),
      D = w.allocF32(n * 256),
      Z = w.allocF32(n * 256),
      G = w.allocF32(256 * k);
    gaussFill(w, streamKey(3, 'sample'), n * k, X);
    gaussFill(w, streamKey(4, 'sample'), 256 * k, W);
    gaussFill(w, streamKey(5, 'sample'), n * 256, D);
    const Xh = w.copyF32(X, n * k);
    for (const m of [256, 32]) {
      const suffix = m === 256 ? '' : `.m${m}`;
      const flops = 2 * n * k * m,
        flopsTwin = 2 * nTwin * k * m;
      const Wh = w.copyF32(W, m * k),
        Dh = w.copyF32(D, n * m);
      const Xt = Xh.subarray(0, nTwin * k),
        Dt = Dh.subarray(0, nTwin * m);
      const Zt = new Float32Array(nTwin * m),
        Gt = new Float32Array(m * k);
      const shape = `n=${n} k=${k} m=${m}`;

      const tfXwt = tf.product(Xh, n, k, transpose(Wh, m, k), m);
      const [xwt, peerXwt] = await ctx.measureInterleaved(
        [
          { name: `xwt m=${m}`, fn: () => gemmXwt(w, X, n, k, k, W, m, k, Z, m) },
          { name: `xwt tfjs m=${m}`, fn: tfXwt.run },
        ],
        { rounds: 7 },
      );
      tfXwt.dispose();
      const xwtTwin = await ctx.measure(`xwt twin m=${m}`, () => twin.gemmXwt(Xt, nTwin, k, k, Wh, m, k, Zt, m), {
        iterations: 3,
        warmup: 1,
      });
      const twinXwt = flopsTwin / xwtTwin.medianMs / 1e6;
      results.push(
        compare(
          `gemm.xwt${suffix}`,
          'GFLOP/s',
          flops / xwt.medianMs / 1e6,
          { name: tf.variant, value: flops / peerXwt.medianMs / 1e6 },
          {
            goal: 1.3,
            note: `${shape}; tfjs matMul(X, Wᵀ); scalar twin ${fmt(twinXwt)} GFLOP/s (${fmt(flops / xwt.medianMs / 1e6 / twinXwt)}×)`,
          },
        ),
      );

      const tfGtx = tf.product(transpose(Dh, n, m), m, n, Xh, k);
      const [gtx, peerGtx] = await ctx.measureInterleaved(
        [
          { name: `gtx m=${m}`, fn: () => gemmGtx(w, D, n, m, m, X, k, k, G, k, false) },
          { name: `gtx tfjs m=${m}`, fn: tfGtx.run },
        ],
        { rounds: 7 },
      );
      tfGtx.dispose();
      const gtxTwin = await ctx.measure(
        `gtx twin m=${m}`,
        () => twin.gemmGtx(Dt, nTwin, m, m, Xt, k, k, Gt, k, false),
        { iterations: 3, warmup: 1 },
      );
      const twinGtx = flopsTwin / gtxTwin.medianMs / 1e6;
      results.push(
        compare(
          `gemm.gtx${suffix}`,
          'GFLOP/s',
          flops / gtx.medianMs / 1e6,
          { name: tf.variant, value: flops / peerGtx.medianMs / 1e6 },
          {
            goal: 1.3,
            note: `${shape}; tfjs matMul(Dᵀ, X); scalar twin ${fmt(twinGtx)} GFLOP/s (${fmt(flops / gtx.medianMs / 1e6 / twinGtx)}×)`,
          },
        ),
      );
    }
    return results;
  },
};
