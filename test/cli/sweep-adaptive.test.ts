// The adaptive design (the default) as a user runs it: the same records whatever the worker
// count, kill -9 then --resume gives exactly the records of an uninterrupted run, each trial has
// its own seed, and the flags that do not apply to it are refused. Trials are the fake ones
// (test/helpers/sweep-child.ts) on real worker threads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SWEEP_CHILD as child, canon, lines, sweepChild as sweepIn } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prunelab-adaptive-'));
const ARGS = ['--preset', 'separation', '--d', '256,1024,4096', '--workers', '2'];
const sweepChild = (args: string[], ms = 1) => sweepIn(dir, args, ms);

let whole = '';
test('an adaptive sweep: every trial its own seed within (method, d), fitted summary printed', () => {
  whole = join(dir, 'whole.jsonl');
  const r = sweepChild([...ARGS, '--out', whole]);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /adaptive design, 2 chain\(s\), 6 dimension\(s\), target width of b 0\.3\b/);
  const recs = lines(whole).map((l) => JSON.parse(l));
  assert.ok(recs.length >= 12, String(recs.length));
  const keys = recs.map((x) => `${x.config.method}|${x.config.d}|${x.config.seed}`);
  assert.is(new Set(keys).size, keys.length, 'no seed is used twice within one (method, d)');
  assert.match(r.out, /\nn\*50 \[90% interval\]\s+d=256\s+d=1024\s+d=4096\n/);
  assert.match(r.out, /\nverdict: /);
});

test('the same records with 1 and 3 workers', () => {
  const f1 = join(dir, 'w1.jsonl'),
    f3 = join(dir, 'w3.jsonl');
  assert.is(sweepChild([...ARGS, '--workers', '1', '--out', f1]).code, 0);
  assert.is(sweepChild([...ARGS, '--workers', '3', '--out', f3], 3).code, 0);
  assert.equal(canon(f1), canon(whole));
  assert.equal(canon(f3), canon(whole));
});

test('kill -9 mid-sweep, a torn line, then --resume: exactly the records of an uninterrupted run', async () => {
  const out = join(dir, 'killed.jsonl');
  const total = canon(whole).length;
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...ARGS, '--out', out], {
      cwd: dir,
      env: { ...process.env, PRUNELAB_FAKE_MS: '30' },
    });
    const timer = setInterval(() => {
      if (lines(out).length < Math.floor(total / 2)) return;
      clearInterval(timer);
      p.kill('SIGKILL');
    }, 5);
    p.on('exit', () => {
      clearInterval(timer);
      resolve();
    });
    p.on('error', reject);
  });
  const before = lines(out).length;
  assert.ok(before >= Math.floor(total / 2) && before < total, `${before} of ${total}`);
  appendFileSync(out, '{"id":"4f2a","version":"fake","con');
  const r = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /torn line/);
  assert.equal(canon(out), canon(whole));
});

test('flags that do not apply to the adaptive design are refused, naming the field', () => {
  for (const [args, re] of [
    [['--design', 'adaptive', '--seeds', '3'], /`seeds` .*only with --design grid or search/],
    [['--design', 'adaptive', '--start', '512'], /`start` .*only with --design search/],
    [['--target-width', '0'], /`target-width` must be a number in \[0\.05, 20\], got 0/],
    [['--design', 'search', '--max-trials', '10'], /`max-trials` .*only with --design adaptive/],
    [['--design', 'magic'], /`design` must be one of|adaptive, grid or search/],
  ] as const) {
    const r = sweepChild([...ARGS, ...args, '--out', join(dir, 'refused.jsonl')]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
  }
});

test('--seeds without --design keeps its old meaning: the sqrt(2)-grid search, and it says so', () => {
  const out = join(dir, 'implied.jsonl');
  const r = sweepChild(['--preset', 'separation', '--d', '256', '--seeds', '2', '--workers', '1', '--out', out]);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /--seeds\/--start without --design run the sqrt\(2\)-grid search/);
  assert.match(r.err, /1 chain\(s\)|2 chain\(s\), 2 searches, 2 seed\(s\)/);
  const seeds = new Set(lines(out).map((l) => JSON.parse(l).config.seed));
  assert.equal([...seeds].sort(), [1, 2], 'seeds 1..K at every n');
});

test.run();
