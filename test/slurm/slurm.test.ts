// Both cluster paths against a real single-node Slurm (scripts/slurm-up.sh; .ci/run starts it):
// - the README's job array (extracted from README.md, scaled down by its documented knobs:
//   SHARDS, sbatch's --array and flags after the script), merged, equals the unsharded run record
//   for record, and fit agrees;
// - `sweep --runner slurm` as the coordinator inside `sbatch -n 2 --wait` writes the records
//   `--workers 2` writes locally, with its trials seen as job steps in squeue;
// - a step cancelled with `scancel <job>.<step>` is run again and the records still equal.
// sbatch --wait exits 0 for a job cancelled before it started, so every test checks the records,
// not only the exit code. Without the test cluster the suite is SKIPPED with the reason; under
// CI=true it fails instead. Deterministic: no statistical assertion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canon, lines } from '../helpers/cli.js';
import { BIN, ROOT, SMALL_ADAPTIVE, prunelab, requireTestCluster } from '../helpers/slurm.js';

const env = requireTestCluster('slurm tests');
// uvu has no timeouts and scripts/test.mjs waits for each suite: never hang on a stuck cluster
setTimeout(() => {
  process.stderr.write('slurm.test: gave up after 240 s (is the test cluster stuck? squeue, scripts/slurm-up.sh)\n');
  process.exit(1);
}, 240_000).unref();

// under the spool directory slurmd uses, which every job can reach; removed at the end
const dir = mkdtempSync(join('/tmp', 'prunelab-slurm-test-'));
const seconds = (t0: number) => ((Date.now() - t0) / 1000).toFixed(1);

/** Runs `sbatch --wait` with these arguments in `dir`; resolves with its exit code and stderr. */
function sbatchWait(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; err: string }> } {
  const child = spawn('sbatch', ['--wait', '--chdir', dir, ...args], { cwd: dir, env });
  let err = '',
    out = '';
  child.stderr!.on('data', (b) => {
    err += b;
  });
  child.stdout!.on('data', (b) => {
    out += b;
  });
  const done = new Promise<{ code: number | null; err: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err: err + out }));
  });
  return { child, done };
}

/** The job id `sbatch` printed ("Submitted batch job 42"), once it has. */
async function jobIdOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b) => {
      out += b;
      const m = /Submitted batch job (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('close', () => reject(new Error(`sbatch printed no job id: ${out}`)));
  });
}

/** The job's running steps, `<job>.<step> <name>`, without its batch step. */
function steps(job: string): Array<{ id: string; name: string }> {
  const r = spawnSync('squeue', ['-h', '-s', '-j', job, '-o', '%i %j'], { env, encoding: 'utf8' });
  return (r.stdout ?? '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([id]) => id !== undefined && /^\d+\.\d+$/.test(id))
    .map(([id, name]) => ({ id: id!, name: name ?? '' }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const local = join(dir, 'local.jsonl');
test('the local reference: the small adaptive sweep on 2 worker threads', () => {
  const r = prunelab(dir, [...SMALL_ADAPTIVE, '--workers', '2', '--out', local]);
  assert.is(r.code, 0, r.err);
  assert.ok(lines(local).length >= 8);
});

/** The coordinator inside `sbatch -n 2 --wait`; `during` runs while the job does. */
async function coordinator(out: string, during?: (job: string) => Promise<void>) {
  const log = `${out}.log`;
  const sweep = [process.execPath, BIN, ...SMALL_ADAPTIVE, '--runner', 'slurm', '--out', out];
  const job = sbatchWait(['-n', '2', '-o', log, '--wrap', sweep.map((a) => `'${a}'`).join(' ')]);
  const id = await jobIdOf(job.child);
  const seen = new Set<string>();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      for (const s of steps(id)) seen.add(s.name);
      await sleep(50);
    }
  })();
  await during?.(id);
  const r = await job.done;
  watching = false;
  await watch;
  return { code: r.code, err: r.err, log: readFileSync(log, 'utf8'), steps: seen };
}

test('the coordinator in sbatch -n 2 --wait: every trial a job step, the records equal --workers 2 locally', async () => {
  const t0 = Date.now();
  const out = join(dir, 'steps.jsonl');
  const r = await coordinator(out);
  assert.is(r.code, 0, `${r.err}\n${r.log}`);
  assert.match(r.log, /2 worker\(s\)/, 'SLURM_NTASKS sets the concurrent steps');
  assert.equal(canon(out), canon(local));
  const ids = new Set(lines(out).map((l) => JSON.parse(l).id as string));
  assert.ok(r.steps.size > 0, 'job steps were seen in squeue');
  for (const name of r.steps) assert.ok(ids.has(name.replace(/^prunelab-/, '')), `step ${name} is a trial of the file`);
  process.stdout.write(`# coordinator: ${ids.size} trials as job steps in ${seconds(t0)} s (sbatch --wait included)\n`);
});

test('a step cancelled with scancel <job>.<step> runs again; the records still equal the local run', async () => {
  const t0 = Date.now();
  const out = join(dir, 'cancelled.jsonl');
  const cancelled: string[] = [];
  const r = await coordinator(out, async (job) => {
    // the first step caught running is cancelled; one that ended meanwhile is not, and the next is tried
    for (let tries = 0; tries < 400 && cancelled.length === 0; tries++) {
      const s = steps(job)[0];
      if (s && spawnSync('scancel', [s.id], { env }).status === 0) cancelled.push(s.name.replace(/^prunelab-/, ''));
      else await sleep(25);
    }
  });
  assert.is(r.code, 0, `${r.err}\n${r.log}`);
  assert.is(cancelled.length, 1, 'a running step was cancelled');
  const retry = r.log.split('\n').find((l) => l.includes(`(id ${cancelled[0]}) failed`));
  assert.ok(retry, `the cancelled step is run again:\n${r.log}`);
  assert.match(retry!, /CANCELLED|Killed|exit \d+/);
  assert.match(retry!, /running it again \(retry 1 of 3\)/);
  assert.equal(canon(out), canon(local));
  process.stdout.write(`# scancel: the step of ${cancelled[0]} cancelled and rerun; ${seconds(t0)} s\n`);
});

/** The one fenced block of README.md holding `#SBATCH --array`. */
function readmeArrayScript(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => b.includes('#SBATCH --array'));
  assert.is(blocks.length, 1, 'README.md has exactly one #SBATCH --array block');
  return blocks[0]!;
}

