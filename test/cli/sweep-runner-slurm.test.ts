// `prunelab sweep --runner slurm` without a cluster: a stand-in `srun` first on PATH runs the step's
// command as srun would (dropping srun's own options) and fails chosen calls the way a killed step
// does (exit 137, "task 0: Killed"). The retries, the stop naming the trial, --resume after it and
// the refusals are checked here on every machine; test/slurm/ runs the same against real Slurm.
// Deterministic: no statistical assertion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canon, lines } from '../helpers/cli.js';
import { SMALL_ADAPTIVE, prunelab } from '../helpers/slurm.js';

const dir = mkdtempSync(join(tmpdir(), 'prunelab-runner-slurm-'));
const bin = join(dir, 'bin');
mkdirSync(bin);
// call k (counted atomically with mkdir: steps run concurrently) fails when k <= FAKE_SRUN_FAILS
// or k > FAKE_SRUN_OK_CALLS; the first call's arguments are kept for inspection
writeFileSync(
  join(bin, 'srun'),
  `#!/bin/bash
k=1; while ! mkdir "$FAKE_SRUN_DIR/call.$k" 2>/dev/null; do k=$((k+1)); done
[ "$k" = 1 ] && printf '%s\\n' "$@" > "$FAKE_SRUN_DIR/first-args"
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done; shift
if [ "$k" -le "\${FAKE_SRUN_FAILS:-0}" ] || [ "$k" -gt "\${FAKE_SRUN_OK_CALLS:-1000000}" ]; then
  echo "srun: error: node1: task 0: Killed" >&2; exit 137
fi
exec "$@"
`,
);
chmodSync(join(bin, 'srun'), 0o755);

let run = 0;
/** A sweep under the stand-in srun, in a fake allocation of 2 tasks, with a fresh call count. */
function slurmSweep(args: string[], fake: Record<string, string> = {}) {
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
  return { ...prunelab(dir, [...SMALL_ADAPTIVE, '--runner', 'slurm', ...args], env), calls };
}

const local = join(dir, 'local.jsonl');
test('the local reference: the small adaptive sweep on 2 worker threads', () => {
  const r = prunelab(dir, [...SMALL_ADAPTIVE, '--workers', '2', '--out', local]);
  assert.is(r.code, 0, r.err);
  assert.ok(lines(local).length >= 8, `${lines(local).length} records`);
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
  // the first 5 steps succeed, every later one fails: with --retries 1 the sweep stops at the first trial after them
  const r = slurmSweep(['--out', out, '--retries', '1'], { FAKE_SRUN_OK_CALLS: '5' });
  assert.is(r.code, 1, r.err);
  const stop = r.err.split('\n').find((l) => l.includes('failed 2 time(s)'));
  assert.ok(stop, r.err);
  assert.match(
    stop!,
    /^prunelab sweep: the job step for trial hermite-thr d=\d+ n=\d+ seed=\d+ \(id [0-9a-f]{16}\) failed 2 time\(s\), the last with exit 137: .*Killed; stopping \(records written so far are kept: rerun with --resume to continue\)$/,
  );
  assert.not.match(r.err, /internal error/);
  const kept = lines(out);
  assert.ok(kept.length >= 3 && kept.length <= 5, `${kept.length} records kept`);
  const all = new Set(canon(local));
  for (const rec of canon(out)) assert.ok(all.has(rec), 'every kept record is one of the local run');
  const resumed = slurmSweep(['--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.err);
  assert.match(resumed.err, new RegExp(`resuming ${kept.length} record\\(s\\)`));
  assert.equal(canon(out), canon(local));
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
    const r = prunelab(dir, [...SMALL_ADAPTIVE, '--out', join(dir, 'refused.jsonl'), ...args], env);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.is(r.err.trim().split('\n').length, 1, r.err);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
