// Results files written by another build (DESIGN §3, "Compatible builds"): `prunelab start`,
// `sweep --resume` and `merge` decide by one rule. The records are real ones, made by this build
// and then rewritten to look like another build's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrialRecord } from '../../src/core/types.js';
import { toJsonlLine } from '../../src/experiment/results.js';
import { replaySample } from '../../src/experiment/build-compat.js';
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

const OLD = { version: '0.0.9', wasmSha: 'ab'.repeat(32) };

/** The records with one of the trials this build replays changed by one part in 10^12 of a metric. */
function tampered(records: TrialRecord[]): { records: TrialRecord[]; id: string } {
  const victim = replaySample(records)[1]!;
  return {
    id: victim.id,
    records: records.map((r) =>
      r.id === victim.id ? { ...r, metrics: { ...r.metrics, relMse: r.metrics.relMse! * (1 + 1e-12) } } : r,
    ),
  };
}

test('prunelab start: another version with the same wasm, records reproduced: resumed (before: resumed into exit 2)', async () => {
  const s = await start('version-only', rewrite(REAL, { version: '0.0.9' }));
  assert.not.match(s.err, /cannot resume/);
  assert.is(s.code, 130, s.err);
  assert.match(
    s.err,
    /12 record\(s\) were made by prunelab 0\.0\.9 \(wasm [0-9a-f]{12}\) and this is prunelab 0\.1\.0 .*replaying 3 of its trials/,
  );
  assert.match(
    s.err,
    /resuming results\/separation\.jsonl \(12 records, 12 of them from another build that this one reproduces/,
  );
  assert.not.ok(existsSync(s.previous));
  assert.ok(lines(s.jsonl).length > REAL.length);
});

test('prunelab start: another wasm with the same version, records reproduced: resumed', async () => {
  const s = await start('wasm-only', rewrite(REAL, { wasmSha: OLD.wasmSha }));
  assert.is(s.code, 130, s.err);
  assert.match(s.err, /resuming results\/separation\.jsonl \(12 records, 12 of them from another build/);
  assert.not.ok(existsSync(s.previous));
});

test('prunelab start: another version (or wasm) whose replayed trial differs: moved aside, naming both builds', async () => {
  for (const build of [{ version: '0.0.9' }, { wasmSha: OLD.wasmSha }]) {
    const bad = tampered(rewrite(REAL, build));
    const s = await start(`tampered-${Object.keys(build)[0]}`, bad.records);
    assert.is(s.code, 130, s.err);
    assert.match(
      s.err,
      new RegExp(
        `not resuming results/separation\\.jsonl: 12 of its 12 records were made by prunelab (0\\.0\\.9|0\\.1\\.0 \\(wasm abababababab\\)).*, and this is prunelab 0\\.1\\.0 .*its trial ${bad.id} .* differs at metrics\\.relMse`,
      ),
    );
    assert.match(s.err, /kept the earlier results as results\/separation\.previous\.jsonl/);
    assert.equal(
      lines(s.previous),
      bad.records.map((r) => JSON.stringify(r)),
    );
  }
});

test('prunelab start: a file of this build is resumed without replaying', async () => {
  const s = await start('same', REAL);
  assert.is(s.code, 130, s.err);
  assert.match(s.err, /resuming results\/separation\.jsonl \(12 records from this build/);
  assert.not.match(s.err, /replaying/);
  assert.not.ok(existsSync(s.previous));
  assert.ok(lines(s.jsonl).length > REAL.length);
});

test('sweep --resume: records of a build this one reproduces are kept as they are, with a note of the check', () => {
  const out = join(dir, 'resume-old.jsonl');
  const old = rewrite(REAL, OLD);
  writeFileSync(out, old.map(toJsonlLine).join(''));
  const r = cli(['sweep', ...GRID_ARGS, '--out', out, '--resume']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /0 trial\(s\) run, 12 reused/);
  assert.match(
    r.err,
    /12 record\(s\) of prunelab 0\.0\.9 \(wasm abababababab\) accepted: 3 of its trials replayed byte for byte/,
  );
  assert.equal(
    lines(out),
    old.map((x) => JSON.stringify(x)),
    'the file is unchanged',
  );
  const note = JSON.parse(readFileSync(`${out}.builds.json`, 'utf8'));
  assert.is(note.checks.length, 1);
  const c = note.checks[0];
  assert.equal(c.of, OLD);
  assert.is(c.by.version, '0.1.0');
  assert.is(c.records, 12);
  assert.equal(
    c.replayed.map((x: { id: string }) => x.id),
    replaySample(old).map((x) => x.id),
  );
  assert.equal([...new Set(c.replayed.map((x: { method: string }) => x.method))].sort(), ['hermite-thr', 'none']);
  assert.is(c.command, 'prunelab sweep --resume');
  // fit and report read the file as before
  assert.is(cli(['fit', out, '--json']).code, 0);
});

test('sweep --resume: a replayed trial that differs refuses the file (exit 2, one line, both builds)', () => {
  const out = join(dir, 'resume-tampered.jsonl');
  const bad = tampered(rewrite(REAL, OLD));
  writeFileSync(out, bad.records.map(toJsonlLine).join(''));
  const r = cli(['sweep', ...GRID_ARGS, '--out', out, '--resume']);
  assert.is(r.code, 2, r.err);
  const last = r.err.trimEnd().split('\n').at(-1)!;
  assert.match(
    last,
    new RegExp(
      `^prunelab sweep: cannot resume .*resume-tampered\\.jsonl: 12 of its 12 records were made by prunelab 0\\.0\\.9 \\(wasm abababababab\\), and this is prunelab 0\\.1\\.0 \\(wasm [0-9a-f]{12}\\); its trial ${bad.id} \\(.*\\), replayed by this build, differs at metrics\\.relMse; `,
    ),
  );
  assert.not.match(r.err, /\n\s+at /, 'no stack trace');
  assert.equal(
    lines(out),
    bad.records.map((x) => JSON.stringify(x)),
    'the file is left as it was',
  );
  assert.not.ok(existsSync(`${out}.builds.json`));
});

test('merge: shards of two builds join when this build reproduces the other; otherwise refused, naming both', () => {
  const a = join(dir, 'shard-a.jsonl'),
    b = join(dir, 'shard-b.jsonl'),
    m = join(dir, 'merged.jsonl');
  const old = rewrite(REAL.slice(0, 6), OLD);
  writeFileSync(a, old.map(toJsonlLine).join(''));
  writeFileSync(b, REAL.slice(6).map(toJsonlLine).join(''));
  const r = cli(['merge', a, b, '--out', m]);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /6 record\(s\) of prunelab 0\.0\.9 \(wasm abababababab\) accepted: 3 of its trials replayed/);
  assert.equal(
    lines(m),
    [...old, ...REAL.slice(6)].map((x) => JSON.stringify(x)),
  );
  assert.equal(JSON.parse(readFileSync(`${m}.builds.json`, 'utf8')).checks[0].of, OLD);
  // one build only (whichever it is): nothing to replay, and no note
  const one = cli(['merge', a, '--out', join(dir, 'one.jsonl')]);
  assert.is(one.code, 0, one.err);
  assert.not.match(one.err, /replay/);
  assert.not.ok(existsSync(join(dir, 'one.jsonl.builds.json')));

  const bad = tampered(old);
  writeFileSync(a, bad.records.map(toJsonlLine).join(''));
  const refused = cli(['merge', a, b, '--out', join(dir, 'refused.jsonl')]);
  assert.is(refused.code, 2, refused.err);
  assert.match(
    refused.err.trimEnd().split('\n').at(-1)!,
    new RegExp(
      `^prunelab merge: cannot merge: 6 of the 12 records \\(in .*shard-a\\.jsonl\\) were made by prunelab 0\\.0\\.9 \\(wasm abababababab\\), and this is prunelab 0\\.1\\.0 \\(wasm [0-9a-f]{12}\\); its trial ${bad.id} .* differs at metrics\\.relMse`,
    ),
  );
  assert.not.ok(existsSync(join(dir, 'refused.jsonl')));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
