// GFLOP/s of Z = X·Wᵀ and G = Dᵀ·X at n = 4096, d = k = 1024, m ∈ {256, 32}, against the scalar twin.
import { loadWasm } from '../src/wasm/index.js';
import { gemmGtx, gemmXwt } from '../src/kernels/gemm.js';
import * as twin from '../src/reference/gemm.js';
import { gaussFill } from '../src/kernels/gauss.js';
import { streamKey } from '../src/streams.js';
import { compare, type BenchEntry, type Suite } from './harness.js';

export const suite: Suite = {
  name: 'gemm',
  async run(ctx) {
    const w = await loadWasm();
    const n = 4096, k = 1024, nTwin = 64; // the twin runs on 64 rows: its rate does not depend on n
    const results: BenchEntry[] = [];
    const key = streamKey(3, 'sample');
    const X = w.allocF32(n * k), W = w.allocF32(256 * k), D = w.allocF32(n * 256), Z = w.allocF32(n * 256), G = w.allocF32(256 * k);
    gaussFill(w, key, n * k, X); gaussFill(w, streamKey(4, 'sample'), 256 * k, W); gaussFill(w, streamKey(5, 'sample'), n * 256, D);
    for (const m of [256, 32]) {
      const suffix = m === 256 ? '' : `.m${m}`;
      const flops = 2 * n * k * m, flopsTwin = 2 * nTwin * k * m;
      const Xt = w.copyF32(X, nTwin * k), Wt = w.copyF32(W, m * k), Dt = w.copyF32(D, nTwin * m);
      const Zt = new Float32Array(nTwin * m), Gt = new Float32Array(m * k);
      const xwt = await ctx.measure(`xwt m=${m}`, () => gemmXwt(w, X, n, k, k, W, m, k, Z, m), { iterations: 15 });
      const xwtTwin = await ctx.measure(`xwt twin m=${m}`, () => twin.gemmXwt(Xt, nTwin, k, k, Wt, m, k, Zt, m), { iterations: 3, warmup: 1 });
      results.push(compare(`gemm.xwt${suffix}`, 'GFLOP/s', flops / xwt.medianMs / 1e6, { name: 'scalar twin', value: flopsTwin / xwtTwin.medianMs / 1e6 },
        { goal: 30, note: `n=${n} k=${k} m=${m}; twin on ${nTwin} rows` }));
      const gtx = await ctx.measure(`gtx m=${m}`, () => gemmGtx(w, D, n, m, m, X, k, k, G, k, false), { iterations: 15 });
      const gtxTwin = await ctx.measure(`gtx twin m=${m}`, () => twin.gemmGtx(Dt, nTwin, m, m, Xt, k, k, Gt, k, false), { iterations: 3, warmup: 1 });
      results.push(compare(`gemm.gtx${suffix}`, 'GFLOP/s', flops / gtx.medianMs / 1e6, { name: 'scalar twin', value: flopsTwin / gtxTwin.medianMs / 1e6 },
        { goal: 30, note: `n=${n} k=${k} m=${m}; twin on ${nTwin} rows` }));
    }
    return results;
  },
};
