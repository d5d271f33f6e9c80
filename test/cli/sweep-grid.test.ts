// `prunelab sweep --design grid`: every trial fixed up front, so 8 shards run in separate
// processes and merged equal the unsharded run record for record, and `fit` gives the same answer.
// Trials are the fake ones (test/helpers/sweep-child.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canon, lines } from '../helpers/cli.js';
import { expandGrid, selectGridShard } from '../../src/experiment/design-grid.js';
import { applyOverrides, presetSpec } from '../../src/experiment/sweep.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'prunelab.js');
const child = fileURLToPath(new URL('../helpers/sweep-child.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prunelab-grid-'));
const ARGS = ['--preset', 'separation', '--design', 'grid', '--d', '256,1024', '--seeds', '2'];
const RANGE = ['--n-min', '256', '--n-max', '8192', '--workers', '1'];

function runChild(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { cwd: dir, env: { ...process.env, PRUNELAB_FAKE_MS: '0' } });
    let err = '';
    p.stderr.on('data', (b) => {
      err += b;
    });
    p.on('exit', (code) => resolve({ code, err }));
    p.on('error', reject);
  });
}

test('the grid: every cell up front, each trial its own seed, shards partition it for any N', () => {
  const spec = applyOverrides(presetSpec('separation'), { d: [256, 1024], seeds: 2 });
  const all = expandGrid(spec, { nMin: 256, nMax: 8192 });
  // 2 methods x 2 d x grid n 256..8192 (j = 6..16, 11 points) x 2 replicates
  assert.is(all.length, 2 * 2 * 11 * 2);
  const keys = all.map((t) => `${t.request.method}|${t.request.d}|${t.request.seed}`);
  assert.is(new Set(keys).size, all.length, 'no two trials of one (method, d) share a seed');
  for (const count of [1, 3, 8, 89, 100]) {
    const seen = new Set<number>();
    for (let i = 0; i < count; i++) for (const t of selectGridShard(all, { index: i, count })) seen.add(t.index);
    assert.is(seen.size, all.length, `N = ${count}`);
  }
  assert.throws(() => expandGrid(spec, { nMin: 8192, nMax: 256 }), /n-max/);
});

test('8 shards in separate processes, merged, equal the unsharded run record for record; fit agrees', async () => {
  const whole = join(dir, 'whole.jsonl');
  const w = spawnSync(process.execPath, [child, ...ARGS, ...RANGE, '--out', whole], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, PRUNELAB_FAKE_MS: '0' },
  });
  assert.is(w.status, 0, w.stderr);
  assert.match(w.stderr, /grid design, 88 of 88 trial\(s\)/);
  assert.is(lines(whole).length, 88);
  const shards = Array.from({ length: 8 }, (_, i) => join(dir, `s${i}.jsonl`));
  const runs = await Promise.all(shards.map((f, i) => runChild([...ARGS, ...RANGE, '--shard', `${i}/8`, '--out', f])));
  for (const r of runs) assert.is(r.code, 0, r.err);
  for (const f of shards) assert.ok(lines(f).length === 11, `${f}: ${lines(f).length}`);
  const merged = join(dir, 'merged.jsonl');
  const m = spawnSync(process.execPath, [bin, 'merge', ...shards, '--out', merged], { encoding: 'utf8', cwd: dir });
  assert.is(m.status, 0, m.stderr);
  assert.equal(canon(merged), canon(whole));
  const fit = (f: string) =>
    spawnSync(process.execPath, [bin, 'fit', f, '--json'], { encoding: 'utf8', cwd: dir }).stdout;
  assert.is(fit(merged), fit(whole));
  assert.ok(JSON.parse(fit(whole)).settings[0].learners.length === 2);
});

test('--n-min without --design grid, and a bad --design, are usage errors', () => {
  for (const args of [
    ['--n-min', '64'],
    ['--design', 'nope'],
  ]) {
    const r = spawnSync(process.execPath, [bin, 'sweep', ...args], { encoding: 'utf8', cwd: dir });
    assert.is(r.status, 2, r.stderr);
  }
});

test.run();
