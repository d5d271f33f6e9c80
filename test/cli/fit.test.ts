// `prunelab fit` end to end through the real bin: the text summary, the --json keys of DESIGN §4,
// bad input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { series } from '../helpers/records.js';

const dir = mkdtempSync(join(tmpdir(), 'prunelab-fit-'));
const bin = join(process.cwd(), 'bin', 'prunelab.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'fit', ...args], { encoding: 'utf8', cwd: dir });

const DS = [256, 1024, 4096];
const recs = [
  ...series({ method: 'hermite-thr', ds: [...DS, 16384], nTrue: (d) => 64 * Math.sqrt(d), seeds: 3 }),
  ...series({ method: 'none', ds: DS, nTrue: (d) => 16 * d, seeds: 3 }),
];
writeFileSync(join(dir, 'a.jsonl'), `${recs.map((r) => JSON.stringify(r)).join('\n')}\n`);

test('text: n*50 with intervals, the grid rule beside it, exponents and the Δb verdict', () => {
  const r = run('a.jsonl');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /\nn\*50 \[90% interval\]\s+d=256\s+d=1024\s+d=4096\s+d=16384\n/);
  assert.match(r.stdout, /\n {2}grid rule\s+1024\s+2048\s+4096\s+8192\n/);
  assert.match(r.stdout, /\nverdict: pruning wins: Δb = .* over d = 256, 1024, 4096\./);
});

test('--json: per learner learner, exponent, exponentCI, vs, nstar [{d, n50, ci}], and Δb', () => {
  const r = run('a.jsonl', '--json');
  assert.is(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const [setting] = j.settings;
  const pruned = setting.learners.find((l: { learner: string }) => l.learner === 'hermite-thr');
  const dense = setting.learners.find((l: { learner: string }) => l.learner === 'none');
  for (const l of [pruned, dense]) {
    for (const k of ['learner', 'exponent', 'exponentCI', 'vs', 'nstar']) assert.ok(k in l, k);
    assert.is(l.vs, 'log d');
    assert.ok(l.exponentCI[0] < l.exponent && l.exponent < l.exponentCI[1], JSON.stringify(l.exponentCI));
    for (const p of l.nstar) assert.ok(p.ci[0] < p.n50 && p.n50 < p.ci[1], JSON.stringify(p));
  }
  assert.equal(
    pruned.nstar.map((p: { d: number }) => p.d),
    [...DS, 16384],
  );
  assert.ok(Math.abs(pruned.exponent - 0.5) < 0.1 && Math.abs(dense.exponent - 1) < 0.1);
  const [c] = setting.comparisons;
  assert.equal(c.ds, DS);
  assert.ok(c.deltaBCI[1] < 0 && c.containsZero === false);
});

test('bad input: no file, a missing file, a bad --level exit 2 with one line', () => {
  for (const args of [[], ['nope.jsonl'], ['a.jsonl', '--level', '2']]) {
    const r = run(...args);
    assert.is(r.status, 2, `${args}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1);
  }
});

test.run();
