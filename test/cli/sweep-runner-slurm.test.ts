// `prunelab sweep --runner slurm` without a cluster: a stand-in `srun` first on PATH runs the step's
// command as srun would (dropping srun's own options) and fails chosen calls the way a killed step
// does (exit 137, "task 0: Killed"). The retries, the stop naming the trial, --resume after it and
// the refusals are checked here on every machine; test/slurm/ runs the same against real Slurm.
// Deterministic: no statistical assertion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canon, lines } from '../helpers/cli.js';
import { BIN, prunelab } from '../helpers/slurm.js';

// a smaller sweep than test/slurm's (every step here is a process start): one d, 6 trials
const SWEEP = ['sweep', '--preset', 'separation', '--d', '64', '--methods', 'hermite-thr', '--max-trials', '6'];

const dir = mkdtempSync(join(tmpdir(), 'prunelab-runner-slurm-'));
const bin = join(dir, 'bin');
mkdirSync(bin);
// call k (counted atomically with mkdir: steps run concurrently) sleeps FAKE_SRUN_SLEEP seconds (and says so),
// then fails when k <= FAKE_SRUN_FAILS or k > FAKE_SRUN_OK_CALLS; the first call's arguments and
// every call's pid are kept for inspection; FAKE_SRUN_SED edits what the step prints
writeFileSync(
  join(bin, 'srun'),
  `#!/bin/bash
k=1; while ! mkdir "$FAKE_SRUN_DIR/call.$k" 2>/dev/null; do k=$((k+1)); done
echo $$ > "$FAKE_SRUN_DIR/call.$k/pid"
[ "$k" = 1 ] && printf '%s\\n' "$@" > "$FAKE_SRUN_DIR/first-args"
sleep "\${FAKE_SRUN_SLEEP:-0}" && touch "$FAKE_SRUN_DIR/call.$k/slept"
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done; shift
if [ "$k" -le "\${FAKE_SRUN_FAILS:-0}" ] || [ "$k" -gt "\${FAKE_SRUN_OK_CALLS:-1000000}" ]; then
  echo "srun: error: node1: task 0: Killed" >&2; exit 137
fi
if [ -n "\${FAKE_SRUN_SED:-}" ]; then "$@" | sed "$FAKE_SRUN_SED"; exit "\${PIPESTATUS[0]}"; fi
exec "$@"
`,
);
chmodSync(join(bin, 'srun'), 0o755);

let run = 0;
/** The environment of a fake allocation of 2 tasks under the stand-in srun, with a fresh call count. */
function fakeAllocation(fake: Record<string, string>) {
  const calls = join(dir, `calls-${run++}`);
  mkdirSync(calls);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    SLURM_JOB_ID: '4242',
    SLURM_NTASKS: '2',
    FAKE_SRUN_DIR: calls,
    ...fake,
  };
  return { env, calls };
}

function slurmSweep(args: string[], fake: Record<string, string> = {}) {
  const { env, calls } = fakeAllocation(fake);
  return { ...prunelab(dir, [...SWEEP, '--runner', 'slurm', ...args], env), calls };
}

