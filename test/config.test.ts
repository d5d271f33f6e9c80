import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  validateTeacherConfig,
  validateTeacherSpec,
  validateTrialSpec,
  validateConfig,
  sampleSplit,
  readFields,
  TEACHER_FIELDS,
  TEACHER_DEFAULTS,
} from '../src/trial/config.js';
import { parseLink } from '../src/trial/link.js';
import { ConfigError } from '../src/core/errors.js';

test('defaults are filled and s is resolved from alpha', () => {
  const c = validateTeacherConfig({ d: 1024, alpha: 0.25, link: 'he2' });
  assert.equal(c, {
    d: 1024,
    alpha: 0.25,
    s: 6,
    r: 1,
    sparsity: 'exact',
    entries: 'flat',
    q: 0.5,
    link: 'he2',
    noise: 0.1,
    seed: 1,
  });
  assert.equal(TEACHER_DEFAULTS, { r: 1, sparsity: 'exact', entries: 'flat', q: 0.5, noise: 0.1, seed: 1 });
  const s = validateTeacherConfig({ d: 100, s: 7, link: 'sum-he3', r: 2, seed: 0, noise: 0 });
  assert.is(s.s, 7);
  assert.is(s.alpha, undefined);
  // both, when consistent
  assert.is(validateTeacherConfig({ d: 1024, alpha: 0.25, s: 6, link: 'he2' }).s, 6);
  // validating a validated config changes nothing
  assert.equal(validateTeacherConfig(c), c);
});

test('the input is never modified', () => {
  const input = Object.freeze({
    d: 64,
    alpha: 0.5,
    link: Object.freeze([Object.freeze({ coef: 1, degrees: Object.freeze([2]) })]),
  });
  const c = validateTeacherConfig(input);
  assert.not.ok('s' in input);
  assert.is.not(c.link, input.link);
});

const base = { d: 1000, alpha: 0.5, link: 'he2' };
const bad: [string, Record<string, unknown>][] = [
  ['d', { d: NaN }],
  ['d', { d: Infinity }],
  ['d', { d: -Infinity }],
  ['d', { d: 0 }],
  ['d', { d: 10.5 }],
  ['d', { d: 2 ** 31 }],
  ['d', { d: '1000' }],
  ['d', { d: undefined, alpha: 0.5 }],
  ['alpha', { alpha: 0 }],
  ['alpha', { alpha: 1.5 }],
  ['alpha', { alpha: -0.1 }],
  ['alpha', { alpha: NaN }],
  ['alpha', { alpha: Infinity }],
  ['alpha', { alpha: '0.5' }],
  ['alpha', { alpha: undefined }],
  ['s', { alpha: undefined, s: 0 }],
  ['s', { alpha: undefined, s: 1001 }],
  ['s', { alpha: undefined, s: 2.5 }],
  ['s', { alpha: undefined, s: NaN }],
  ['s', { s: 31 }], // inconsistent with round(1000^0.5) = 32
  ['r', { r: 0 }],
  ['r', { r: 17 }],
  ['r', { r: 1.5 }],
  ['r', { r: NaN }],
  ['r', { d: 3, alpha: 1, r: 4 }],
  ['r', { alpha: 0.1, r: 3 }],
  ['sparsity', { sparsity: 'dense' }],
  ['sparsity', { sparsity: 1 }],
  ['entries', { entries: 'uniform' }],
  ['entries', { sparsity: 'lq', entries: 'gaussian' }],
  ['q', { q: 0 }],
  ['q', { q: 2 }],
  ['q', { q: -1 }],
  ['q', { q: NaN }],
  ['q', { q: Infinity }],
  ['link', { link: 'he0' }],
  ['link', { link: 'foo' }],
  ['link', { link: '' }],
  ['link', { link: 3 }],
  ['link', { link: undefined }],
  ['link', { link: 'prod2' }],
  ['link', { link: [{ coef: 1, degrees: [2, 0] }] }],
  ['noise', { noise: -0.1 }],
  ['noise', { noise: NaN }],
  ['noise', { noise: Infinity }],
  ['noise', { noise: '0.1' }],
  ['seed', { seed: -1 }],
  ['seed', { seed: 1.5 }],
  ['seed', { seed: 2 ** 53 }],
  ['seed', { seed: NaN }],
  ['seed', { seed: null }],
  ['frobnicate', { frobnicate: 1 }],
  ['Alpha', { Alpha: 0.5 }],
];

