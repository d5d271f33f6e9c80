// The demo form speaks the CLI's language (src/browser/demo/form-values.ts): `prunelab sweep` flags,
// read by the CLI's own parseSweepFlags, go to a request, to the form's values, back to a request
// and back to flags, and come out the same; a bad value in the form is the CLI's ConfigError for
// that flag, word for word. No browser: the mapping is pure (the Chromium suite drives the DOM).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { ConfigError } from '../src/core/errors.js';
import { METHODS } from '../src/core/rules.js';
import { PRESET_NAMES } from '../src/experiment/presets.js';
import { parseSweepRequest, sweepOf, sweepRequestFlags, type SweepRequest } from '../src/experiment/sweep-request.js';
import { parseSweepFlags } from '../src/node/commands/sweep.js';
import {
  FIELD_FLAGS,
  commandOf,
  fieldsOf,
  flagValuesOfQuery,
  formOf,
  formOfFlagValues,
  integerText,
  parseWorkers,
  placeholdersOf,
  queryOf,
  requestOfForm,
  type FormValues,
} from '../src/browser/demo/form-values.js';

const cli = (argv: string[]): SweepRequest => parseSweepFlags(argv).request;
const viaForm = (r: SweepRequest): SweepRequest => requestOfForm(formOf(r));

// Flags as sweepRequestFlags writes them (its order, only what differs from the defaults): all
// three designs with their options, every preset, method lists, teacher and budget overrides.
const CANONICAL: string[][] = [
  [],
  ['--d', '64,128'],
  ...PRESET_NAMES.filter((n) => n !== 'separation').map((n) => ['--preset', n]),
  ['--preset', 'alpha', '--d', '256,1024'],
  ['--d', '64,128', '--methods', 'hermite-thr,none,oracle'],
  ['--methods', 'none'],
  ['--preset', 'controls', '--methods', 'oracle,hermite-thr'],
  ['--alpha', '0.25,0.4', '--link', 'he2,he3', '--sim', 'direct', '--budget', '1048576'],
  ['--link', 'he2+he3', '--budget', '123456'],
  ['--design', 'search'],
  ['--d', '64', '--seeds', '3', '--start', '64', '--design', 'search'],
  ['--design', 'grid'],
  ['--d', '64,128', '--seeds', '2', '--design', 'grid', '--n-min', '64', '--n-max', '4096'],
  ['--target-width', '0.75', '--max-trials', '20', '--search-budget', '100000000'],
  ['--preset', 'k3', '--d', '128', '--link', 'he3', '--budget', '4294967296', '--max-trials', '10'],
  ['--preset', 'multi', '--seeds', '4', '--alpha', '0.3', '--sim', 'direct', '--design', 'search'],
];

test('flags → request → form → request → flags gives the same flags (and the same command and page address)', () => {
  for (const argv of CANONICAL) {
    const r = cli(argv);
    assert.equal(sweepRequestFlags(r), argv, `${argv.join(' ')} is written as sweepRequestFlags writes it`);
    const back = viaForm(r);
    assert.equal(sweepRequestFlags(back), argv, argv.join(' '));
    assert.equal(sweepOf(back).spec, sweepOf(r).spec, argv.join(' '));
    assert.is(commandOf(back), ['prunelab', 'sweep', ...argv].join(' '));
    assert.equal(sweepRequestFlags(parseSweepRequest(flagValuesOfQuery(queryOf(back)))), argv, queryOf(back));
  }
});

test('every field and every checkbox of the form reaches the flags (a form that dropped one would fail above)', () => {
  let checked = 0;
  for (const argv of CANONICAL) {
    const form = formOf(cli(argv));
    for (const f of Object.keys(form.fields) as (keyof FormValues['fields'])[]) {
      const without: FormValues = { ...form, fields: { ...form.fields, [f]: '' } };
      assert.not.equal(sweepRequestFlags(requestOfForm(without)), argv, `blanking ${f} in ${argv.join(' ')}`);
      checked++;
    }
    const toggled = form.methods.includes('oracle')
      ? form.methods.filter((m) => m !== 'oracle')
      : [...form.methods, 'oracle' as const];
    assert.not.equal(sweepRequestFlags(requestOfForm({ ...form, methods: toggled })), argv, 'toggling oracle');
  }
  assert.ok(checked >= 25, `${checked} fields blanked`);
});

