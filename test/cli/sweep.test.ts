// The sweep and merge commands as a user runs them: exit codes, files, kill -9 and Ctrl-C
// followed by --resume. Trials are the fake ones (test/helpers/sweep-child.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonlLine } from '../../src/experiment/results.js';
import { fakeTrial } from '../helpers/fake-trial.js';
import { SWEEP_CHILD as child, canon, lines, sweepChild as sweepIn } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'prunelab.js');
const dir = mkdtempSync(join(tmpdir(), 'prunelab-cli-'));
const ARGS = ['--preset', 'separation', '--design', 'search', '--d', '256,1024', '--seeds', '3', '--workers', '2'];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const sweepChild = (args: string[], ms = 1) => sweepIn(dir, args, ms);

/** Starts a slow sweep, waits for `minLines` records in `out`, then sends `signal` (twice if `again`); resolves with the exit code/signal and stderr. */
function interrupt(out: string, minLines: number, signal: NodeJS.Signals, ms: number, again = false) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string; lastSignalToExitMs: number }>(
    (resolve, reject) => {
      let lastSignal = 0;
      const p = spawn(process.execPath, [child, ...ARGS, '--out', out], {
        cwd: dir,
        env: { ...process.env, PRUNELAB_FAKE_MS: String(ms) },
      });
      let err = '';
      p.stderr.on('data', (b) => {
        err += b;
      });
      const timer = setInterval(() => {
        if (lines(out).length < minLines) return;
        clearInterval(timer);
        p.kill(signal);
        lastSignal = Date.now();
        if (again)
          setTimeout(() => {
            p.kill(signal);
            lastSignal = Date.now();
          }, 100);
      }, 5);
      p.on('exit', (code, sig) => {
        clearInterval(timer);
        resolve({ code, signal: sig, err, lastSignalToExitMs: Date.now() - lastSignal });
      });
      p.on('error', reject);
    },
  );
}

let whole = '';
test('an uninterrupted sweep writes one line per trial and prints the n* table, slopes and verdict', () => {
  whole = join(dir, 'whole.jsonl');
  const r = sweepChild([...ARGS, '--out', whole]);
  assert.is(r.code, 0, r.err);
  const recs = lines(whole).map((l) => JSON.parse(l));
  assert.ok(recs.length > 40, String(recs.length));
  assert.is(new Set(recs.map((x) => x.id)).size, recs.length);
  assert.match(r.out, /^== link he2 \(k\* = 2\), α = 0\.25/);
  assert.match(r.out, /\nn\*50 \[90% interval\]\s+d=256\s+d=1024\n/);
  assert.match(
    r.out,
    /\nhermite-thr(\s+(\d+ \[(< )?\d+, (> )?\d+\]|[<>] \d+)){2}\n {2}this d alone(\s+(\d+ \[(< )?\d+, (> )?\d+\]|[<>] \d+)){2}\n {2}grid rule\s+\d+\s+\d+\n/,
  );
  assert.match(
    r.out,
    /\nnone(\s+(\d+ \[(< )?\d+, (> )?\d+\]|[<>] \d+)){2}\n {2}this d alone(\s+(\d+ \[(< )?\d+, (> )?\d+\]|[<>] \d+)){2}\n {2}grid rule\s+\d+\s+\d+\n/,
  );
  assert.match(r.out, /\nverdict: /);
  assert.not.match(r.err, /\r/, 'no progress bar when stderr is not a TTY');
  assert.match(r.err, /trial\(s\) run/);
});

test('the same records with 1 and 3 workers', () => {
  const f1 = join(dir, 'w1.jsonl'),
    f3 = join(dir, 'w3.jsonl');
  assert.is(sweepChild([...ARGS, '--workers', '1', '--out', f1]).code, 0);
  assert.is(sweepChild([...ARGS, '--workers', '3', '--out', f3]).code, 0);
  assert.equal(canon(f1), canon(whole));
  assert.equal(canon(f3), canon(whole));
});

