// A sweep validates each trial once where it is planned (prepareTrial in the sweep driver: its id,
// memory and compute checks) and once where it runs (the worker receives a plain config). With
// --workers 0 both happen on this thread, so the count here is at most two per trial. Before
// prepareTrial, the id, the --max-hours check and the worker each validated: three per trial.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweepCommand } from '../src/node/commands/sweep.js';
import { trialValidationCount } from '../src/trial/config.js';
import { smallAdaptiveFlags } from './helpers/cli.js';

test('a sweep through the CLI path validates each trial at most once in the parent and once in the worker', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'prunelab-validations-')), 'r.jsonl');
  const write = process.stdout.write.bind(process.stdout);
  const ewrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  const before = trialValidationCount();
  let code: number;
  try {
    code = await runSweepCommand([...smallAdaptiveFlags(6), '--workers', '0', '--out', out]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = ewrite;
  }
  const validations = trialValidationCount() - before;
  const trials = readFileSync(out, 'utf8').trim().split('\n').length;
  assert.is(code, 0);
  assert.ok(trials >= 4, `${trials} trials`);
  assert.ok(validations <= 2 * trials, `${validations} validations for ${trials} trials`);
  // and not fewer than the worker's own: every trial is validated where it runs
  assert.ok(validations >= trials, `${validations} validations for ${trials} trials`);
});

test.run();
