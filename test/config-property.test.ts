// Property-based tests of validateConfig (fast-check): whatever JSON comes in, the answer is a
// valid config or a ConfigError that names a field of the input or of the config, never a crash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { ConfigError } from '../src/core/errors.js';
import { TRIAL_FIELDS, validateConfig } from '../src/trial/config.js';

const FIELDS = Object.keys(TRIAL_FIELDS);

/** Values near the valid ones (and their edges) as well as any JSON. */
const value = fc.oneof(
  fc.jsonValue(),
  fc.integer({ min: -3, max: 70000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(
    'he2',
    'he3',
    'he2+he3',
    'sum-he2',
    'prod2',
    '0.8*he2+0.6*he4',
    'he',
    '',
    'inf',
    'none',
    'hermite-thr',
  ),
  fc.constantFrom('exact', 'lq', 'flat', 'gaussian', 'reuse', 'fresh', 'oracle', 'random', 'gradmag', 'hermite'),
  fc.array(
    fc.record({ coef: fc.jsonValue(), degrees: fc.oneof(fc.jsonValue(), fc.array(fc.integer({ min: -2, max: 14 }))) }),
  ),
  fc.constant(Infinity),
);
const nearValid = fc.record(
  {
    d: fc.oneof(fc.integer({ min: 1, max: 4096 }), value),
    alpha: fc.oneof(fc.double({ min: 0.01, max: 1, noNaN: true }), value),
    link: fc.oneof(fc.constantFrom('he2', 'he3', 'sum-he2', 'prod2'), value),
    method: fc.oneof(fc.constantFrom('none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'), value),
    n: fc.oneof(fc.integer({ min: 1, max: 100000 }), value),
    ...Object.fromEntries(
      FIELDS.filter((f) => !['d', 'alpha', 'link', 'method', 'n'].includes(f)).map((f) => [f, value]),
    ),
  },
  { requiredKeys: [] },
);
const validCore = fc.record({
  d: fc.integer({ min: 1, max: 4096 }),
  alpha: fc.double({ min: 0.05, max: 1, noNaN: true }),
  link: fc.constantFrom('he2', 'he3', 'he2+he3'),
  method: fc.constantFrom('none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'),
  n: fc.integer({ min: 2, max: 100000 }),
});
/** A valid core with one field replaced or added by anything. */
const oneOff = fc
  .tuple(validCore, fc.constantFrom(...FIELDS, 'frobnicate'), value)
  .map(([c, k, v]) => ({ ...c, [k]: v }));
const anyInput = fc.oneof(fc.jsonValue(), nearValid, fc.dictionary(fc.string(), value), validCore, oneOff);

function verdict(input: unknown): 'valid' | 'config-error' {
  try {
    validateConfig(input);
    return 'valid';
  } catch (e) {
    if (!(e instanceof ConfigError))
      throw new Error(`not a ConfigError for ${JSON.stringify(input)}: ${(e as Error)?.stack ?? e}`);
    const keys = typeof input === 'object' && input !== null ? Object.keys(input) : [];
    if (!(FIELDS.includes(e.field) || keys.includes(e.field) || e.field === 'trial config'))
      throw new Error(`ConfigError names ${JSON.stringify(e.field)}, not a field, for ${JSON.stringify(input)}`);
    if (e.message.includes('\n')) throw new Error(`a message of more than one line: ${e.message}`);
    return 'config-error';
  }
}

test('any JSON: a valid config or a ConfigError naming a field, never a crash', () => {
  const seen = { valid: 0, 'config-error': 0 };
  fc.assert(
    fc.property(anyInput, (input) => {
      seen[verdict(input)]++;
    }),
    { numRuns: 3000, seed: 12 },
  );
  // the generator reaches both outcomes, so the property is not vacuous
  assert.ok(seen.valid > 50, JSON.stringify(seen));
  assert.ok(seen['config-error'] > 500, JSON.stringify(seen));
});

test('validation never modifies its input', () => {
  fc.assert(
    fc.property(nearValid, (input) => {
      const before = JSON.stringify(input);
      verdict(input);
      return JSON.stringify(input) === before;
    }),
    { numRuns: 1000, seed: 13 },
  );
});

test('the property has power: a checker that crashes on odd input is caught', () => {
  const crashing = (input: unknown) => {
    if (typeof input === 'object' && input !== null && typeof (input as { d?: unknown }).d === 'string')
      (undefined as unknown as { x: number }).x;
    return verdict(input);
  };
  assert.throws(() =>
    fc.assert(
      fc.property(anyInput, (i) => void crashing(i)),
      { numRuns: 3000, seed: 12 },
    ),
  );
});

test.run();
