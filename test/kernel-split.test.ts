// The kernel wrappers that split a call over helper threads (gaussFillCols, hermiteScoreStream,
// netGradient) must leave the bytes of the unsplit call, for any helper count, odd sizes and
// ranges that do not start on a chunk. Here the helpers run inline on the same instance, each
// part when it is started, so the split logic itself is checked on every size without threads;
// test/threads.test.ts checks real threads on whole trials. A helper that drops its part must be
// caught, or these comparisons would prove nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Wasm } from '../src/wasm/index.js';
import { gaussFillCols, type Coords } from '../src/kernels/gauss.js';
import { hermiteScoreStream } from '../src/kernels/hermite.js';
import { netGradient, type GradientRows } from '../src/kernels/gradient.js';
import { netGrad, netGradApply, netGradPartial, netGradScratchBytes } from '../src/kernels/net.js';
import { HELPER_OPS, helperKernel, type HelperOp, type Helpers } from '../src/kernels/helpers.js';
import { streamKey } from '../src/trial/streams.js';
import { sameBits } from './helpers/approx.js';
import { normals } from './helpers/data.js';
import { wasm } from './helpers/wasm.js';

/** `size` helpers that run each part on `w` when it is started; `drop` makes helper i skip its part. */
function inlineHelpers(w: Wasm, size: number, drop = -1): Helpers & { calls: Record<string, number> } {
  const results = new Array<number>(size).fill(0);
  const calls: Record<string, number> = {};
  return {
    size,
    calls,
    start(i: number, op: HelperOp, args: readonly number[]) {
      calls[op] = (calls[op] ?? 0) + 1;
      results[i] = i === drop ? 0 : helperKernel(w.exports, HELPER_OPS.indexOf(op))(...args);
    },
    wait: (i: number) => results[i]!,
  };
}

const key = streamKey(11, 'stage2');

