import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ResultsFileError,
  diffApartFromTimings,
  mergeRecords,
  parseJsonl,
  toJsonlLine,
} from '../src/experiment/results.js';
import { JsonlWriter, readResults, writeResultsAtomic } from '../src/node/jsonl.js';
import type { TrialRecord } from '../src/core/types.js';
import { fakeTrial } from './helpers/fake-trial.js';

const rec = (n: number, seed = 1) => fakeTrial({ d: 256, method: 'none', alpha: 0.25, link: 'he2', n, seed });
const dir = mkdtempSync(join(tmpdir(), 'prunelab-results-'));

test('parseJsonl: records, blank lines, a torn last line, a complete last line without newline', () => {
  const a = rec(32),
    b = rec(45),
    c = rec(64);
  const text = toJsonlLine(a) + '\n' + toJsonlLine(b);
  assert.equal(parseJsonl(text).records, [a, b]);
  assert.is(parseJsonl(text).torn, null);
  const cLine = toJsonlLine(c);
  const torn = parseJsonl(text + cLine.slice(0, 40));
  assert.equal(torn.records, [a, b]);
  assert.equal(torn.torn, { keep: text.length, text: cLine.slice(0, 40) });
  const noNl = parseJsonl(text + cLine.trimEnd());
  assert.equal(noNl.records, [a, b, c]);
  assert.ok(noNl.missingNewline);
});

test('parseJsonl: damage before the last line names the line', () => {
  const a = toJsonlLine(rec(32));
  try {
    parseJsonl(a + '{"id":\n' + a, 'f.jsonl');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ResultsFileError);
    assert.match((e as Error).message, /^`f\.jsonl line 2` must be one JSON trial record per line/);
  }
  assert.throws(() => parseJsonl(a + '{"hello":1}\n', 'g.jsonl'), /`g\.jsonl line 2: id` must be a non-empty string/);
});

test('diffApartFromTimings and merge: duplicates dropped, timing-only differences are not conflicts', () => {
  const a = rec(32),
    b = rec(45);
  const a2 = { ...structuredClone(a), timings: { maskMs: 99, firstLayerMs: 1, readoutMs: 2 } };
  const a3 = structuredClone(a);
  a3.metrics.relMse = 0.5;
  assert.is(diffApartFromTimings(a, a2), null);
  assert.is(diffApartFromTimings(a, a3), 'metrics.relMse');
  const m = mergeRecords([
    { source: 'x', records: [a, b] },
    { source: 'y', records: [a2, rec(64)] },
    { source: 'z', records: [a3, b] },
  ]);
  assert.equal(
    m.records.map((r) => r.config.n),
    [32, 45, 64],
  );
  assert.is(m.records[0], a, 'the first copy is kept');
  assert.is(m.duplicates, 3);
  assert.equal(m.conflicts, [{ id: a.id, field: 'metrics.relMse', kept: 'x', dropped: 'z' }]);
});

test('JsonlWriter appends whole lines; readResults repairs a torn last line (multi-byte text too)', () => {
  const f = join(dir, 'a', 'r.jsonl');
  const w = JsonlWriter.open(f);
  const rs = [rec(32), rec(45), rec(64)];
  for (const r of rs) w.write(r);
  w.close();
  const good = readFileSync(f, 'utf8');
  assert.is(good, rs.map(toJsonlLine).join(''));
  appendFileSync(f, '{"id":"é✓ torn');
  const peek = readResults(f);
  assert.equal(peek.records, rs);
  assert.is(peek.torn!.bytes, Buffer.byteLength('{"id":"é✓ torn'));
  assert.is(readFileSync(f, 'utf8'), good + '{"id":"é✓ torn', 'without repair the file is untouched');
  const fixed = readResults(f, { repair: true });
  assert.equal(fixed.records, rs);
  assert.is(readFileSync(f, 'utf8'), good, 'truncated to the last whole line');
  const w2 = JsonlWriter.open(f);
  w2.write(rec(91));
  w2.close();
  assert.equal(
    readResults(f).records.map((r) => r.config.n),
    [32, 45, 64, 91],
  );
});

test('readResults repairs a missing final newline so appends stay line-aligned', () => {
  const f = join(dir, 'nl.jsonl');
  writeFileSync(f, toJsonlLine(rec(32)) + toJsonlLine(rec(45)).trimEnd());
  const r = readResults(f, { repair: true });
  assert.is(r.records.length, 2);
  assert.ok(r.missingNewline);
  const w = JsonlWriter.open(f);
  w.write(rec(64));
  w.close();
  assert.is(readResults(f).records.length, 3);
  assert.equal(readResults(join(dir, 'missing.jsonl')).records, []);
});

test('writeResultsAtomic writes every record and leaves no temporary file', () => {
  const f = join(dir, 'out', 'm.jsonl');
  const rs: TrialRecord[] = [rec(32, 1), rec(32, 2)];
  writeResultsAtomic(f, rs);
  assert.equal(readResults(f).records, rs);
  assert.equal(readdirSync(join(dir, 'out')), ['m.jsonl']);
  writeResultsAtomic(f, []);
  assert.is(readFileSync(f, 'utf8'), '');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
