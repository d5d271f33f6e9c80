// Results files written by another build (DESIGN §3, "Compatible builds"): `prunelab start`,
// `sweep --resume` and `merge` decide by one rule. The records are real ones, made by this build
// and then rewritten to look like another build's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrialRecord } from '../../src/core/types.js';
import { toJsonlLine } from '../../src/experiment/results.js';
import { lines } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'prunelab.js');
const dir = mkdtempSync(join(tmpdir(), 'prunelab-builds-'));

function cli(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// 12 real trials of the separation setting at d = 256, made once
const GRID = ['--preset', 'separation', '--design', 'grid', '--d', '256', '--methods', 'none,hermite-thr'];
const GRID_ARGS = [...GRID, '--n-min', '32', '--n-max', '64', '--seeds', '2', '--workers', '1'];
const real = join(dir, 'real.jsonl');
const made = cli(['sweep', ...GRID_ARGS, '--out', real]);
const REAL: TrialRecord[] = lines(real).map((l) => JSON.parse(l));

const rewrite = (records: TrialRecord[], build: Partial<Pick<TrialRecord, 'version' | 'wasmSha'>>) =>
  records.map((r) => ({ ...r, ...build }));

/**
 * `prunelab start --workers 1` in a fresh directory whose results/separation.jsonl holds `records`.
 * Once the sweep has appended a record (so it is running, with its Ctrl-C handler) it gets
 * SIGINT; a start that stops before that (exit 2) is returned as it is.
 */
function start(name: string, records: TrialRecord[]) {
  const cwd = join(dir, name);
  mkdirSync(join(cwd, 'results'), { recursive: true });
  const jsonl = join(cwd, 'results', 'separation.jsonl');
  writeFileSync(jsonl, records.map(toJsonlLine).join(''));
  return new Promise<{ code: number | null; err: string; cwd: string; jsonl: string; previous: string }>(
    (resolve, reject) => {
      const p = spawn(process.execPath, [bin, 'start', '--workers', '1'], { cwd });
      let err = '';
      p.stderr.on('data', (b) => {
        err += b;
      });
      const timer = setInterval(() => {
        const running = /resuming/.test(err)
          ? lines(jsonl).length > records.length
          : /kept the earlier/.test(err) && lines(jsonl).length > 0;
        if (running) {
          clearInterval(timer);
          p.kill('SIGINT');
        }
      }, 10);
      p.on('error', reject);
      p.on('exit', (code) => {
        clearInterval(timer);
        resolve({ code, err, cwd, jsonl, previous: join(cwd, 'results', 'separation.previous.jsonl') });
      });
    },
  );
}

test('the real records were made', () => {
  assert.is(made.code, 0, made.err);
  assert.is(REAL.length, 12);
});

test('prunelab start: a file whose records name another version (the wasm unchanged) is moved aside, not resumed into a refusal', async () => {
  const s = await start('version-only', rewrite(REAL, { version: '0.0.9' }));
  assert.not.match(s.err, /cannot resume/);
  assert.is(s.code, 130, s.err);
  assert.match(s.err, /kept the earlier results as results\/separation\.previous\.jsonl/);
  assert.is(lines(s.previous).length, REAL.length);
  assert.ok(lines(s.previous).every((l) => JSON.parse(l).version === '0.0.9'));
});

test('prunelab start: a file whose records name another wasm (the version unchanged) is moved aside', async () => {
  const s = await start('wasm-only', rewrite(REAL, { wasmSha: 'ab'.repeat(32) }));
  assert.is(s.code, 130, s.err);
  assert.match(s.err, /kept the earlier results as results\/separation\.previous\.jsonl/);
  assert.is(lines(s.previous).length, REAL.length);
});

test('prunelab start: a file of this build is resumed', async () => {
  const s = await start('same', REAL);
  assert.is(s.code, 130, s.err);
  assert.match(s.err, /resuming results\/separation\.jsonl \(12 records/);
  assert.not.ok(existsSync(s.previous));
  assert.ok(lines(s.jsonl).length > REAL.length);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
