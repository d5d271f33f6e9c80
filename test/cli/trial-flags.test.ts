// trialFlags turns a trial request back into `prunelab trial` flags (the job-step runner sends
// them to srun): flags -> config -> flags gives the same flags and the same record id, for
// hand-picked configs covering every kind of field and for random valid ones (fast-check), and
// `prunelab trial --json` run with them prints the record lab.trial makes in this process.
// Deterministic: no statistical assertion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/core/errors.js';
import type { TrialConfig } from '../../src/core/types.js';
import { parseTrialFlags, trialFlags } from '../../src/node/commands/trial.js';
import { createLab, trialId } from '../../src/trial/lab.js';

const bin = join(fileURLToPath(new URL('../../../', import.meta.url)), 'bin', 'prunelab.js');
type Request = Partial<TrialConfig>;

const EXAMPLES: Request[] = [
  { d: 64, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 256, seed: 3 },
  { d: 100, s: 7, link: 'he3', method: 'none', n: 1000, batch: 'fresh', sim: 'direct', eta: 0.5, seed: 11 },
  { d: 128, alpha: 0.5, sparsity: 'lq', q: 0.75, link: 'he2', method: 'hermite', n: 333 },
  { d: 96, alpha: 0.3, r: 2, link: 'sum-he2', entries: 'gaussian', method: 'oracle', n: 500, noise: 0, m: 8, steps: 3 },
  {
    d: 80,
    alpha: 0.4,
    link: [
      { coef: 0.8, degrees: [2] },
      { coef: 0.6, degrees: [4] },
    ],
    method: 'gradmag',
    n: 600,
    split: 0.3,
    K: 3,
    c: 1.5,
    n3: 700,
    nTest: 300,
    readoutBiases: 3,
    memoryBudget: 1 << 20,
    shortcut: false,
  },
];

function roundTrip(request: Request): void {
  const flags = trialFlags(request);
  const parsed = parseTrialFlags(flags).config;
  assert.is(trialId(parsed), trialId(request), flags.join(' '));
  assert.equal(trialFlags(parsed as Request), flags, 'flags -> config -> flags gives the same flags');
  assert.is(parsed.memoryBudget, request.memoryBudget ?? 1024 ** 3);
  assert.is(parsed.shortcut, request.shortcut === false ? false : undefined);
}

test('flags -> config -> flags: the same flags and the same record id, for every kind of field', () => {
  for (const r of EXAMPLES) roundTrip(r);
});

test('a dropped flag changes the id: the round trip can fail', () => {
  const r = EXAMPLES[1]!;
  const flags = trialFlags(r).filter((f) => !f.startsWith('--seed='));
  assert.is.not(trialId(parseTrialFlags(flags).config), trialId(r));
  const eta = trialFlags(r).map((f) => (f.startsWith('--eta=') ? '--eta=0.5000001' : f));
  assert.is.not(trialId(parseTrialFlags(eta).config), trialId(r));
});

test('random valid requests round-trip (fast-check, 300 cases)', () => {
  const request = fc.record(
    {
      d: fc.integer({ min: 8, max: 4096 }),
      alpha: fc.double({ min: 0.05, max: 1, noNaN: true }),
      link: fc.constantFrom('he2', 'he3', 'he2+he3', '0.8*he2+0.6*he4'),
      method: fc.constantFrom('none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'),
      n: fc.integer({ min: 16, max: 100000 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
      noise: fc.double({ min: 0, max: 2, noNaN: true }),
      eta: fc.oneof(fc.constant(Infinity), fc.double({ min: 1e-6, max: 10, noNaN: true })),
      split: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      batch: fc.constantFrom('reuse', 'fresh'),
      m: fc.integer({ min: 1, max: 64 }),
      steps: fc.integer({ min: 1, max: 16 }),
    },
    { requiredKeys: ['d', 'alpha', 'link', 'method', 'n'] },
  );
  let valid = 0;
  fc.assert(
    fc.property(request, (r) => {
      try {
        trialId(r);
      } catch (e) {
        if (e instanceof ConfigError) return; // an invalid combination: nothing to send
        throw e;
      }
      valid++;
      roundTrip(r as Request);
    }),
    { numRuns: 300, seed: 22 },
  );
  assert.ok(valid > 150, `only ${valid} of 300 random requests were valid`);
});

test('prunelab trial --json with the flags prints the record lab.trial makes here (timings aside)', async () => {
  const lab = await createLab();
  for (const r of [EXAMPLES[0]!, EXAMPLES[3]!]) {
    const p = spawnSync(process.execPath, [bin, 'trial', '--json', '--progress', 'never', ...trialFlags(r)], {
      encoding: 'utf8',
    });
    assert.is(p.status, 0, p.stderr);
    const { timings: _a, ...got } = JSON.parse(p.stdout);
    const { timings: _b, ...want } = lab.trial(r as Parameters<typeof lab.trial>[0]);
    assert.equal(got, want);
  }
});

test.run();
