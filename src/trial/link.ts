// Links sigma*(z) as combinations of products of normalised Hermite polynomials (DESIGN §2.1).
//
// Grammar (spaces ignored):
//   link   := ['+'|'-'] term (('+'|'-') term)*
//   term   := [number '*'] atom
//   atom   := 'sum-he' k          sum_l h_k(z_l) / sqrt(r)
//           | 'prod' m           z_1 z_2 ... z_m = prod_{l<=m} h_1(z_l), needs r >= m >= 2
//           | factor ('*' factor)*
//   factor := 'he' k ['(z' l ')']  h_k(z_l), l = 1 when omitted; at most one factor per l
// Explicit term lists [{coef, degrees}] (degrees: one entry per column of V) are the same thing.
//
// Terms with the same multi-degree are merged, zero terms dropped, and the coefficient vector
// normalised to unit length: the products of normalised Hermite polynomials are orthonormal under
// N(0, I_r), so this is exactly E[sigma*(z)^2] = 1. k* is the lowest total degree left.
import { ConfigError, show } from '../core/errors.js';
import type { LinkTerm } from '../core/types.js';

export const MAX_LINK_DEGREE = 12;

export interface Link {
  /** Normalised terms in canonical order (total degree, then degrees descending); degrees has r entries. */
  readonly terms: LinkTerm[];
  /** The information exponent: the lowest total degree with a nonzero coefficient. */
  readonly kStar: number;
  /** A canonical expression that parses back to the same terms (coefficients to 12 digits). */
  readonly canonical: string;
  readonly r: number;
}

const GRAMMAR =
  'a link such as he2, he2+he3, 0.8*he2+0.6*he4, sum-he2, prod2, he1(z1)*he1(z2), or a list of {coef, degrees}';

function fail(value: unknown, detail: string): never {
  throw new ConfigError('link', value, GRAMMAR, detail);
}

/** Parses and normalises a link for a teacher with r directions. Throws ConfigError('link', ...). */
export function parseLink(spec: unknown, r: number): Link {
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`parseLink: r must be a positive integer, got ${r}`);
  const raw =
    typeof spec === 'string'
      ? parseExpression(spec, r)
      : Array.isArray(spec)
        ? checkTerms(spec, r)
        : fail(spec, 'expected a string or an array of terms');
  return normalise(raw, r, spec);
}

/**
 * Refuses a link that never reads some of the teacher's r directions: that column of V could not
 * change a label, yet it would still claim support rows (so support recall, precision and the
 * oracle mask would count coordinates that carry no signal). Named on `link`, with r.
 */
export function checkEveryDirection(link: Link, spec: unknown): void {
  const unread: string[] = [];
  for (let l = 0; l < link.r; l++) if (link.terms.every((t) => t.degrees[l] === 0)) unread.push(`z${l + 1}`);
  if (unread.length === 0) return;
  const those = unread.length === 1 ? 'that direction' : 'those directions';
  const k = link.r - unread.length;
  const trailing = unread.every((z, i) => z === `z${k + i + 1}`);
  const fewer = trailing ? `lower r to ${k}` : `use r = ${k}, numbering the directions it reads from z1`;
  throw new ConfigError(
    'link',
    spec,
    `a link that reads each of the r = ${link.r} directions (e.g. sum-he2 or prod${link.r})`,
    `${unread.join(', ')} never appear${unread.length === 1 ? 's' : ''} in it, so ${those} of V could not change a label; ` +
      `${fewer}, or give ${unread.join(', ')} a term`,
  );
}

function parseExpression(src: string, r: number): LinkTerm[] {
  const s = src.replace(/\s+/g, '');
  if (s === '') fail(src, 'the expression is empty');
  const terms: LinkTerm[] = [];
  let i = 0;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    sign = s[i] === '-' ? -1 : 1;
    i++;
  }
  for (;;) {
    const end = termEnd(s, i);
    const text = s.slice(i, end);
    if (text === '') fail(src, i >= s.length ? `it ends with an operator` : `empty term at position ${i + 1}`);
    for (const t of parseTerm(text, r, src)) terms.push({ coef: sign * t.coef, degrees: t.degrees });
    if (end >= s.length) break;
    sign = s[end] === '-' ? -1 : 1;
    i = end + 1;
  }
  return terms;
}

