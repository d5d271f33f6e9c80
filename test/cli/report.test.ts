// `prunelab report` end to end through the real bin: exit codes, output path, torn lines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { series } from '../helpers/records.js';

const dir = mkdtempSync(join(tmpdir(), 'prunelab-report-'));
const bin = join(process.cwd(), 'bin', 'prunelab.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'report', ...args], { encoding: 'utf8', cwd: dir });

const recs = [
  ...series({ method: 'hermite-thr', ds: [256, 1024, 4096], nTrue: (_d, s) => 10 * s * s, seeds: 3 }),
  ...series({ method: 'none', ds: [256, 1024, 4096], nTrue: (d) => 2 * d, seeds: 3 }),
];
const jsonl = recs.map((r) => JSON.stringify(r)).join('\n') + '\n';
writeFileSync(join(dir, 'results.jsonl'), jsonl);

test('writes the report next to the input by default and prints its path', () => {
  const r = run('results.jsonl', '--replicates', '50');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'results.html');
  const html = readFileSync(join(dir, 'results.html'), 'utf8');
  assert.ok(html.includes('class="nstar-table"'));
  assert.is(r.stderr, '');
});

test('--out, and a torn last line is skipped with one warning', () => {
  writeFileSync(join(dir, 'torn.jsonl'), jsonl + '{"id":"half a rec');
  const r = run('torn.jsonl', '--out', 'r.html', '--replicates', '0');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'r.html');
  assert.match(r.stderr, /^prunelab report: warning: torn\.jsonl: skipped a torn last line \(line \d+/);
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.ok(existsSync(join(dir, 'r.html')));
});

test('bad input exits 2 with one line and no stack', () => {
  writeFileSync(join(dir, 'bad.jsonl'), '{"id":"x"}\n');
  writeFileSync(join(dir, 'empty.jsonl'), '\n');
  for (const [args, re] of [
    [[], /give a results file/],
    [['missing.jsonl'], /cannot read "missing\.jsonl": no such file/],
    [['bad.jsonl'], /bad\.jsonl line 1: version/],
    [['empty.jsonl'], /no trial records/],
    [['results.jsonl', '--frobnicate'], /unknown flag --frobnicate/],
    [['results.jsonl', '--replicates=-3'], /`--replicates` must be an integer in \[0, 100000\]/],
    [['results.jsonl', '--replicates', '-3'], /`--replicates` must be an integer in \[0, 100000\], got -3/],
    [['results.jsonl', '--out', join(dir, 'no', 'such', 'dir', 'r.html')], /cannot write/],
    [['results.jsonl', '--level', '2'], /`--level` must be a number in \(0, 1\)/],
    [['results.jsonl', '--criterion', 'vibes'], /`--criterion` must be success or align/],
    [['results.jsonl', '--out', 'results.jsonl'], /would overwrite an input file/],
  ] as [string[], RegExp][]) {
    const r = run(...args);
    assert.is(r.status, 2, `${args.join(' ')}: status ${r.status}, stderr ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.not.match(r.stderr, /\n\s+at /);
  }
});

test('--help prints the flags and exits 0', () => {
  const r = run('--help');
  assert.is(r.status, 0);
  assert.match(r.stdout, /--out, -o FILE/);
});

test.run();