test('what the form cannot say comes back canonical, describing the same sweep', () => {
  const cases: [string[], string[]][] = [
    // --seeds alone implies the search; the form always names its design
    [
      ['--seeds', '3'],
      ['--seeds', '3', '--design', 'search'],
    ],
    [
      ['--start', '64'],
      ['--start', '64', '--design', 'search'],
    ],
    // checkboxes have no order, and the preset's own list is no flag
    [['--methods', 'none,hermite-thr'], []],
    [['--methods', 'hermite-thr,none'], []],
    // the form has no shard
    [
      ['--design', 'grid', '--shard', '1/4'],
      ['--design', 'grid'],
    ],
  ];
  for (const [argv, want] of cases) {
    const r = cli(argv);
    const back = viaForm(r);
    assert.equal(sweepRequestFlags(back), want, argv.join(' '));
    const a = sweepOf(r).spec,
      b = sweepOf(back).spec;
    assert.equal({ ...b, methods: [...b.methods].sort() }, { ...a, methods: [...a.methods].sort() }, argv.join(' '));
    assert.is(back.design, r.design);
    assert.is(back.shard, undefined);
  }
});

// Random valid flag sets (each option only with a design that reads it): the form keeps up to the canonical forms above:
// the same spec (methods as a set), design and design options, and a second trip changes nothing.
const someOf = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
const argvArb = fc
  .record({
    preset: fc.constantFrom(...PRESET_NAMES),
    d: fc.option(someOf([64, 128, 256, 1024])),
    methods: fc.option(fc.shuffledSubarray([...METHODS], { minLength: 1 })),
    alpha: fc.option(someOf([0.25, 0.3, 0.4])),
    link: fc.option(someOf(['he2', 'he3', 'he2+he3'])),
    sim: fc.option(fc.constantFrom('auto', 'direct')),
    budget: fc.option(fc.constantFrom('2^20', '2^30', '123456')),
    design: fc.constantFrom('adaptive', 'grid', 'search', undefined),
    seeds: fc.option(fc.integer({ min: 1, max: 9 })),
    start: fc.option(fc.constantFrom('32', '90', '2^10')),
    nMin: fc.option(fc.constantFrom('32', '64')),
    nMax: fc.option(fc.constantFrom('4096', '2^17')),
    width: fc.option(fc.constantFrom('0.3', '1')),
    maxTrials: fc.option(fc.integer({ min: 2, max: 60 })),
    budgetPerD: fc.option(fc.constantFrom('1000000', '2^40')),
  })
  .map((g) => {
    const argv: string[] = ['--preset', g.preset];
    const add = (flag: string, v: unknown) => v !== null && v !== undefined && argv.push(`--${flag}`, String(v));
    add('d', g.d?.join(','));
    add('methods', g.methods?.join(','));
    add('alpha', g.alpha?.join(','));
    add('link', g.link?.join(','));
    add('sim', g.sim);
    add('budget', g.budget);
    add('design', g.design);
    if (g.design !== 'adaptive') add('seeds', g.seeds);
    if (g.design === 'search' || g.design === undefined) add('start', g.start);
    if (g.design === 'grid') {
      add('n-min', g.nMin);
      add('n-max', g.nMax);
    }
    if (g.design === 'adaptive' || (g.design === undefined && g.seeds === null && g.start === null)) {
      add('target-width', g.width);
      add('max-trials', g.maxTrials);
      add('search-budget', g.budgetPerD);
    }
    return argv;
  });

test('any request the CLI accepts survives the form (property, 400 random flag sets)', () => {
  fc.assert(
    fc.property(argvArb, (argv) => {
      // only what the CLI accepts (a multi-index preset refuses a link that reads one direction)
      if (cliError(argv)) return;
      const r = cli(argv);
      const back = viaForm(r);
      const a = sweepOf(r).spec,
        b = sweepOf(back).spec;
      assert.equal({ ...b, methods: [...b.methods].sort() }, { ...a, methods: [...a.methods].sort() }, argv.join(' '));
      assert.is(back.design, r.design);
      assert.equal(back.adaptive, r.adaptive);
      assert.equal(back.grid, r.grid);
      assert.equal(sweepRequestFlags(viaForm(back)), sweepRequestFlags(back), argv.join(' '));
    }),
    { numRuns: 400, seed: 18 },
  );
});

