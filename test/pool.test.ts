import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../src/core/errors.js';
import { AbortError, WorkerExitError } from '../src/experiment/pool/errors.js';
import type { TaskPool } from '../src/experiment/pool/pool.js';
import { InlinePool } from '../src/experiment/pool/pool.js';
import { createNodePool, createNodeTrialRunner } from '../src/node/pool-node.js';
import { applyOverrides, presetSpec } from '../src/experiment/sweep.js';
import { runDesign, searchDesign } from '../src/experiment/design.js';
import type { TrialRecord } from '../src/core/types.js';
import { tasks, work } from './helpers/fake-trial.js';

const FAKE = new URL('./helpers/fake-trial.js', import.meta.url).href;
const pool = <I, O>(workers: number, task: string, options?: unknown): TaskPool<I, O> =>
  createNodePool<I, O>({ workers, task, module: FAKE, ...(options ? { options } : {}) });

async function withPool<I, O, T>(p: TaskPool<I, O>, f: (p: TaskPool<I, O>) => Promise<T>): Promise<T> {
  try {
    return await f(p);
  } finally {
    await p.terminate();
  }
}

test('identical ordered results with 0 (in-process), 1, 2 and 3 workers', async () => {
  const inputs = Array.from({ length: 40 }, (_, i) => i * 13 + 1);
  const expected = inputs.map(work);
  for (const workers of [0, 1, 2, 3]) {
    const finished: number[] = [];
    const out = await withPool(pool<number, { x: number; h: number }>(workers, 'work'), (p) =>
      Promise.all(
        inputs.map((x) =>
          p.run(x).then((o) => {
            finished.push(o.x);
            return o;
          }),
        ),
      ),
    );
    assert.equal(out, expected, `${workers} workers`);
    if (workers >= 2) assert.not.equal(finished, inputs, 'jobs did complete out of order');
  }
});

test('progress messages reach the caller of their job', async () => {
  const seen: unknown[] = [];
  await withPool(pool<number, unknown>(2, 'work'), (p) => p.run(7, { onProgress: (i) => seen.push(i) }));
  assert.equal(seen, [{ started: 7 }]);
});

test('errors in a worker come back as errors (ConfigError keeps its fields), and the worker goes on', async () => {
  await withPool(pool<string, string>(2, 'throws'), async (p) => {
    try {
      await p.run('config');
      assert.unreachable();
    } catch (e) {
      assert.instance(e, ConfigError);
      assert.is((e as ConfigError).field, 'alpha');
      assert.is((e as Error).message, '`alpha` must be a number in (0, 1], got 1.5');
    }
    try {
      await p.run('plain');
      assert.unreachable();
    } catch (e) {
      assert.is((e as Error).name, 'TypeError');
      assert.match((e as Error).stack!, /thrown in pool worker/);
    }
    assert.equal(await p.map(['a', 'b', 'c']), ['ok:a', 'ok:b', 'ok:c']);
  });
});

test('a worker that dies fails only its job; a replacement takes the rest', async () => {
  await withPool(pool<string, string>(1, 'exits'), async (p) => {
    const out = await Promise.allSettled(['a', 'die', 'b', 'c'].map((x) => p.run(x)));
    assert.equal(
      out.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.instance((out[1] as PromiseRejectedResult).reason, WorkerExitError);
    assert.equal(
      out.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<string>).value),
      ['ok:a', 'ok:b', 'ok:c'],
    );
  });
});

test('a task that cannot start rejects every job with the reason instead of hanging', async () => {
  for (const [task, msg] of [
    ['initFails', /cannot create the lab here/],
    ['noSuchTask', /unknown task "noSuchTask"/],
  ] as const) {
    await withPool(pool<number, number>(2, task), async (p) => {
      const out = await Promise.allSettled([1, 2, 3].map((x) => p.run(x)));
      for (const o of out) {
        assert.is(o.status, 'rejected');
        assert.match(String((o as PromiseRejectedResult).reason), msg);
      }
      await p.run(4).then(
        () => assert.unreachable(),
        (e) => assert.match(String(e), msg),
      );
    });
  }
});

