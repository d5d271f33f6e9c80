// In-trial progress (issue 12): the stages report in order, the overall fraction never goes back
// and ends at 1, listening changes no byte of the record, and the CLI prints stage, percent and ETA.
import { test } from 'uvu';
import { prepareTrial } from '../src/trial/prepare.js';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../src/index.js';
import type { TrialProgress } from '../src/index.js';
import { createNodeTrialRunner } from '../src/node/pool-node.js';
import { RunningTrials } from '../src/node/trial-progress.js';

const CONFIGS = [
  { name: 'hermite-thr, reuse', c: { d: 256, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 4096 } },
  { name: 'none, fresh, direct', c: { d: 128, alpha: 0.25, link: 'he2', method: 'none', n: 3000, batch: 'fresh' } },
  {
    name: 'none, fresh, subspace',
    c: { d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 20000, batch: 'fresh', sim: 'subspace' },
  },
  {
    name: 'none, fresh, compact',
    c: { d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 20000, batch: 'fresh', sim: 'compact' },
  },
  {
    name: 'none, reuse regenerated',
    c: { d: 512, alpha: 0.25, link: 'he2', method: 'none', n: 4096, memoryBudget: 2 ** 20 },
  },
] as const;

const ORDER = ['mask', 'first-layer', 'readout'];

for (const { name, c } of CONFIGS) {
  test(`progress of ${name}: stages in order, fraction monotone to 1, same bytes`, async () => {
    const lab = await createLab();
    const seen: TrialProgress[] = [];
    const heard = lab.trial(c as never, { onProgress: (p) => seen.push({ ...p }) });
    const silent = lab.trial(c as never);
    assert.is(JSON.stringify(heard.metrics), JSON.stringify(silent.metrics));
    assert.is(heard.id, silent.id);
    assert.ok(seen.length >= 3, `${seen.length} reports`);
    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i]!.fraction >= seen[i - 1]!.fraction, `fraction went back at report ${i}`);
      assert.ok(ORDER.indexOf(seen[i]!.stage) >= ORDER.indexOf(seen[i - 1]!.stage), `stage went back at report ${i}`);
    }
    const last = seen[seen.length - 1]!;
    assert.is(last.stage, 'readout');
    assert.is(last.fraction, 1);
    assert.ok(seen.some((p) => p.stage === 'first-layer' && p.fraction > 0 && p.fraction < 1));
  });
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'prunelab.js');
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const T = ['trial', '--d', '256', '--alpha', '0.25', '--link', 'he2', '--method', 'none', '--n', '8192'];

test('CLI: --progress always prints stage, percent and ETA lines on stderr; stdout keeps the record', () => {
  const r = cli([...T, '--progress', 'always', '--json']);
  assert.is(r.code, 0, r.err);
  const lines = r.err.trimEnd().split('\n');
  assert.ok(lines.length >= 3, r.err);
  assert.ok(
    lines.every((l) => /^trial: stage [123]\/3 [a-z ]+ +\d+% {2}\d+:\d\d elapsed/.test(l)),
    r.err,
  );
  assert.ok(
    lines.some((l) => /ETA ~\d+:\d\d$/.test(l)),
    r.err,
  );
  assert.match(lines[lines.length - 1]!, /stage 3\/3 readout {2}100%/);
  assert.is(JSON.parse(r.out).config.d, 256);
});

test('CLI: auto is silent for a short trial; a bad mode is a one-line error naming the flag', () => {
  const quiet = cli([...T, '--json']);
  assert.is(quiet.code, 0, quiet.err);
  assert.is(quiet.err, '');
  const bad = cli([...T, '--progress', 'loud']);
  assert.is(bad.code, 2);
  assert.match(bad.err, /`progress` must be auto, always or never, got "loud"/);
});

test("a pool worker forwards a trial's progress to the sweep, ending at 1; the sweep bar names the oldest trial", async () => {
  const runner = await createNodeTrialRunner({ workers: 1 });
  try {
    const seen: TrialProgress[] = [];
    const c = CONFIGS[0].c;
    const rec = await runner.run(prepareTrial(c), { onProgress: (p) => seen.push(p) });
    assert.ok(seen.length >= 2, `${seen.length} reports`);
    assert.is(seen[seen.length - 1]!.fraction, 1);
    const lab = await createLab();
    assert.is(JSON.stringify(rec.metrics), JSON.stringify(lab.trial(c as never).metrics));
  } finally {
    await runner.pool.close();
  }
  const trials = new RunningTrials();
  const a = trials.start('none d=4096 n=1000');
  const b = trials.start('hermite-thr d=256 n=64');
  assert.is(trials.note(), '', 'nothing has run for long');
  a.onProgress({ stage: 'first-layer', stageFraction: 0.5, fraction: 0.5 });
  b.onProgress({ stage: 'mask', stageFraction: 0.5, fraction: 0.1 });
  assert.match(trials.note(Date.now() + 10_000), /^none d=4096 n=1000 at 50% \(stage 2\/3, ETA ~0:1\d\)$/);
  a.end();
  assert.match(trials.note(Date.now() + 10_000), /^hermite-thr d=256 n=64 at 10% \(stage 1\/3/);
  b.end();
  assert.is(trials.note(Date.now() + 10_000), '');
});

test.run();
