// `prunelab paper` end to end, on the fake trial (its dense learner needs ~2d samples, its pruned
// one ~4·√d·log₂ d = 4·s²·log₂ d at α = 1/4, so C1's prediction holds by construction): the
// checklist printed, claims.json and claims.html written, records reused on a rerun, the README
// table generated from claims.json, the full tier's Slurm script, and bad input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseClaimsJson } from '../../src/analysis/report/claims.js';
import { fullTierScript } from '../../src/node/commands/paper.js';
import { CLAIMS } from '../../src/experiment/claims.js';

const dir = mkdtempSync(join(tmpdir(), 'prunelab-paper-'));
const child = join(process.cwd(), 'dist', 'test', 'helpers', 'paper-child.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [child, ...args], { encoding: 'utf8', cwd: dir, timeout: 240_000 });

test('C1 on the fake learner: holds, with the checklist, claims.json, claims.html and the command', () => {
  const r = run('--claim', 'C1', '--out', 'p', '--workers', '2');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^C1 {2}holds {9}single-index, k\* = 2/m);
  assert.match(r.stdout, /reproduce: prunelab paper --claim C1 --tier quick --out p/);
  const file = parseClaimsJson(readFileSync(join(dir, 'p', 'claims.json'), 'utf8'));
  assert.equal(
    file.claims.map((c) => [c.id, c.verdict, c.tier]),
    [['C1', 'holds', 'quick']],
  );
  const slope = file.claims[0]!.conditions[0]!;
  assert.ok(slope.interval!.lo <= 1 && 1 <= slope.interval!.hi, JSON.stringify(slope.interval));
  assert.match(readFileSync(join(dir, 'p', 'claims.html'), 'utf8'), /<section id="C1">/);
  assert.equal(
    readdirSync(join(dir, 'p', 'records')).filter((f) => f.endsWith('.jsonl')),
    ['k2.jsonl'],
  );
});

test('a rerun reuses every record and gives the same claims.json', () => {
  const before = readFileSync(join(dir, 'p', 'claims.json'), 'utf8');
  const r = run('--claim', 'C1', '--out', 'p', '--workers', '1');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /prunelab paper: 0 trial\(s\) run, \d+ reused/);
  assert.is(readFileSync(join(dir, 'p', 'claims.json'), 'utf8'), before);
});

test('--readme rewrites only the block between the markers, from claims.json', () => {
  const readme = join(dir, 'README.md');
  writeFileSync(readme, 'before\n<!-- claims:begin -->\nold table\n<!-- claims:end -->\nafter\n');
  const r = run('--out', 'p', '--readme', readme);
  assert.is(r.status, 0, r.stderr);
  const text = readFileSync(readme, 'utf8');
  assert.match(text, /^before\n<!-- claims:begin -->\n\| claim \|/);
  assert.match(text, /\| C1 \| single-index, k\* = 2: pruning is optimal \|.*\*\*holds\*\* \(quick\)/);
  assert.match(text, /<!-- claims:end -->\nafter\n$/);
  assert.not.match(text, /old table/);
});

test('--tier full without its records prints the Slurm array script and runs nothing', () => {
  const r = run('--claim', 'C1', '--tier', 'full', '--out', 'p');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^#!\/bin\/bash\n# The full tier of prunelab paper \(C1\): \d+ trials/);
  assert.match(r.stdout, /#SBATCH --array=0-63/);
  assert.match(r.stdout, /--shard \$SLURM_ARRAY_TASK_ID\/64/);
  assert.not.ok(existsSync(join(dir, 'p', 'records', 'full-k2-pruned.jsonl')));
});

test('bad input exits 2 with one line naming the flag', () => {
  for (const [args, re] of [
    [['--claim', 'C9'], /`claim` must be one of C1/],
    [['--tier', 'huge'], /`tier` must be quick or full/],
    [['--shard', '0/2'], /`shard` must be only with --tier full/],
    [['--readme', join(dir, 'nope.md'), '--out', 'empty'], /no empty\/claims.json/],
  ] as const) {
    const r = run(...args);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
  }
});

test("the full tier of every claim is a grid of valid trials (each n within a trial's range), printed as a script", () => {
  // every trial of the grid goes through prepareTrial: an n beyond 2^31 - 1 was a ConfigError here
  const script = fullTierScript(
    CLAIMS.map((c) => c.id),
    'results/paper',
    64,
  );
  assert.match(
    script,
    /^#!\/bin\/bash\n# The full tier of prunelab paper \(C1,C2,C3,C4,C5,C6,C7,C8\): \d+ trials in a fixed grid/,
  );
  assert.match(script, /#SBATCH --array=0-63 /);
});

test.run();
