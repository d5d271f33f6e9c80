import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as ref from '../src/reference/mask.js';
import * as k from '../src/kernels/mask.js';
import { gaussFillCols } from '../src/kernels/gauss.js';
import { streamKey } from '../src/trial/streams.js';
import { approxEqual } from './helpers/approx.js';
import { wasm } from './helpers/wasm.js';

async function scores(n: number, seed: number, ties = false): Promise<Float64Array> {
  const w = await wasm();
  return w.scoped(() => {
    const p = w.allocF32(n);
    gaussFillCols(w, streamKey(seed, 'mask'), 0, 1, { base: 0, n }, p, n);
    return Float64Array.from(w.copyF32(p, n), (x) => (ties ? Math.round(x * 2) : x * x));
  });
}

test('top-k matches the twin on odd and round sizes, with ties to the lower index', async () => {
  const w = await wasm();
  for (const d of [1, 3, 7, 33, 256, 1001]) {
    for (const kk of [0, 1, Math.min(3, d), Math.floor(d / 2), d]) {
      for (const ties of [false, true]) {
        const s = await scores(d, d + kk, ties);
        assert.equal(Array.from(k.topk(w, s, kk)), Array.from(ref.topk(s, kk)), `d=${d} k=${kk} ties=${ties}`);
      }
    }
  }
  assert.throws(() => k.topk(w, new Float64Array(3), 4), /k must be an integer in \[0, 3\]/);
});

test('threshold keeps exactly the scores above it', async () => {
  const w = await wasm();
  const s = await scores(513, 4);
  for (const thr of [0, 0.5, 3, 100])
    assert.equal(Array.from(k.threshold(w, s, thr)), Array.from(ref.threshold(s, thr)));
});

test('hermite scores and the threshold match the twin', async () => {
  const w = await wasm();
  const K = 4,
    d = 37,
    n1 = 1000;
  const S = Float64Array.from({ length: K * d }, (_, i) => ((i * 7919) % 101) - 50);
  const got = w.scoped(() => k.hermiteMaskScores(w, w.put(S), K, d, n1));
  const want = ref.hermiteMaskScores(S, K, d, n1);
  assert.equal(Array.from(got), Array.from(want));
  // c^2 E[y^2] log d / n1 with the host log as the oracle
  approxEqual(
    k.hermiteThreshold2(w, 2, 1.01, 4096, 2048),
    (4 * 1.01 * Math.log(4096)) / 2048,
    { rel: 1e-15 },
    'threshold',
  );
});

test('compaction gathers exactly the masked columns', async () => {
  const w = await wasm();
  w.scoped(() => {
    const n = 9,
      ldx = 20;
    const X = Float32Array.from({ length: n * ldx }, (_, i) => i * 0.5);
    const idx = Int32Array.from([0, 3, 4, 19]);
    const out = k.compactCols(w, w.put(X), n, ldx, idx);
    assert.equal(Array.from(w.copyF32(out, n * idx.length)), Array.from(ref.compactCols(X, n, ldx, idx)));
    assert.throws(() => k.compactCols(w, 0, 1, 5, Int32Array.from([3, 2])), /sorted, distinct/);
  });
});

test.run();
