import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLab, type Lab } from '../src/index.js';
import { createThreadedLab, type ThreadedLab } from '../src/node/threads.js';
import { compileThreadsModule, threadsSupported, WASM_THREADS_SHA256 } from '../src/wasm/threads.js';

// Threads inside one trial must not change a bit: every split the pipeline makes (rows of X,
// blocks of the gradient, coordinates of the stage-1 stream) is combined in single-thread order.
const CONFIGS = [
  { d: 1024, alpha: 0.25, link: 'he2', method: 'none', n: 4100, seed: 1 }, // kept X, odd block count
  { d: 600, alpha: 0.25, link: 'he2', method: 'none', n: 5000, seed: 2, memoryBudget: 1 << 20 }, // regenerated blocks
  { d: 256, alpha: 0.25, link: 'he2', method: 'none', n: 5000, seed: 9, memoryBudget: 1 << 20 }, // 1024 rows kept, the rest regenerated
  { d: 1500, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 9000, seed: 3 }, // stage-1 stream split
  { d: 1001, alpha: 0.5, link: 'he3', method: 'hermite', n: 5000, seed: 4, m: 20 },
  { d: 777, alpha: 0.3, link: 'he2', method: 'gradmag', n: 3000, seed: 5, m: 13 },
  { d: 1536, alpha: 0.3, link: 'he2', method: 'none', n: 6000, seed: 6, batch: 'fresh' },
  { d: 300, alpha: 0.5, r: 2, link: 'prod2', method: 'oracle', n: 4000, seed: 7 },
  // the span paths run on one thread, but on the threads build's instance (shared memory)
  { d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 12000, seed: 8, batch: 'fresh', sim: 'subspace' },
  { d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 12000, seed: 9, batch: 'fresh', sim: 'compact' },
] as const;

test('the probe agrees with this engine: it says yes exactly when the threads build really compiles and runs', async () => {
  // the real thing the probe stands for: compile the shipped threads module and run a trial on it
  let works: boolean;
  try {
    await compileThreadsModule();
    const lab = await createThreadedLab({ threads: 2 });
    try {
      works =
        lab.threads === 2 && lab.trial({ d: 64, alpha: 0.5, link: 'he2', method: 'none', n: 256, seed: 1 }).id !== '';
    } finally {
      await lab.close();
    }
  } catch {
    works = false;
  }
  assert.is(threadsSupported(), works);
  // and on this engine (Node >= 20 has shared WebAssembly memory and atomics) both say yes
  assert.ok(works, 'the threads build runs on Node >= 20');
});

test('a trial on 2 threads gives the single-thread record (all but wasmSha and timings)', async () => {
  const one: Lab = await createLab();
  const two: ThreadedLab = await createThreadedLab({ threads: 2 });
  try {
    assert.is(two.threads, 2);
    assert.is(two.wasmSha, WASM_THREADS_SHA256);
    for (const c of CONFIGS) {
      const a = one.trial(c as never),
        b = two.trial(c as never);
      const what = JSON.stringify(c);
      assert.is(b.id, a.id, what);
      assert.equal(b.metrics, a.metrics, what);
      assert.is(b.diverged, a.diverged, what);
      assert.is(b.success, a.success, what);
    }
  } finally {
    await two.close();
  }
});

test('threads: 1 is the plain lab (the same build and the same record), and close() can be awaited', async () => {
  const lab = await createThreadedLab({ threads: 1 });
  const plain = await createLab();
  assert.is(lab.threads, 1);
  assert.is(lab.wasmSha, plain.wasmSha, 'the single-thread build, not the threads one');
  const strip = (r: object) => {
    const { timings: _t, ...rest } = r as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  for (const c of CONFIGS.slice(0, 3)) assert.is(strip(lab.trial(c as never)), strip(plain.trial(c as never)));
  await lab.close();
});

test.run();