const started = (calls: string) => readdirSync(calls).filter((f) => f.startsWith('call.'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts a sweep of steps that sleep first, sends `interrupts` SIGINTs once two steps run, and waits for its exit. */
async function interrupted(out: string, interrupts: number, sleepSeconds: number) {
  const { env, calls } = fakeAllocation({ FAKE_SRUN_SLEEP: String(sleepSeconds) });
  const p = spawn(process.execPath, [BIN, ...SWEEP, '--runner', 'slurm', '--out', out], { cwd: dir, env });
  let err = '';
  p.stderr.on('data', (b) => {
    err += b;
  });
  const exit = new Promise<number | null>((resolve) => p.on('exit', resolve));
  while (started(calls).length < 2 && p.exitCode === null) await sleep(20);
  const atSignal = started(calls).length;
  for (let i = 0; i < interrupts; i++) {
    p.kill('SIGINT');
    await sleep(100);
  }
  const code = await exit;
  return { code, err, calls, atSignal };
}

const local = join(dir, 'local.jsonl');
test('the local reference: the small adaptive sweep on 2 worker threads', () => {
  const r = prunelab(dir, [...SWEEP, '--workers', '2', '--out', local]);
  assert.is(r.code, 0, r.err);
  assert.is(lines(local).length, 6);
});

test('two killed steps run again; the records equal the local run; each step is srun -n1 --exact', () => {
  const out = join(dir, 'retried.jsonl');
  const r = slurmSweep(['--out', out], { FAKE_SRUN_FAILS: '2' });
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /2 worker\(s\)/, 'SLURM_NTASKS sets the concurrent steps');
  const retried = r.err
    .split('\n')
    .filter((l) =>
      /failed \(exit 137: srun: error: node1: task 0: Killed\); running it again \(retry 1 of 3\)/.test(l),
    );
  assert.is(retried.length, 2, r.err);
  assert.match(retried[0]!, /trial hermite-thr d=64 n=\d+ seed=\d+ \(id [0-9a-f]{16}\)/);
  assert.equal(canon(out), canon(local));
  const first = readFileSync(join(r.calls, 'first-args'), 'utf8').split('\n');
  for (const a of ['--ntasks=1', '--exact', '--', process.execPath, 'trial', '--json', '--max-hours=inf'])
    assert.ok(first.includes(a), `${a} in ${first.join(' ')}`);
});

test('a step that keeps failing stops the sweep naming the trial; the file stays valid; --resume finishes it', () => {
  const out = join(dir, 'stopped.jsonl');
  // the first 3 steps succeed, every later one fails: with --retries 1 the sweep stops at the first trial after them
  const r = slurmSweep(['--out', out, '--retries', '1'], { FAKE_SRUN_OK_CALLS: '3' });
  assert.is(r.code, 1, r.err);
  const stop = r.err.split('\n').find((l) => l.includes('failed 2 time(s)'));
  assert.ok(stop, r.err);
  assert.match(
    stop!,
    /^prunelab sweep: the job step for trial hermite-thr d=64 n=\d+ seed=\d+ \(id [0-9a-f]{16}\) failed 2 time\(s\), the last with exit 137: .*Killed; stopping \(records written so far are kept: rerun with --resume to continue\)$/,
  );
  assert.not.match(r.err, /internal error/);
  const kept = lines(out);
  assert.ok(kept.length >= 2 && kept.length <= 3, `${kept.length} records kept`);
  const all = new Set(canon(local));
  for (const rec of canon(out)) assert.ok(all.has(rec), 'every kept record is one of the local run');
  const resumed = slurmSweep(['--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.err);
  assert.match(resumed.err, new RegExp(`resuming ${kept.length} record\\(s\\)`));
  assert.equal(canon(out), canon(local));
});

test('Ctrl-C: no new step starts, the running steps finish and are written; --resume finishes equal to the local run', async () => {
  const out = join(dir, 'ctrl-c.jsonl');
  const r = await interrupted(out, 1, 1);
  assert.is(r.code, 130, r.err);
  assert.match(r.err, /stopping: no new trials start/);
  assert.is(started(r.calls).length, r.atSignal, 'no step started after Ctrl-C');
  assert.is(lines(out).length, r.atSignal, 'every running step was written');
  const resumed = slurmSweep(['--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.err);
  assert.equal(canon(out), canon(local));
});

test('a second Ctrl-C stops the running steps (SIGTERM to srun) and keeps the file valid', async () => {
  const out = join(dir, 'ctrl-c-twice.jsonl');
  const r = await interrupted(out, 2, 30);
  assert.is(r.code, 130, r.err);
  assert.match(r.err, /abandoning the running trials/);
  for (const c of started(r.calls)) {
    const pid = Number(readFileSync(join(r.calls, c, 'pid'), 'utf8'));
    assert.not.ok(alive(pid), `srun of ${c} (pid ${pid}) is gone`);
    assert.not.ok(existsSync(join(r.calls, c, 'slept')), `srun of ${c} was stopped, not waited for`);
  }
  assert.is(lines(out).length, 0);
});

test('a record from another build stops the sweep at once, naming both builds; nothing is written', () => {
  const out = join(dir, 'other-build.jsonl');
  const r = slurmSweep(['--out', out], { FAKE_SRUN_SED: 's/"version":"[^"]*"/"version":"9.9.9"/' });
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /ran prunelab 9\.9\.9 \(wasm [0-9a-f]{12}\), not this build, [^ ]+ \(wasm [0-9a-f]{12}\)/);
  assert.not.match(r.err, /running it again/);
  assert.is(lines(out).length, 0);
});

test('refused up front (exit 2, one line): no allocation, no task count, --workers 0, --retries without slurm', () => {
  const plain = { ...process.env, SLURM_JOB_ID: '', SLURM_NTASKS: '' };
  const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
    [['--runner', 'slurm'], plain, /SLURM_JOB_ID is not set/],
    [['--runner', 'slurm'], { ...plain, SLURM_JOB_ID: '7' }, /allocation 7 has no task count/],
    [['--runner', 'slurm', '--workers', '0'], { ...plain, SLURM_JOB_ID: '7' }, /--workers of at least 1/],
    [['--retries', '2'], plain, /`retries` must be only with --runner slurm/],
    [
      ['--runner', 'slurm', '--retries', 'x'],
      { ...plain, SLURM_JOB_ID: '7', SLURM_NTASKS: '2' },
      /`retries` must be an integer/,
    ],
    [['--runner', 'kubernetes'], plain, /`runner` must be local or slurm/],
  ];
  for (const [args, env, message] of cases) {
    const r = prunelab(dir, [...SWEEP, '--out', join(dir, 'refused.jsonl'), ...args], env);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.is(r.err.trim().split('\n').length, 1, r.err);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
