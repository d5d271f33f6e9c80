// Resources refused up front as bad input (DESIGN §3, §4): memory beyond wasm32 and compute beyond
// --max-hours exit 2 with one line and no stack trace; the estimate states its counts and rates.
import { test } from 'uvu';
import { formatDuration } from '../../src/core/duration.js';
import { prepareTrial } from '../../src/trial/prepare.js';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfig } from '../../src/trial/config.js';
import {
  OPTIMISTIC_RATES,
  PESSIMISTIC_RATES,
  checkCompute,
  directTrialWork,
  estimateSeconds,
  type Rates,
} from '../../src/trial/cost.js';
import { ResourceError } from '../../src/core/errors.js';
import { oversubscription } from '../../src/node/pool-node.js';
import { canon } from '../helpers/cli.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'prunelab.js');
const child = fileURLToPath(new URL('../helpers/sweep-child.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prunelab-res-'));
/** The fake-trial child's one-seed √2-grid search of the separation preset over `d`. */
const searchSweep = (d: string[], workers: number, out: string, extra: string[], env: Record<string, string> = {}) =>
  spawnSync(
    process.execPath,
    [
      child,
      '--preset',
      'separation',
      '--design',
      'search',
      '--d',
      d.join(','),
      '--seeds',
      '1',
      '--workers',
      String(workers),
      '--out',
      out,
      ...extra,
    ],
    { encoding: 'utf8', cwd: dir, env: { ...process.env, ...env } },
  );
const cli = (args: string[], timeout?: number) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: dir, timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const T = ['trial', '--alpha', '0.25', '--link', 'he2'];
function refusedOneLine(r: { code: number | null; err: string }, re: RegExp) {
  assert.is(r.code, 2, r.err);
  assert.match(r.err, re);
  assert.is(r.err.trimEnd().split('\n').length, 1, r.err);
  assert.not.match(r.err, /\n\s+at /, 'no stack trace');
}

test('memory beyond wasm32 exits 2 with the size', () => {
  refusedOneLine(
    cli([...T, '--d', '1000000000', '--method', 'hermite-thr', '--n', '4096']),
    /^prunelab trial: a trial at d = 1000000000 .* needs [\d.]+ GiB of wasm memory, beyond the 4 GiB/,
  );
});

test('a trial estimated beyond --max-hours exits 2 stating FLOP, rates and time', () => {
  refusedOneLine(
    cli([...T, '--d', '65536', '--method', 'none', '--n', '4000000']),
    /needs about 2\.7e14 FLOP, 2\.1e12 normals .*: about [\d.]+ (h|days) at [\d.]+ GFLOP\/s.*measured on this machine.*beyond --max-hours 1;/,
  );
  // the case: 0.33 h at the optimistic rates, ~2 h measured here (so 4x of margin for a
  // faster machine); a screen at optimistic rates started it (the timeout turns that into a failure)
  refusedOneLine(
    cli([...T, '--d', '65536', '--method', 'none', '--n', '1000000', '--max-hours', '0.5'], 120_000),
    /needs about 6\.7e13 FLOP.*measured on this machine.*beyond --max-hours 0\.5;/,
  );
  refusedOneLine(
    cli([...T, '--d', '4096', '--method', 'none', '--n', '16384', '--max-hours', '0.0001']),
    /beyond --max-hours 0\.0001/,
  );
  refusedOneLine(
    cli([...T, '--d', '256', '--method', 'none', '--n', '64', '--max-hours', '-1']),
    /`max-hours` must be/,
  );
  const ok = cli([...T, '--d', '256', '--method', 'none', '--n', '64', '--max-hours', '0.001', '--json']);
  assert.is(ok.code, 0, ok.err);
});

test('a sweep stops (exit 2) before a trial beyond --max-hours, keeping the file', () => {
  const out = join(dir, 's.jsonl');
  const r = searchSweep(['256,1024'], 1, out, ['--max-hours', '1e-9']);
  refusedOneLine(
    {
      code: r.status,
      err: r.stderr
        .split('\n')
        .filter((l) => !/^prunelab sweep .*chain/.test(l))
        .join('\n'),
    },
    /beyond --max-hours 1e-9/,
  );
});