/** The CLI's error for argv, or null. */
function cliError(argv: string[]): ConfigError | null {
  try {
    cli(argv);
    return null;
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
}

test('a bad value in the form is the CLI ConfigError for its flag, word for word', () => {
  const base = formOf(cli([]));
  const bad: [FormValues['design'], string, string][] = [
    ['adaptive', 'd', '64,abc'],
    ['adaptive', 'd', '64,,128'],
    ['adaptive', 'd', '1'],
    ['adaptive', 'alpha', '2'],
    ['adaptive', 'alpha', 'a quarter'],
    ['adaptive', 'link', 'foo'],
    ['adaptive', 'sim', 'fast'],
    ['adaptive', 'budget', '2^x'],
    ['adaptive', 'budget', '2'],
    ['adaptive', 'target-width', '0'],
    ['adaptive', 'max-trials', '1'],
    ['adaptive', 'search-budget', 'lots'],
    ['search', 'seeds', '0'],
    ['search', 'start', '1.5'],
    ['grid', 'seeds', 'three'],
    ['grid', 'n-min', '16'],
    ['grid', 'n-max', '2^x'],
  ];
  for (const [design, flag, value] of bad) {
    const designFlags = design === 'adaptive' ? [] : ['--design', design];
    const want = cliError([...designFlags, `--${flag}`, value]);
    assert.ok(want, `the CLI refuses --${flag} ${value}`);
    assert.is(want.field, flag);
    const form: FormValues = { ...base, design, fields: { ...base.fields, [flag]: value } };
    try {
      requestOfForm(form);
      assert.unreachable(`the form accepted ${flag} = ${value}`);
    } catch (e) {
      assert.instance(e, ConfigError);
      assert.is((e as ConfigError).field, flag);
      assert.is((e as ConfigError).message, want.message);
    }
  }
  // no learner checked: the CLI's error for an empty --methods
  const none = (() => {
    try {
      requestOfForm({ ...base, methods: [] });
    } catch (e) {
      return e as ConfigError;
    }
  })();
  assert.is(none?.field, 'methods');
  assert.is(none?.message, cliError(['--methods', ''])?.message);
  // an unknown preset (a hand-edited page address) is named too
  assert.throws(
    () => requestOfForm({ ...base, preset: 'nope' }),
    (e: unknown) => (e as ConfigError).field === 'preset',
  );
});

test('fields of another design are hidden and ignored, as the CLI would refuse them', () => {
  const base = formOf(cli([]));
  assert.equal(
    sweepRequestFlags(
      requestOfForm({ ...base, design: 'adaptive', fields: { seeds: '3', start: '64', 'n-max': '99' } }),
    ),
    [],
  );
  assert.equal(fieldsOf('adaptive').includes('seeds'), false);
  assert.equal(fieldsOf('grid').includes('n-min'), true);
  assert.equal(fieldsOf('search').includes('start'), true);
  for (const f of FIELD_FLAGS)
    assert.ok(
      fieldsOf('adaptive').includes(f) || fieldsOf('grid').includes(f) || fieldsOf('search').includes(f),
      `${f} belongs to some design`,
    );
});

test('the worker count reads as --workers does, and reaches the command only when given', () => {
  assert.is(parseWorkers('', 4), 4);
  assert.is(parseWorkers(' 2 ', 4), 2);
  assert.is(parseWorkers('0', 4), 0);
  assert.throws(
    () => parseWorkers('65', 4),
    (e: unknown) => (e as ConfigError).field === 'workers',
  );
  assert.throws(
    () => parseWorkers('x', 4),
    (e: unknown) => (e as ConfigError).message === cliError(['--workers', 'x'])?.message,
  );
  const r = cli(['--d', '64,128']);
  assert.is(commandOf(r), 'prunelab sweep --d 64,128');
  assert.is(commandOf(r, 1), 'prunelab sweep --d 64,128 --workers 1');
  assert.equal(parseSweepFlags(commandOf(r, 1).split(' ').slice(2)).workers, 1);
});

test('a page address with a bad value opens the form with that value as typed, so its error shows next to it', () => {
  const v = formOfFlagValues(flagValuesOfQuery('?d=64,abc&design=grid&seeds=2&methods=none,nope&shard=0/2&x=1'));
  assert.is(v.fields.d, '64,abc');
  assert.is(v.design, 'grid');
  assert.is(v.fields.seeds, '2');
  assert.equal(v.methods, ['none'], 'an unknown method cannot be checked');
  assert.throws(
    () => requestOfForm(v),
    (e: unknown) => (e as ConfigError).field === 'd',
  );
  // a good address gives the request's form, the same as formOf
  assert.equal(formOfFlagValues({ seeds: '3' }), formOf(cli(['--seeds', '3'])));
});

test('placeholders show what a blank field means: the preset values and the design defaults', () => {
  const p = placeholdersOf('alpha');
  assert.is(p.alpha, '0.25, 0.5, 0.75');
  assert.is(p.link, 'he2');
  assert.is(p.d, '256, 1024, 4096');
  assert.is(p.budget, '2^32');
  assert.is(p['n-max'], '2^17');
  assert.is(placeholdersOf('k3').link, 'he3');
  assert.is(integerText(4294967296), '2^32');
  assert.is(integerText(512), '512');
  assert.is(integerText(123456), '123456');
});

test.run();