// A term ends at the next + or - that is neither part of `sum-he` nor an exponent sign of a number.
function termEnd(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (c !== '+' && c !== '-') continue;
    if (c === '-' && s.slice(j - 3, j) === 'sum' && s.slice(j + 1, j + 3) === 'he') continue;
    if (j > from && /[eE]/.test(s[j - 1]!) && /[0-9.]/.test(s[j - 2] ?? '') && /[0-9]/.test(s[j + 1] ?? '')) continue;
    return j;
  }
  return s.length;
}

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseTerm(text: string, r: number, src: string): LinkTerm[] {
  let coef = 1;
  let atom = text;
  const star = text.indexOf('*');
  if (star > 0 && NUMBER.test(text.slice(0, star))) {
    coef = Number(text.slice(0, star));
    atom = text.slice(star + 1);
    if (atom === '') fail(src, `"${text}" has a coefficient but no term`);
  }
  let m: RegExpExecArray | null;
  if ((m = /^sum-he(\d+)$/.exec(atom))) {
    const k = degree(m[1]!, src);
    const c = coef / Math.sqrt(r);
    return Array.from({ length: r }, (_, l) => ({ coef: c, degrees: unit(r, l, k) }));
  }
  if ((m = /^prod(\d+)$/.exec(atom))) {
    const count = Number(m[1]);
    if (count < 2) fail(src, `prod${m[1]} needs at least 2 factors`);
    if (count > r) fail(src, `prod${count} needs r >= ${count} directions, the teacher has r = ${r}`);
    return [{ coef, degrees: Array.from({ length: r }, (_, l) => (l < count ? 1 : 0)) }];
  }
  const degrees = new Array<number>(r).fill(0);
  for (const factor of atom.split('*')) {
    m = /^he(\d+)(?:\(z(\d+)\))?$/.exec(factor);
    if (!m) fail(src, `unknown term "${factor}"`);
    const k = degree(m[1]!, src);
    const l = m[2] === undefined ? 1 : Number(m[2]);
    if (!(l >= 1 && l <= r)) fail(src, `z${m[2]} refers to direction ${m[2]}, the teacher has r = ${r}`);
    if (degrees[l - 1] !== 0) fail(src, `two factors on z${l} in "${atom}": write one he_k per direction`);
    degrees[l - 1] = k;
  }
  return [{ coef, degrees }];
}

function degree(digits: string, src: string): number {
  const k = Number(digits);
  if (k === 0) fail(src, 'he0 is a constant term, which a link may not have');
  if (k > MAX_LINK_DEGREE) fail(src, `degree ${k} is above the maximum ${MAX_LINK_DEGREE}`);
  return k;
}

function unit(r: number, l: number, k: number): number[] {
  const d = new Array<number>(r).fill(0);
  d[l] = k;
  return d;
}

function checkTerms(list: unknown[], r: number): LinkTerm[] {
  if (list.length === 0) fail(list, 'the term list is empty');
  return list.map((t, i) => {
    if (typeof t !== 'object' || t === null) fail(list, `term ${i} is not an object {coef, degrees}`);
    const { coef, degrees, ...rest } = t as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length) fail(list, `term ${i} has unknown key "${extra[0]}"`);
    if (typeof coef !== 'number' || !Number.isFinite(coef))
      fail(list, `term ${i} has coef ${show(coef)}, expected a finite number`);
    if (!Array.isArray(degrees) || degrees.length !== r)
      fail(list, `term ${i} needs degrees with r = ${r} entries, got ${show(degrees)}`);
    for (const k of degrees) {
      if (!Number.isInteger(k) || k < 0 || k > MAX_LINK_DEGREE)
        fail(list, `term ${i} has degree ${show(k)}, expected integers in [0, ${MAX_LINK_DEGREE}]`);
    }
    if (degrees.every((k) => k === 0))
      fail(list, `term ${i} has total degree 0, a constant term, which a link may not have`);
    return { coef, degrees: degrees.slice() as number[] };
  });
}

function normalise(raw: LinkTerm[], r: number, spec: unknown): Link {
  const merged = new Map<string, LinkTerm>();
  for (const t of raw) {
    if (!Number.isFinite(t.coef)) fail(spec, `coefficient ${show(t.coef)} is not finite`);
    const key = t.degrees.join(',');
    const m = merged.get(key);
    if (m) m.coef += t.coef;
    else merged.set(key, { coef: t.coef, degrees: t.degrees.slice() });
  }
  const kept = [...merged.values()].filter((t) => t.coef !== 0);
  if (kept.length === 0) fail(spec, 'every coefficient is zero after merging equal terms');
  let ss = 0;
  for (const t of kept) ss += t.coef * t.coef;
  const norm = Math.sqrt(ss);
  if (!(norm > 0 && Number.isFinite(norm))) fail(spec, 'the coefficients cannot be normalised');
  const total = (t: LinkTerm) => t.degrees.reduce((a, b) => a + b, 0);
  kept.sort((a, b) => total(a) - total(b) || compareDesc(a.degrees, b.degrees));
  const terms = kept.map((t) => ({ coef: t.coef / norm, degrees: t.degrees }));
  const kStar = Math.min(...terms.map(total));
  return { terms, kStar, canonical: canonical(terms, r), r };
}

function compareDesc(a: number[], b: number[]): number {
  for (let l = 0; l < a.length; l++) if (a[l] !== b[l]) return b[l]! - a[l]!;
  return 0;
}

const fmt = (c: number) => String(Number(c.toPrecision(12)));

function canonical(terms: LinkTerm[], r: number): string {
  const mags = terms.map((t) => fmt(Math.abs(t.coef)));
  const plain = mags.every((m) => m === mags[0]);
  return terms
    .map((t, i) => {
      const factors = t.degrees
        .flatMap((k, l) => (k === 0 ? [] : [r === 1 ? `he${k}` : `he${k}(z${l + 1})`]))
        .join('*');
      const body = plain ? factors : `${mags[i]}*${factors}`;
      return (t.coef < 0 ? '-' : i === 0 ? '' : '+') + body;
    })
    .join('');
}