test('kill -9 mid-sweep, a torn line, then --resume: exactly the records of an uninterrupted run', async () => {
  const out = join(dir, 'killed.jsonl');
  const k = await interrupt(out, 12, 'SIGKILL', 20);
  assert.is(k.signal, 'SIGKILL');
  const before = lines(out).length;
  assert.ok(before >= 12 && before < canon(whole).length, String(before));
  appendFileSync(out, '{"id":"4f2a","version":"0.1.0","con'); // as if killed mid-write
  const refused = sweepChild([...ARGS, '--out', out]);
  assert.is(refused.code, 2, 'an existing file without --resume is refused');
  assert.match(refused.err, /already holds results; pass --resume/);
  const r = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /torn line .*truncated it/);
  assert.match(r.err, new RegExp(`${before} reused`));
  assert.equal(canon(out), canon(whole));
  assert.is(lines(out).length, canon(whole).length, 'nothing recorded twice');
  const again = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(again.code, 0);
  assert.match(again.err, /0 trial\(s\) run/);
  assert.is(lines(out).length, canon(whole).length);
});

test('Ctrl-C stops cleanly (whole lines only, exit 130), and --resume completes the sweep', async () => {
  const out = join(dir, 'sigint.jsonl');
  const s = await interrupt(out, 8, 'SIGINT', 20);
  assert.is(s.code, 130, s.err);
  assert.match(s.err, /stopping: no new trials start/);
  assert.match(s.err, /rerun with --resume/);
  const text = readFileSync(out, 'utf8');
  assert.ok(text.endsWith('\n'));
  for (const l of lines(out)) JSON.parse(l);
  assert.ok(lines(out).length < canon(whole).length);
  const r = sweepChild([...ARGS, '--out', out, '--resume']);
  assert.is(r.code, 0, r.err);
  assert.equal(canon(out), canon(whole));
});

test('Ctrl-C twice abandons the running trials at once; the file holds whole lines only', async () => {
  const out = join(dir, 'sigint2.jsonl');
  const s = await interrupt(out, 2, 'SIGINT', 1500, true);
  assert.is(s.code, 130, s.err);
  assert.match(s.err, /abandoning the running trials/);
  // the running trials had ~1.4 s left: exiting well before that means they were abandoned
  assert.ok(s.lastSignalToExitMs < 700, `exited ${s.lastSignalToExitMs} ms after the second Ctrl-C`);
  assert.ok(readFileSync(out, 'utf8').endsWith('\n'));
  for (const l of lines(out)) JSON.parse(l);
});

test('shards: files of --shard 0/2 and 1/2 merge into the whole sweep', () => {
  const a = join(dir, 's0.jsonl'),
    b = join(dir, 's1.jsonl'),
    m = join(dir, 'merged.jsonl');
  assert.is(sweepChild([...ARGS, '--shard', '0/2', '--out', a]).code, 0);
  assert.is(sweepChild([...ARGS, '--shard', '1/2', '--out', b]).code, 0);
  const ids = (f: string) => new Set(lines(f).map((l) => JSON.parse(l).id));
  const [ia, ib] = [ids(a), ids(b)];
  assert.ok(ia.size > 0 && ib.size > 0);
  assert.ok(
    [...ia].every((id) => !ib.has(id)),
    'no overlap',
  );
  const r = cli(['merge', a, b, whole, '--out', m]);
  assert.is(r.code, 0, r.err);
  assert.match(
    r.err,
    new RegExp(`${canon(whole).length} record\\(s\\), ${canon(whole).length} duplicate\\(s\\) dropped`),
  );
  assert.not.match(r.err, /differs/, 'duplicates differ only in timings');
  assert.equal(canon(m), canon(whole));
  const empty = sweepChild([...ARGS, '--shard', '2/3', '--out', join(dir, 's2.jsonl')]);
  assert.is(empty.code, 0);
  assert.match(empty.err, /shard 2\/3 has no work: this sweep has 2 chain\(s\)/);
});