test('a trial spec carries the validated config, the teacher part with its parsed link, and the split', () => {
  for (const input of [
    { d: 1024, alpha: 0.25, link: 'he3+he2', method: 'hermite-thr', n: 4001, seed: 3 },
    { d: 100, s: 7, r: 2, link: [{ coef: 2, degrees: [1, 1] }], method: 'none', n: 512, noise: 0 },
    { d: 300, alpha: 0.5, sparsity: 'lq', q: 1, link: 'sum-he2', r: 3, method: 'gradmag', n: 999, split: 0.3 },
  ]) {
    const what = JSON.stringify(input);
    const spec = validateTrialSpec(input);
    assert.equal(spec.config, validateConfig(input), what);
    // the teacher part is what validating the teacher fields alone gives, link parsed for its r
    const { method: _m, n: _n, split: _s, ...teacherInput } = input as Record<string, unknown>;
    assert.equal(spec.teacher.config, validateTeacherConfig(teacherInput), what);
    assert.equal(spec.teacher, validateTeacherSpec(teacherInput), what);
    assert.equal(spec.teacher.link, parseLink(input.link, spec.config.r), what);
    assert.equal({ n1: spec.n1, n2: spec.n2 }, sampleSplit(spec.config), what);
  }
  // and bad input fails there, with the field named
  assert.throws(
    () => validateTrialSpec({ d: 64, alpha: 0.5, link: 'he2(z2)', method: 'none', n: 64 }),
    (e: unknown) => e instanceof ConfigError && e.field === 'link',
  );
});

test('bad input for every field throws a ConfigError naming the field', () => {
  for (const [field, patch] of bad) {
    const input = { ...base, ...patch };
    for (const k of Object.keys(input))
      if ((input as Record<string, unknown>)[k] === undefined) delete (input as Record<string, unknown>)[k];
    try {
      validateTeacherConfig(input);
      assert.unreachable(`no error for ${JSON.stringify(patch)}`);
    } catch (e) {
      assert.instance(e, ConfigError, `${JSON.stringify(patch)}: ${(e as Error).message}`);
      assert.is((e as ConfigError).field, field, `${JSON.stringify(patch)}: ${(e as Error).message}`);
      assert.match((e as Error).message, new RegExp(`\`${field}\` must be`));
    }
  }
  for (const notObject of [null, 3, 'he2', [1, 2]]) {
    assert.throws(
      () => validateTeacherConfig(notObject),
      (e: unknown) => e instanceof ConfigError && e.field === 'teacher config',
    );
  }
});

test('messages say what is allowed', () => {
  assert.throws(() => validateTeacherConfig({ ...base, alpha: 1.5 }), /`alpha` must be a number in \(0, 1\], got 1\.5/);
  assert.throws(() => validateTeacherConfig({ ...base, s: 31 }), /round\(d\^alpha\) = 32/);
  assert.throws(
    () => validateTeacherConfig({ ...base, zeta: 1 }),
    /`zeta` must be a known field of the teacher config \(d, alpha, s, r, sparsity, entries, q, gamma, link, noise, seed\)/,
  );
});

test('a link that never reads some of the r directions is refused on link, naming r; links on every direction pass', () => {
  const refused: [Record<string, unknown>, RegExp][] = [
    [
      { r: 2, link: 'he2' },
      /^`link` must be a link that reads each of the r = 2 directions \(e\.g\. sum-he2 or prod2\), got "he2" \(z2 never appears in it, so that direction of V could not change a label; lower r to 1, or give z2 a term\)$/,
    ],
    [
      { r: 2, link: 'he2(z2)+he3(z2)' },
      /got "he2\(z2\)\+he3\(z2\)" \(z1 never appears in it.*use r = 1, numbering the directions it reads from z1/,
    ],
    [{ r: 3, link: 'prod2' }, /r = 3 directions .*got "prod2" \(z3 never appears in it.*lower r to 2/],
    [{ r: 3, link: 'he2(z1)*he1(z3)' }, /\(z2 never appears/],
    [
      { r: 4, link: 'he2' },
      /\(z2, z3, z4 never appear in it, so those directions of V could not change a label; lower r to 1/,
    ],
    [{ r: 2, link: [{ coef: 1, degrees: [2, 0] }] }, /r = 2 directions .*\(z2 never appears/],
  ];
  for (const [patch, re] of refused) {
    const what = JSON.stringify(patch);
    try {
      validateTeacherConfig({ ...base, ...patch });
      assert.unreachable(`no error for ${what}`);
    } catch (e) {
      assert.instance(e, ConfigError, what);
      assert.is((e as ConfigError).field, 'link', what);
      assert.match((e as Error).message, re, what);
    }
  }
  for (const link of ['sum-he2', 'prod2', 'he2(z1)*he1(z2)+he3(z2)', 'he2(z1)+he4(z2)', [{ coef: 1, degrees: [1, 1] }]])
    assert.is(validateTeacherConfig({ ...base, r: 2, link }).r, 2, JSON.stringify(link));
  assert.is(validateTeacherConfig({ ...base, r: 1, link: 'he2' }).r, 1);
});

test('readFields works for any table (the trial fields will join this way)', () => {
  const table = {
    ...TEACHER_FIELDS,
    m: {
      default: 32,
      check: (v: unknown, f: string) => {
        if (v !== 32 && v !== 64) throw new ConfigError(f, v, '32 or 64');
        return v;
      },
    },
  };
  assert.is(readFields(table, { d: 5, link: 'he2' }).m, 32);
  assert.throws(() => readFields(table, { d: 5, link: 'he2', m: 7 }), /`m` must be 32 or 64, got 7/);
});

test.run();