test('a signal drops queued jobs; running ones finish; terminate rejects what is running', async () => {
  await withPool(pool<unknown, unknown>(1, 'slowFake', { ms: 50 }), async (p) => {
    const stop = new AbortController();
    const cfg = (n: number) => ({ d: 256, alpha: 0.25, link: 'he2', method: 'none', n, seed: 1 });
    const jobs = [32, 45, 64].map((n) => p.run(cfg(n), { signal: stop.signal }));
    // when the first job answers, the second is already sent to the worker and the third is queued
    void jobs[0]!.then(() => stop.abort());
    const out = await Promise.allSettled(jobs);
    assert.equal(
      out.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'rejected'],
    );
    assert.instance((out[2] as PromiseRejectedResult).reason, AbortError);
    const running = p.run(cfg(91)).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 10));
    await p.terminate();
    assert.instance(await running, AbortError);
  });
});

test('many jobs on one signal share one abort listener; aborting drops every queued one', async () => {
  await withPool(pool<unknown, unknown>(1, 'slowFake', { ms: 20 }), async (p) => {
    const stop = new AbortController();
    let warned = false;
    const onWarning = (w: Error) => {
      if (w.name === 'MaxListenersExceededWarning') warned = true;
    };
    process.on('warning', onWarning);
    const jobs = Array.from({ length: 25 }, (_, i) =>
      p.run({ d: 256, alpha: 0.25, link: 'he2', method: 'none', n: 32 + i, seed: 1 }, { signal: stop.signal }),
    );
    void jobs[0]!.then(() => stop.abort());
    const out = await Promise.allSettled(jobs);
    await new Promise((r) => setTimeout(r, 0)); // warnings are emitted on the next tick
    process.off('warning', onWarning);
    assert.not.ok(warned, 'no MaxListenersExceededWarning');
    assert.ok(out.filter((o) => o.status === 'rejected').length >= 20, 'queued jobs were dropped');
    for (const o of out) if (o.status === 'rejected') assert.instance(o.reason, AbortError);
  });
});

test('close lets queued jobs finish, then stops the workers', async () => {
  const p = pool<number, { x: number }>(2, 'work');
  const jobs = [1, 2, 3, 4, 5].map((x) => p.run(x));
  await p.close();
  assert.equal(
    (await Promise.all(jobs)).map((o) => o.x),
    [1, 2, 3, 4, 5],
  );
  await p.run(6).then(
    () => assert.unreachable(),
    (e) => assert.instance(e, AbortError),
  );
});

test('the in-process pool serves the same registry', async () => {
  const p = new InlinePool<string, string>(tasks, { task: 'throws' });
  assert.is(await p.run('x'), 'ok:x');
  await p.run('config').then(
    () => assert.unreachable(),
    (e) => assert.instance(e, ConfigError),
  );
  await p.close();
});

test('a sweep over real worker threads gives identical records with 1, 2 and 3 workers', async () => {
  const spec = applyOverrides(presetSpec('separation'), { d: [256, 1024], seeds: 3 });
  const results: string[][] = [];
  const tables: string[] = [];
  for (const workers of [1, 2, 3]) {
    const runner = await createNodeTrialRunner({
      workers,
      task: 'slowFake',
      module: FAKE,
      options: { ms: 1 },
    });
    const out: TrialRecord[] = [];
    try {
      const r = await runDesign(searchDesign(), spec, { runner, onResult: (x) => out.push(x) });
      tables.push(JSON.stringify(r.searches));
    } finally {
      await runner.pool.close();
    }
    results.push(
      out
        .map((x) => {
          const { timings: _t, ...rest } = x;
          return JSON.stringify(rest);
        })
        .sort(),
    );
  }
  assert.ok(results[0]!.length > 20);
  assert.equal(results[1], results[0]);
  assert.equal(results[2], results[0]);
  assert.is(tables[1], tables[0]);
  assert.is(tables[2], tables[0]);
});

test.run();
