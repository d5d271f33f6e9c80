// One writer per results file (src/node/results-lock.ts): two sweeps on one --out, a lock left
// by kill -9, a stale lock from another host, and --resume on a file made by another build.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonlLine } from '../../src/experiment/results.js';
import { lockDirOf, lockOwnerFileOf, lockResultsFile, readLockOwner } from '../../src/node/results-lock.js';
import { ResourceError } from '../../src/core/errors.js';
import { fakeTrial } from '../helpers/fake-trial.js';

const child = fileURLToPath(new URL('../helpers/sweep-child.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prunelab-lock-'));
const ARGS = ['--preset', 'separation', '--design', 'search', '--d', '256,1024', '--seeds', '3', '--workers', '2'];
const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
const ids = (f: string) => lines(f).map((l) => JSON.parse(l).id as string);

function sweepChild(args: string[], ms = 1) {
  const r = spawnSync(process.execPath, [child, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, PRUNELAB_FAKE_MS: String(ms) },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Starts a slow sweep in the background; resolves once it has written `minLines` records. */
function background(out: string, minLines: number, ms: number) {
  const p = spawn(process.execPath, [child, ...ARGS, '--out', out], {
    cwd: dir,
    env: { ...process.env, PRUNELAB_FAKE_MS: String(ms) },
  });
  let err = '';
  p.stderr.on('data', (b) => {
    err += b;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) =>
    p.on('exit', (code, signal) => resolve({ code, signal, err })),
  );
  const started = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (lines(out).length >= minLines) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the background sweep ended before writing ${minLines} records: ${err}`));
    });
  });
  return { p, started, exited };
}

test('two sweeps on one file: the second is refused (exit 2, one line, the holder pid) and the file has no duplicates', async () => {
  const out = join(dir, 'two.jsonl');
  const first = background(out, 3, 40);
  await first.started;
  for (const extra of [[], ['--resume']]) {
    const second = sweepChild([...ARGS, '--out', out, ...extra]);
    assert.is(second.code, 2, second.err);
    assert.match(
      second.err,
      new RegExp(`two\\.jsonl is being written by pid ${first.p.pid} \\(prunelab sweep, since `),
    );
    assert.is(second.err.trimEnd().split('\n').length, 1, second.err);
  }
  const done = await first.exited;
  assert.is(done.code, 0, done.err);
  const all = ids(out);
  assert.ok(all.length > 40, String(all.length));
  assert.is(new Set(all).size, all.length, 'no duplicate trial ids');
  assert.not.ok(existsSync(lockDirOf(out)), 'the lock is released at the end');
  assert.not.ok(existsSync(lockOwnerFileOf(out)));
  // and once the first has finished, resuming is allowed again and has nothing left to do
  const again = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(again.code, 0, again.err);
  assert.match(again.err, /0 trial\(s\) run/);
});

test('a lock left by kill -9 is taken over within seconds, and says whose it was', async () => {
  const out = join(dir, 'killed.jsonl');
  const first = background(out, 5, 30);
  await first.started;
  first.p.kill('SIGKILL');
  await first.exited;
  assert.ok(existsSync(lockDirOf(out)), 'kill -9 leaves the lock behind');
  assert.is(readLockOwner(out)?.pid, first.p.pid);
  const t0 = Date.now();
  const r = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`took over the lock on .*killed\\.jsonl left by pid ${first.p.pid}`));
  assert.ok(Date.now() - t0 < 15_000, `${Date.now() - t0} ms`);
  assert.is(new Set(ids(out)).size, ids(out).length);
});

test('another host: a fresh lock is refused naming the host, a stale one is taken over', async () => {
  const out = join(dir, 'nfs.jsonl');
  mkdirSync(lockDirOf(out));
  const owner = { pid: 4242, host: 'node17.cluster', command: 'prunelab sweep', since: '2026-01-01T00:00:00.000Z' };
  writeFileSync(lockOwnerFileOf(out), JSON.stringify(owner));
  try {
    await lockResultsFile(out, { staleMs: 2000 });
    assert.unreachable('a fresh lock must be refused');
  } catch (e) {
    assert.instance(e, ResourceError);
    assert.match((e as Error).message, /being written by pid 4242 on node17\.cluster/);
  }
  const old = new Date(Date.now() - 60_000);
  utimesSync(lockDirOf(out), old, old);
  const lock = await lockResultsFile(out, { staleMs: 2000, command: 'test' });
  assert.is(lock.tookOverFrom?.host, 'node17.cluster');
  assert.is(readLockOwner(out)?.pid, process.pid);
  lock.check();
  await lock.release();
  assert.not.ok(existsSync(lockDirOf(out)));
});

test('--resume on a file from another build whose replayed trial differs is refused, naming both builds', () => {
  const out = join(dir, 'other-build.jsonl');
  const r1 = {
    ...fakeTrial({ d: 256, alpha: 0.25, link: 'he2', method: 'none', n: 32, seed: 1 }),
    version: '0.0.9',
    wasmSha: 'ab'.repeat(32),
  };
  r1.metrics.relMse! += 1e-9;
  writeFileSync(out, toJsonlLine(r1));
  const r = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(r.code, 2, r.err);
  assert.match(
    r.err,
    /cannot resume .*other-build\.jsonl: 1 of its 1 records were made by prunelab 0\.0\.9 \(wasm abababababab\), and this is prunelab fake \(wasm fake\); its trial [0-9a-f]{16} \(none, d = 256, n = 32\), replayed by this build, differs at metrics\.relMse/,
  );
  assert.is(r.err.split('\n').filter((l) => l.startsWith('prunelab sweep: cannot')).length, 1);
  assert.is(lines(out).length, 1, 'the file is left as it was');
  assert.not.ok(existsSync(`${out}.builds.json`));
  assert.not.ok(existsSync(lockDirOf(out)), 'and unlocked');
});

test('--resume on a file from another build whose trials replay byte for byte continues it, and notes the check', () => {
  const out = join(dir, 'compatible-build.jsonl');
  const r1 = {
    ...fakeTrial({ d: 256, alpha: 0.25, link: 'he2', method: 'none', n: 32, seed: 1 }),
    version: '0.0.9',
    wasmSha: 'ab'.repeat(32),
  };
  writeFileSync(out, toJsonlLine(r1));
  const r = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(r.code, 0, r.err);
  assert.match(
    r.err,
    /1 record\(s\) of prunelab 0\.0\.9 \(wasm abababababab\) accepted: 1 of its trials replayed byte for byte/,
  );
  assert.is(JSON.parse(lines(out)[0]!).version, '0.0.9', 'its records keep the build that made them');
  assert.ok(lines(out).length > 40);
  const note = JSON.parse(readFileSync(`${out}.builds.json`, 'utf8'));
  assert.equal(
    note.checks.map((c: { by: unknown; of: unknown; replayed: { id: string }[] }) => [
      c.by,
      c.of,
      c.replayed.map((x) => x.id),
    ]),
    [[{ version: 'fake', wasmSha: 'fake' }, { version: '0.0.9', wasmSha: 'ab'.repeat(32) }, [r1.id]]],
  );
});

test('prunelab start decides resume or move-aside under the lock: a file another process writes is left where it is', async () => {
  const cwd = join(dir, 'start');
  mkdirSync(join(cwd, 'results'), { recursive: true });
  const out = join(cwd, 'results', 'separation.jsonl');
  const other = {
    ...fakeTrial({ d: 256, alpha: 0.25, link: 'he2', n: 64, seed: 1, method: 'none' }),
    wasmSha: 'f'.repeat(64),
  };
  writeFileSync(out, toJsonlLine(other));
  const held = await lockResultsFile(out, { command: 'prunelab sweep' });
  try {
    const bin = fileURLToPath(new URL('../../../bin/prunelab.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'start'], { encoding: 'utf8', cwd });
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`separation\\.jsonl is being written by pid ${process.pid} `));
    assert.not.ok(existsSync(join(cwd, 'results', 'separation.previous.jsonl')), 'nothing was moved aside');
    assert.is(lines(out).length, 1);
  } finally {
    await held.release();
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