test('merge: duplicates dropped, conflicting copies warned about, torn inputs skipped', () => {
  const r1 = fakeTrial({ d: 256, alpha: 0.25, link: 'he2', method: 'none', n: 32, seed: 1 }),
    r2 = fakeTrial({ d: 256, alpha: 0.25, link: 'he2', method: 'none', n: 45, seed: 1 });
  const bad = structuredClone(r1);
  bad.metrics.relMse = 0.123;
  const a = join(dir, 'ma.jsonl'),
    b = join(dir, 'mb.jsonl'),
    m = join(dir, 'mm.jsonl');
  writeFileSync(a, toJsonlLine(r1) + toJsonlLine(r2));
  writeFileSync(b, toJsonlLine(bad) + toJsonlLine(r2) + '{"id":"tor');
  const r = cli(['merge', a, b, '--out', m]);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`trial ${r1.id} differs between .*ma\\.jsonl and .*mb\\.jsonl at metrics\\.relMse`));
  assert.match(r.err, /mb\.jsonl ends in a torn line/);
  assert.match(r.err, /2 record\(s\), 2 duplicate\(s\) dropped, 1 conflict/);
  assert.equal(
    lines(m).map((l) => JSON.parse(l).id),
    [r1.id, r2.id],
  );
  assert.is(JSON.parse(lines(m)[0]!).metrics.relMse, r1.metrics.relMse, 'the first copy is kept');
});

test('bad input exits 2 with one line', () => {
  const cases: [string[], RegExp][] = [
    [
      ['sweep', '--preset', 'nope'],
      /`preset` must be one of separation, alpha, k3, online, multi, lq, soft, controls, got "nope"/,
    ],
    [['sweep', '--alpha', '1.5'], /`alpha` must be a number in \(0, 1\], got 1.5/],
    [['sweep', '--methods', 'none,magic'], /`methods` must be one of/],
    [['sweep', '--d', '256,,1024'], /`d` must be a comma-separated list/],
    [['sweep', '--seeds', 'three'], /`seeds` must be an integer, got "three"/],
    [['sweep', '--workers=-1'], /`workers` must be an integer in \[0, 1024\]/],
    [['sweep', '--workers', '-1'], /`workers` must be an integer in \[0, 1024\], got -1/],
    [['sweep', '--shard', '3/3'], /`shard index` must be an integer in \[0, 2\], got 3/],
    [['sweep', '--frobnicate'], /unknown flag --frobnicate/],
    [['sweep', 'extra'], /positional/i],
    [
      ['trial', '--d', '256', '--alpha', '0.25', '--r', '2', '--link', 'he2', '--method', 'none', '--n', '64'],
      /`link` must be a link that reads each of the r = 2 directions .*got "he2" \(z2 never appears/,
    ],
    [['sweep', '--preset', 'multi', '--link', 'he2'], /`link` must be a link that reads each of the r = 2 directions/],
    [['merge', '--out', 'x.jsonl'], /no input files/],
    [['merge', 'a.jsonl'], /--out is required/],
    [['merge', 'missing.jsonl', '--out', 'x.jsonl'], /no such file: missing\.jsonl/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re, args.join(' '));
    assert.is(r.err.trimEnd().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.err}`);
  }
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"id":"a"}\n{"x":1}\n');
  const r = cli(['merge', bad, '--out', join(dir, 'o.jsonl')]);
  assert.is(r.code, 2);
  assert.match(r.err, /bad\.jsonl line 1: version` must be a string/);
});

test('help', () => {
  const r = cli(['sweep', '--help']);
  assert.is(r.code, 0);
  for (const name of ['separation', 'alpha', 'k3', 'multi', 'lq', 'soft', 'controls', '--shard i/N', '--resume'])
    assert.ok(r.out.includes(name), name);
  assert.match(cli(['--help']).out, /sweep\s+run the n\* searches/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
