import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLink } from '../src/trial/link.js';
import { ConfigError } from '../src/core/errors.js';
import { approxEqual } from './helpers/approx.js';

test('k* is the lowest total degree with a nonzero coefficient', () => {
  const cases: [string, number, number][] = [
    ['he1', 1, 1],
    ['he2', 1, 2],
    ['he3', 1, 3],
    ['he2+he3', 1, 2],
    ['he4+0.1*he3', 1, 3],
    ['he12', 1, 12],
    ['sum-he2', 3, 2],
    ['prod2', 2, 2],
    ['prod3', 4, 3],
    ['he2(z2)+prod2', 2, 2],
    ['he1(z1)*he2(z2)', 2, 3],
    ['he2+he3-he2', 1, 3], // the he2 terms cancel exactly when merged
  ];
  for (const [spec, r, k] of cases) assert.is(parseLink(spec, r).kStar, k, spec);
});

test('coefficients are merged and normalised to a unit vector (E[sigma*^2] = 1)', () => {
  const l = parseLink('0.8*he2+0.6*he4', 1);
  assert.equal(
    l.terms.map((t) => t.degrees),
    [[2], [4]],
  );
  approxEqual(l.terms[0]!.coef, 0.8, { abs: 1e-15 });
  approxEqual(l.terms[1]!.coef, 0.6, { abs: 1e-15 });
  const m = parseLink('he3 + 2*he2 + he3', 1); // he3 twice: coefficient 2
  assert.equal(
    m.terms.map((t) => t.degrees),
    [[2], [3]],
  );
  approxEqual(m.terms[0]!.coef, Math.SQRT1_2, { abs: 1e-15 });
  approxEqual(m.terms[1]!.coef, Math.SQRT1_2, { abs: 1e-15 });
  const s = parseLink('sum-he2', 4);
  assert.is(s.terms.length, 4);
  for (const t of s.terms) approxEqual(t.coef, 0.5, { abs: 1e-15 });
  assert.equal(
    s.terms.map((t) => t.degrees),
    [
      [2, 0, 0, 0],
      [0, 2, 0, 0],
      [0, 0, 2, 0],
      [0, 0, 0, 2],
    ],
  );
  const neg = parseLink('-he2', 1);
  assert.is(neg.terms[0]!.coef, -1);
  const p = parseLink('prod2', 3);
  assert.equal(p.terms, [{ coef: 1, degrees: [1, 1, 0] }]);
  const e = parseLink('1e-1*he2+2E+0*he3', 1);
  approxEqual(e.terms[0]!.coef / e.terms[1]!.coef, 0.05, { rel: 1e-14 }, 'exponent notation');
  for (const spec of ['he2+he3', '3*he1-he5+0.25*he2', 'sum-he3', 'prod2+he4(z2)']) {
    let sq = 0;
    for (const t of parseLink(spec, 2).terms) sq += t.coef ** 2;
    approxEqual(sq, 1, { abs: 1e-15 }, `${spec}: sum of squared coefficients`);
  }
});

test('explicit term lists are the same links as expressions', () => {
  const a = parseLink(
    [
      { coef: 3, degrees: [1, 1] },
      { coef: 4, degrees: [2, 0] },
    ],
    2,
  );
  const b = parseLink('3*prod2+4*he2(z1)', 2);
  assert.equal(a.terms, b.terms);
  assert.is(a.canonical, b.canonical);
  assert.is(a.kStar, 2);
});

test('canonical strings: stable under reordering and rescaling, and they parse back to the same link', () => {
  assert.is(parseLink('he2', 1).canonical, 'he2');
  assert.is(parseLink('he3+he2', 1).canonical, 'he2+he3');
  assert.is(parseLink('2*he2+2*he3', 1).canonical, 'he2+he3');
  assert.is(parseLink('0.6*he4+0.8*he2', 1).canonical, '0.8*he2+0.6*he4');
  assert.is(parseLink('he2-he3', 1).canonical, 'he2-he3');
  assert.is(parseLink('sum-he2', 2).canonical, 'he2(z1)+he2(z2)');
  assert.is(parseLink('prod2', 2).canonical, 'he1(z1)*he1(z2)');
  for (const [spec, r] of [
    ['0.3*he1-0.7*he3+he5', 1],
    ['sum-he4+prod3', 3],
    ['he2(z2)*he3(z1)', 2],
    ['1e-3*he2+he3', 1],
  ] as const) {
    const once = parseLink(spec, r);
    const twice = parseLink(once.canonical, r);
    assert.is(twice.canonical, once.canonical, spec);
    assert.is(twice.kStar, once.kStar, spec);
    once.terms.forEach((t, i) => {
      assert.equal(twice.terms[i]!.degrees, t.degrees);
      approxEqual(twice.terms[i]!.coef, t.coef, { rel: 1e-11 }, `${spec} term ${i}`);
    });
  }
});

test('bad links are ConfigErrors on field link, with a reason', () => {
  const bad: [unknown, number, RegExp][] = [
    ['', 1, /empty/],
    ['   ', 1, /empty/],
    ['he2+', 1, /ends with an operator/],
    ['he2++he3', 1, /empty term/],
    ['he0', 1, /constant term/],
    ['he13', 1, /above the maximum 12/],
    ['relu', 1, /unknown term "relu"/],
    ['he2*he3', 1, /two factors on z1/],
    ['he2(z2)', 1, /direction 2, the teacher has r = 1/],
    ['prod2', 1, /needs r >= 2/],
    ['prod1', 2, /at least 2 factors/],
    ['NaN*he2', 1, /unknown term "NaN"/],
    ['1e999*he2', 1, /not finite/],
    ['he2-he2', 1, /every coefficient is zero/],
    ['0*he2', 1, /every coefficient is zero/],
    ['2*', 1, /coefficient but no term/],
    [[], 1, /empty/],
    [[{ coef: NaN, degrees: [2] }], 1, /finite/],
    [[{ coef: 1, degrees: [2, 0] }], 1, /r = 1 entries/],
    [[{ coef: 1, degrees: [0, 0] }], 2, /total degree 0/],
    [[{ coef: 1, degrees: [1.5] }], 1, /integers in \[0, 12\]/],
    [[{ coef: 1, degrees: [2], extra: 1 }], 1, /unknown key "extra"/],
    [[0], 1, /not an object/],
    [42, 1, /string or an array/],
    [null, 1, /string or an array/],
    [[{ coef: 0, degrees: [2] }], 1, /every coefficient is zero/],
  ];
  for (const [spec, r, why] of bad) {
    try {
      parseLink(spec, r);
      assert.unreachable(`no error for ${JSON.stringify(spec)}`);
    } catch (e) {
      assert.instance(e, ConfigError, `${JSON.stringify(spec)}: ${(e as Error).message}`);
      assert.is((e as ConfigError).field, 'link');
      assert.match((e as Error).message, why, JSON.stringify(spec));
    }
  }
});

test('parsing never mutates an explicit term list', () => {
  const terms = Object.freeze([Object.freeze({ coef: 2, degrees: Object.freeze([1, 1]) as unknown as number[] })]);
  const l = parseLink(terms as unknown as { coef: number; degrees: number[] }[], 2);
  assert.is(l.terms[0]!.coef, 1);
  assert.is(terms[0]!.coef, 2);
});

test.run();
