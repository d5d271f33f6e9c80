// Deterministic log, exp, pow, log2 and log10 built from +, -, *, / (and exact bit moves) only.
//
// Host Math.log/exp/pow are allowed to differ in the last bit between engines, so anything we
// publish (fits, reports, plots) uses these instead and is byte-identical in Node and browsers.
// Method: the argument is reduced exactly (x = 2^k * m, or x = k*ln2 + r), the reduced function is
// summed as a double-double (about 106 bits) series, and the result is rounded once. The error is
// within 0.5 ulp plus a few 2^-100 relative, so results are nearly always correctly rounded; in
// particular log2(2^k) = k, log10(10^k) = k and pow(10, k) = 10^k exactly where representable.
// The cost (~1 us per call) is irrelevant for fits and plots; do not use these in kernels.

/** A double-double: the unevaluated sum hi + lo with |lo| <= ulp(hi)/2. */
interface DD {
  hi: number;
  lo: number;
}

const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

/** a*b exactly as a double-double (Dekker; |a|, |b| < 2^996). */
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a),
    al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b),
    bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

function ddAdd(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = quickTwoSum(s.hi, s.lo + t.hi);
  return quickTwoSum(u.hi, u.lo + t.lo);
}

function ddMul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

function ddMulD(a: DD, b: number): DD {
  const p = twoProd(a.hi, b);
  return quickTwoSum(p.hi, p.lo + a.lo * b);
}

function ddDiv(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  let r = ddAdd(a, neg(ddMulD(b, q1)));
  const q2 = r.hi / b.hi;
  r = ddAdd(r, neg(ddMulD(b, q2)));
  const q3 = r.hi / b.hi;
  const q = quickTwoSum(q1, q2);
  return ddAdd(q, { hi: q3, lo: 0 });
}

function neg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

const LN2: DD = { hi: 0.6931471805599453, lo: 2.3190468138462996e-17 };
const LOG2E: DD = { hi: 1.4426950408889634, lo: 2.0355273740931033e-17 };
const LOG10E: DD = { hi: 0.4342944819032518, lo: 1.098319650216765e-17 };
const SQRT2 = 1.4142135623730951;
/** 2^64, exact in a double; beyond it |y| overflows or underflows any finite base's power. */
const TWO_POW_64 = 0x10000000000000000;

// Exact bit access to doubles (big-endian DataView, so the high word is at offset 0).
const view = new DataView(new ArrayBuffer(8));

/** 2^k for integer k in [-1022, 1023], built from its bits. */
function pow2i(k: number): number {
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** x * 2^k for x in [0.5, 2) and any integer k, rounding at most once (into the subnormals). */
function scale2(x: number, k: number): number {
  while (k > 1023) {
    x *= pow2i(1023);
    k -= 1023;
  }
  if (k >= -1022) return x * pow2i(k);
  // Exact while x stays normal, then a single rounding into the subnormal range.
  if (k + 1022 >= -1022) return x * pow2i(k + 1022) * pow2i(-1022);
  return 0 * x;
}

/** x = m * 2^k with m in [sqrt(2)/2, sqrt(2)), for finite x > 0 (subnormals included). */
function frexpCentered(x: number): { m: number; k: number } {
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984;
    k = -54;
  } // 2^54
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  k += ((hi >>> 20) & 0x7ff) - 1023;
  view.setUint32(0, (hi & 0x000fffff) | 0x3ff00000);
  let m = view.getFloat64(0);
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  return { m, k };
}

// Series coefficients as double-doubles, computed once with exact-enough division.
const ATANH_TERMS = 23; // |s| <= 0.1716: s^(2*23) < 2^-116
const ATANH_COEF: DD[] = Array.from({ length: ATANH_TERMS }, (_, j) =>
  ddDiv({ hi: 1, lo: 0 }, { hi: 2 * j + 1, lo: 0 }),
);
const EXP_TERMS = 27; // |r| <= 0.35: 0.35^27/27! < 2^-130

/** ln(x) as a double-double, for finite x > 0. */
function logDD(x: number): DD {
  const { m, k } = frexpCentered(x);
  // ln m = 2 atanh(s) with s = (m-1)/(m+1) = f/(2+f); f = m-1 is exact (Sterbenz).
  const f = m - 1;
  if (f === 0) return ddMulD(LN2, k);
  const s = ddDiv({ hi: f, lo: 0 }, twoSum(2, f));
  const s2 = ddMul(s, s);
  let p = ATANH_COEF[ATANH_TERMS - 1]!;
  for (let j = ATANH_TERMS - 2; j >= 0; j--) p = ddAdd(ddMul(p, s2), ATANH_COEF[j]!);
  const lnm = ddMulD(ddMul(s, p), 2);
  return k === 0 ? lnm : ddAdd(ddMulD(LN2, k), lnm);
}

/** exp(a) for a double-double a with |a.hi| < 746 and the result as a double. */
function expDD(a: DD): number {
  if (a.hi > 709.8) return Infinity;
  if (a.hi < -745.2) return 0;
  const k = Math.round(a.hi * LOG2E.hi);
  // r = a - k*ln2, exactly enough: k*LN2.hi is a double-double product, |k| <= 1075.
  const r = ddAdd(ddAdd(a, neg(twoProd(LN2.hi, k))), { hi: -LN2.lo * k, lo: 0 });
  // exp(r) by Horner: 1 + r(1 + r/2(1 + r/3(...))).
  let p: DD = { hi: 1, lo: 0 };
  for (let n = EXP_TERMS; n >= 1; n--) {
    p = ddAdd({ hi: 1, lo: 0 }, ddDiv(ddMul(p, r), { hi: n, lo: 0 }));
  }
  return scale2(p.hi, k);
}