function bitsEqual(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function fill(w: Wasm, rowStart: number, rows: number, coords: Coords | number[], ld: number, h: Helpers | null) {
  return w.scoped(() => {
    const c: Coords = Array.isArray(coords) ? { ptr: w.put(Uint32Array.from(coords)), n: coords.length } : coords;
    const out = w.allocF32(rows * ld);
    w.f32.fill(7, out >>> 2, (out >>> 2) + rows * ld);
    gaussFillCols(w, key, rowStart, rows, c, out, ld, h);
    return w.copyF32(out, rows * ld);
  });
}

test('gaussFillCols: helpers give the bytes of one call (chunk-aligned or not, base or listed coordinates)', async () => {
  const w = await wasm();
  const cases: [number, number, Coords | number[], number][] = [
    [0, 4100, { base: 0, n: 7 }, 7],
    [500, 3001, { base: 3, n: 5 }, 9],
    [1024, 2049, [1, 4, 9, 1000], 4],
    [77, 1025, { base: 0, n: 1 }, 1],
    [77, 2048, { base: 2, n: 3 }, 3],
    [1000, 9000, { base: 0, n: 2 }, 2],
    [0, 1024, { base: 0, n: 3 }, 3], // one chunk: not split
  ];
  for (const [rowStart, rows, coords, ld] of cases) {
    const one = fill(w, rowStart, rows, coords, ld, null);
    for (const size of [1, 2, 3, 5]) {
      const h = inlineHelpers(w, size);
      const what = `rows [${rowStart}, ${rowStart + rows}), ${size} helpers`;
      sameBits(fill(w, rowStart, rows, coords, ld, h), one, what);
      // split exactly when there is more than one chunk, into at most one part per helper
      const parts = h.calls.gauss_fill_cols ?? 0;
      assert.ok(rows <= 1024 ? parts === 0 : parts >= 1 && parts <= size, `${what}: ${parts} helper parts`);
    }
  }
  assert.not.ok(
    bitsEqual(
      fill(w, 0, 4100, { base: 0, n: 7 }, 7, inlineHelpers(w, 2, 1)),
      fill(w, 0, 4100, { base: 0, n: 7 }, 7, null),
    ),
  );
});

function scores(
  w: Wasm,
  rows: number,
  coords: Coords | number[],
  K: number,
  h: Helpers | null,
  passes = 2,
): Float64Array {
  return w.scoped(() => {
    const c: Coords = Array.isArray(coords) ? { ptr: w.put(Uint32Array.from(coords)), n: coords.length } : coords;
    const y = w.put(normals(w, 5, rows));
    // a non-zero start, as later chunks of a pass see it
    const S = w.put(Float64Array.from(normals(w, 6, K * c.n), (v) => v * 3));
    for (let p = 0; p < passes; p++) hermiteScoreStream(w, key, p * 1024, rows, c, y, K, S, h);
    return w.copyF64(S, K * c.n);
  });
}

test('hermiteScoreStream: helpers give the bytes of one call (odd coordinate counts, listed coordinates)', async () => {
  const w = await wasm();
  const listed = Array.from({ length: 29 }, (_, i) => i * 7 + 2);
  for (const [rows, coords, K] of [
    [1024, { base: 0, n: 37 }, 4],
    [300, { base: 5, n: 1001 }, 3],
    [1024, listed, 12],
    [17, { base: 0, n: 6 }, 1],
    [64, { base: 0, n: 3 }, 2], // fewer coordinates than a lane group per thread: one range
  ] as [number, Coords | number[], number][]) {
    const one = scores(w, rows, coords, K, null);
    for (const size of [1, 2, 3]) {
      sameBits(scores(w, rows, coords, K, inlineHelpers(w, size)), one, `${JSON.stringify(coords)}, ${size} helpers`);
    }
  }
  assert.not.ok(
    bitsEqual(
      scores(w, 1024, { base: 0, n: 37 }, 4, inlineHelpers(w, 2, 0)),
      scores(w, 1024, { base: 0, n: 37 }, 4, null),
    ),
  );
});

function gradient(
  w: Wasm,
  rows: number,
  k: number,
  m: number,
  block: number,
  ld: number,
  how: 'kept' | 'fill' | number, // a number: that many rows kept, the rest filled
  h: Helpers | null,
) {
  return w.scoped(() => {
    const X = w.allocF32(rows * ld),
      y = w.put(normals(w, 2, rows));
    const xs = normals(w, 1, rows * ld); // before w.f32: making them may grow the memory
    w.f32.set(xs, X >>> 2);
    const Wp = w.put(normals(w, 3, m * k)),
      b = w.put(normals(w, 4, m)),
      a = w.put(normals(w, 5, m).map((v) => (v < 0 ? -1 : 1)));
    const G64 = w.put(Float64Array.from(normals(w, 6, m * k))); // a non-zero start: G is added to
    const fill = (t: number, nb: number, Xb: number, yb: number) => {
      if (typeof how === 'number') assert.ok(t + nb > how, `block [${t}, ${t + nb}) is kept, not filled`);
      w.f32.set(xs.subarray(t * ld, (t + nb) * ld), Xb >>> 2);
      w.f32.copyWithin(yb >>> 2, (y >>> 2) + t, (y >>> 2) + t + nb);
    };
    // past a kept prefix the kept matrix holds NaN, so reading a row there instead of filling it shows
    if (typeof how === 'number') w.f32.fill(Number.NaN, (X >>> 2) + how * ld, (X >>> 2) + rows * ld);
    const source: GradientRows =
      how === 'kept' ? { kept: { X, y } } : how === 'fill' ? { fill } : { kept: { X, y, rows: how }, fill };
    netGradient(w, { W: Wp, m, k, b, a }, { rows, block, ldx: ld, N: rows, G: G64 }, source, h);
    return w.copyF64(G64, m * k);
  });
}

test('netGradient: kept rows, filled blocks and any helper count give the same bytes', async () => {
  const w = await wasm();
  for (const [rows, k, m, block, ld] of [
    [2500, 13, 7, 256, 16],
    [1, 5, 3, 4, 5],
    [1030, 33, 9, 1024, 33],
    [999, 2, 17, 100, 2],
  ] as [number, number, number, number, number][]) {
    const what = `rows ${rows}, k ${k}, m ${m}, block ${block}`;
    const one = gradient(w, rows, k, m, block, ld, 'kept', null);
    sameBits(gradient(w, rows, k, m, block, ld, 'fill', null), one, what);
    // a kept prefix of whole blocks, one that ends inside a block (that block is filled whole)
    for (const prefix of [block, Math.floor(rows / 2) + 1])
      if (prefix < rows) sameBits(gradient(w, rows, k, m, block, ld, prefix, null), one, `${what}, ${prefix} kept`);
    for (const size of [1, 2, 4]) {
      const h = inlineHelpers(w, size);
      sameBits(gradient(w, rows, k, m, block, ld, 'kept', h), one, `${what}, ${size} helpers`);
      sameBits(gradient(w, rows, k, m, block, ld, 'fill', inlineHelpers(w, size)), one, `${what}, fill`);
      sameBits(gradient(w, rows, k, m, block, ld, block, inlineHelpers(w, size)), one, `${what}, a block kept`);
      assert.is(
        (h.calls.net_grad_partial ?? 0) > 0,
        rows > block,
        `${what}: split only when there is more than one block`,
      );
    }
  }
  assert.not.ok(
    bitsEqual(
      gradient(w, 2500, 13, 7, 256, 16, 'kept', inlineHelpers(w, 2, 1)),
      gradient(w, 2500, 13, 7, 256, 16, 'kept', null),
    ),
  );
});

test('netGradPartial then netGradApply is netGrad, bit for bit, and both check their shapes', async () => {
  const w = await wasm();
  const [rows, k, m] = [77, 9, 5];
  const run = (split: boolean) =>
    w.scoped(() => {
      const X = w.put(normals(w, 1, rows * k)),
        y = w.put(normals(w, 2, rows)),
        Wp = w.put(normals(w, 3, m * k)),
        b = w.put(normals(w, 4, m)),
        a = w.put(normals(w, 5, m).map((v) => (v < 0 ? -1 : 1))),
        G = w.put(Float64Array.from(normals(w, 6, m * k))),
        scratch = w.alloc(netGradScratchBytes(w, k, m));
      const net = { X, rows, k, W: Wp, m, b, a };
      if (split) {
        netGradPartial(w, { ...net, y, scratch });
        netGradApply(w, { scratch, rows, k, m, a, N: 300, G });
      } else netGrad(w, { ...net, y, N: 300, G, scratch });
      return w.copyF64(G, m * k);
    });
  sameBits(run(true), run(false));
  w.scoped(() => {
    const scratch = w.alloc(netGradScratchBytes(w, 4, 2));
    assert.throws(
      () => netGradApply(w, { scratch, rows: 1025, k: 4, m: 2, a: 16, N: 1, G: 16 }),
      /rows must be at most 1024/,
    );
    assert.throws(
      () => netGradApply(w, { scratch, rows: 4, k: 4, m: 2, a: 16, N: 0, G: 16 }),
      /N \(the total sample count\)/,
    );
    assert.throws(
      () => netGradPartial(w, { X: 3, rows: 4, k: 4, W: 16, m: 2, b: 16, a: 16, y: 16, scratch }),
      /X must be a 4-byte aligned/,
    );
  });
});

test.run();