test("the README's array script, run by sbatch: the merged shards equal the unsharded run; fit agrees", async () => {
  const t0 = Date.now();
  const script = readmeArrayScript();
  const at = join(dir, 'array');
  // a project with prunelab installed, as the README assumes: npx finds it in node_modules/.bin
  mkdirSync(join(at, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(at, 'node_modules', 'prunelab'));
  symlinkSync(join('..', 'prunelab', 'bin', 'prunelab.js'), join(at, 'node_modules', '.bin', 'prunelab'));
  writeFileSync(join(at, 'alpha.sbatch'), script);
  // scaled down by the script's documented knobs: 4 shards, 1 CPU each, and flags after the script
  const small = ['--d', '64', '--n-max', '512', '--seeds', '2'];
  const job = spawnSync('sbatch', ['--wait', '--array=0-3', '--cpus-per-task=1', 'alpha.sbatch', ...small], {
    cwd: at,
    env: { ...env, SHARDS: '4' },
    encoding: 'utf8',
  });
  const logs = () =>
    readdirSync(at)
      .filter((f) => f.startsWith('slurm-'))
      .map((f) => readFileSync(join(at, f), 'utf8'))
      .join('\n');
  assert.is(job.status, 0, `${job.stderr}\n${logs()}`);
  const shards = [0, 1, 2, 3].map((i) => join(at, 'results', `alpha.${i}.jsonl`));
  for (const f of shards) assert.ok(lines(f).length > 0, `${f} holds records:\n${logs()}`);
  // the unsharded run: the same script as the only shard of one, outside Slurm
  mkdirSync(join(at, 'whole'));
  const w = spawnSync('bash', [join(at, 'alpha.sbatch'), ...small], {
    cwd: join(at, 'whole'),
    env: { ...env, SHARDS: '1', SLURM_ARRAY_TASK_ID: '0', SLURM_CPUS_PER_TASK: '2' },
    encoding: 'utf8',
  });
  assert.is(w.status, 0, w.stderr);
  const whole = join(at, 'whole', 'results', 'alpha.0.jsonl');
  assert.match(w.stderr, /grid design, (\d+) of \1 trial\(s\)/);
  // every trial in exactly one shard
  assert.is(
    shards.reduce((k, f) => k + lines(f).length, 0),
    lines(whole).length,
  );
  const merged = join(at, 'merged.jsonl');
  const m = prunelab(at, ['merge', ...shards, '--out', merged]);
  assert.is(m.code, 0, m.err);
  assert.equal(canon(merged), canon(whole));
  const fit = (f: string) => prunelab(at, ['fit', f, '--json']).out;
  assert.is(fit(merged), fit(whole));
  process.stdout.write(`# array: ${lines(whole).length} trials in 4 array tasks; ${seconds(t0)} s\n`);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