/** Natural logarithm (same special cases as Math.log). */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const r = logDD(x);
  return r.hi + r.lo;
}

/** Base-2 logarithm; log2(2^k) === k. */
export function log2(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const r = ddMul(logDD(x), LOG2E);
  return r.hi + r.lo;
}

/** Base-10 logarithm; log10(10^k) === k for representable powers. */
export function log10(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const r = ddMul(logDD(x), LOG10E);
  return r.hi + r.lo;
}

/** e^x (same special cases as Math.exp). */
export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x === -Infinity) return 0;
  if (x === 0) return 1;
  return expDD({ hi: x, lo: 0 });
}

function isOddInteger(y: number): boolean {
  // Beyond 2^53 every double is even.
  return Number.isInteger(y) && Math.abs(y) < 9007199254740992 && y % 2 !== 0;
}

/** x^y with the special cases of ECMAScript's Math.pow / `**`. */
export function pow(x: number, y: number): number {
  if (Number.isNaN(y)) return NaN;
  if (y === 0) return 1;
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (y === Infinity) return ax === 1 ? NaN : ax > 1 ? Infinity : 0;
  if (y === -Infinity) return ax === 1 ? NaN : ax > 1 ? 0 : Infinity;
  if (x === Infinity) return y > 0 ? Infinity : 0;
  if (x === -Infinity) {
    const odd = isOddInteger(y);
    return y > 0 ? (odd ? -Infinity : Infinity) : odd ? -0 : 0;
  }
  if (x === 0) {
    const odd = isOddInteger(y) && Object.is(x, -0);
    return y > 0 ? (odd ? -0 : 0) : odd ? -Infinity : Infinity;
  }
  let sign = 1;
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    if (isOddInteger(y)) sign = -1;
  }
  if (ax === 1) return sign;
  if (y === 1) return x;
  const l = logDD(ax);
  // |ln ax| >= 2^-53 for ax != 1, so |y| > 2^64 overflows or underflows whatever ax is.
  if (Math.abs(y) > TWO_POW_64) return sign * (l.hi > 0 === y > 0 ? Infinity : 0);
  const e = ddMulD(l, y);
  if (e.hi > 709.8) return sign * Infinity;
  if (e.hi < -745.2) return sign * 0;
  return sign * expDD(e);
}

// ---------------------------------------------------------------------------------------------
// Fast double-precision exp, log and the normal CDF, for fits that call them millions of times
// (the grid posteriors of stats/psychometric.ts). Plain double arithmetic with Cody–Waite
// reduction: deterministic on every engine like the functions above, about 30x cheaper, and
// within a few ulp instead of correctly rounded (test/math.test.ts bounds the error).

const LN2_HI = 0.6931471803691238; // ln 2 with its low 32 bits zero: k * LN2_HI is exact
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = 1.4426950408889634;

/** e^x in double precision (relative error below 4e-16 on [-745, 709]). */
export function expd(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.78) return Infinity;
  if (x < -745.1) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO; // |r| <= 0.347
  // Taylor to degree 14: 0.347^15/15! < 1e-19.
  let p = 1;
  for (let n = 14; n >= 1; n--) p = 1 + (p * r) / n;
  return scale2(p, k);
}

/** ln x in double precision (absolute error below 4e-16 + 2e-16·|ln x|), same special cases as Math.log. */
export function logd(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  const { m, k } = frexpCentered(x);
  const f = m - 1;
  const s = f / (2 + f); // |s| <= 0.1716
  const s2 = s * s;
  // 2 atanh(s) = 2 (s + s^3/3 + ...), 12 terms: s^26/25 < 1e-21.
  let p = 1 / 23;
  for (let j = 10; j >= 0; j--) p = p * s2 + 1 / (2 * j + 1);
  return k * LN2_HI + (2 * s * p + k * LN2_LO);
}

const INV_SQRT_2PI = 0.3989422804014327;

/**
 * The standard normal CDF Φ(z), with absolute error below 1e-15 and, for z < -3, relative error
 * below 1e-14 (test/math.test.ts, against mpmath). For |z| < 3, Marsaglia's series
 * Φ(z) = 1/2 + φ(z)·(z + z³/3 + z⁵/(3·5) + …), whose terms are all positive; beyond, the upper
 * tail Q(a) = φ(a)/(a + 1/(a + 2/(a + 3/(a + …)))) (Laplace's continued fraction, summed backwards
 * from a fixed depth), so the lower tail keeps its relative accuracy and Φ stays monotone.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const a = Math.abs(z);
  if (a < 3) {
    const a2 = a * a;
    let term = a,
      sum = a;
    for (let k = 3; term > 1e-17 * sum; k += 2) {
      term = (term * a2) / k;
      sum += term;
    }
    const tail = sum * INV_SQRT_2PI * expd(-0.5 * a2);
    return z >= 0 ? 0.5 + tail : 0.5 - tail;
  }
  if (a > 38.5) return z > 0 ? 1 : 0;
  let cf = a;
  for (let k = 120; k >= 1; k--) cf = a + k / cf;
  const q = (INV_SQRT_2PI * expd(-0.5 * a * a)) / cf;
  return z > 0 ? 1 - q : q;
}