test('more workers than cores: a warning with the memory they cost, the same records', () => {
  const cores = availableParallelism();
  const run = (workers: number) => {
    const out = join(dir, `w${workers}.jsonl`);
    const r = searchSweep(['256'], workers, out, [], { PRUNELAB_FAKE_MS: '1' });
    assert.is(r.status, 0, r.stderr);
    return { err: r.stderr, records: canon(out) };
  };
  const fit = run(cores),
    over = run(cores + 1);
  assert.not.match(fit.err, /warning/);
  assert.match(
    over.err,
    new RegExp(
      `\\nprunelab sweep: warning: --workers ${cores + 1} is more than the ${cores} core\\(s\\) this process may use: trials run no faster than with --workers ${cores}, and each worker holds about 18 MB besides its trial \\(${18 * (cores + 1)} MB in all\\)\\n`,
    ),
  );
  assert.equal(over.records, fit.records);
  assert.is(
    oversubscription(1000, 2),
    '--workers 1000 is more than the 2 core(s) this process may use: trials run no faster than with --workers 2, and each worker holds about 18 MB besides its trial (17.6 GB in all)',
  );
  assert.is(oversubscription(2, 2), null);
});

test('the work counts follow the pipeline (dense reuse: 4 n2 d m T + 2 (n3 + nTest) d m FLOPs)', () => {
  const c = validateConfig({ d: 1024, alpha: 0.25, link: 'he2', method: 'none', n: 4096 });
  const w = directTrialWork(c);
  assert.is(w.flops, 4 * 4096 * 1024 * 32 * 8 + 2 * 7000 * 1024 * 32);
  assert.is(w.normals, 32 * 1024 + 4096 * 1024 + 7000 * 1024);
  assert.is(w.hermiteSamples, 0);
  const p = directTrialWork(validateConfig({ d: 1024, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 4096 }));
  assert.is(p.hermiteSamples, 2048 * 1024);
  assert.ok(p.flops < w.flops / 100, 'a pruned trial does 1% of the dense GEMM work at s = 6');
  const rates: Rates = { flopsPerSecond: 1e9, normalsPerSecond: 1e8, hermiteSamplesPerSecond: 1e8, source: 'test' };
  assert.is(estimateSeconds(w, rates), w.flops / 1e9 + w.normals / 1e8);
  // the case a screen at optimistic rates let through: within the limit at rates no machine
  // reaches, beyond it at the rates measured
  assert.ok(estimateSeconds(w, OPTIMISTIC_RATES) < estimateSeconds(w, rates) / 2);
  assert.throws(
    () => checkCompute(prepareTrial(c), estimateSeconds(w, OPTIMISTIC_RATES) / 3600, () => rates),
    (e: unknown) => e instanceof ResourceError && e.resource === 'compute',
  );
  assert.throws(
    () => checkCompute(prepareTrial(c), estimateSeconds(w, rates) / 3600 / 1.01, () => rates),
    (e: unknown) => e instanceof ResourceError && e.resource === 'compute',
  );
  checkCompute(prepareTrial(c), (estimateSeconds(w, rates) * 1.01) / 3600, () => rates);
  let measured = 0;
  const counting = () => {
    measured++;
    return rates;
  };
  // within the limit even at the pessimistic rates: no measurement
  checkCompute(prepareTrial(c), (estimateSeconds(w, PESSIMISTIC_RATES) * 1.01) / 3600, counting);
  checkCompute(prepareTrial({ d: 64, s: 2, link: 'he2', method: 'oracle', n: 64 }), 1, counting);
  assert.is(measured, 0, 'a trial within the limit at the pessimistic rates is not measured');
  checkCompute(prepareTrial(c), estimateSeconds(w, PESSIMISTIC_RATES) / 1.01 / 3600, counting);
  assert.is(measured, 1, 'beyond the pessimistic estimate, rates are measured');
});

test('estimates read as plain numbers with two significant digits', () => {
  const cases: [number, string][] = [
    [0.5, '0.5 s'],
    [59.4, '59 s'],
    [119, '120 s'],
    [150, '2.5 min'],
    [6600, '110 min'],
    [7199, '120 min'],
    [8 * 3600, '8 h'],
    [3 * 86400, '3 days'],
    [3.2e8, '10 years'],
    [1e12, '31710 years'],
  ];
  for (const [secs, text] of cases) assert.is(formatDuration(secs * 1000, 'approx'), text, `${secs} s`);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
