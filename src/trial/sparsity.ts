// s = round(d^alpha), decided exactly with integer arithmetic, so every engine, OS and libm agrees
// (host Math.pow may differ in the last bit between engines, which would move s at a rounding edge).
//
// alpha is a double, so alpha = m / 2^e exactly. round(d^alpha) is the smallest integer s >= 1
// with d^alpha < s + 1/2, i.e. alpha ln d < ln(s + 1/2), found by bisection over s in [1, d].
// Each comparison evaluates both logarithms in BigInt fixed point (atanh series) with a proven
// error bound, and doubles the precision whenever the two sides are closer than that bound. A tie
// cannot happen: for integer d and rational alpha, d^alpha is an integer or irrational, never
// a half-integer.

/** round(d^alpha) for an integer d in [1, 2^31) and alpha in (0, 1], exactly. */
export function roundPow(d: number, alpha: number): number {
  if (!Number.isInteger(d) || d < 1 || d > 0x7fffffff)
    throw new RangeError(`roundPow: d must be an integer in [1, 2^31), got ${d}`);
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`roundPow: alpha must be in (0, 1], got ${alpha}`);
  if (d === 1) return 1;
  if (alpha === 1) return d;
  const [m, e] = dyadic(alpha);
  let lo = 1,
    hi = d; // invariant: the answer is in [lo, hi]; s = d always satisfies d^alpha < d + 1/2
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (powBelow(BigInt(d), m, e, BigInt(2 * mid + 1), 2n)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** alpha = m / 2^e with integers m, e >= 0 (alpha a positive finite double). */
function dyadic(alpha: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, alpha);
  const bits = view.getBigUint64(0);
  const expField = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp2: number; // alpha = mant * 2^exp2
  if (expField === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = expField - 1075;
  }
  // alpha <= 1 with a 53-bit mantissa means exp2 < 0, except alpha = 1 which the caller handles
  return [mant, -exp2];
}

/** Whether d^(m / 2^e) < num / den, decided exactly. */
function powBelow(d: bigint, m: bigint, e: number, num: bigint, den: bigint): boolean {
  for (let P = 128; P <= 8192; P *= 2) {
    const lhs = (m * lnFixed(d, 1n, P)) >> BigInt(e); // alpha * ln d, |error| <= alpha * err + 1 <= err + 1 ulp
    const rhs = lnFixed(num, den, P);
    const bound = errorUlps(P) * 2n + 2n;
    const diff = rhs - lhs;
    if (diff > bound) return true;
    if (diff < -bound) return false;
  }
  throw new Error('roundPow: could not separate d^alpha from a half-integer (this cannot happen for exact inputs)');
}

// Each fixed-point truncation loses at most one unit in the last place; the series below take at
// most P / 3 + 2 terms, each with a few truncations, and ln 2 is scaled by the exponent k < 64.
function errorUlps(P: number): bigint {
  return BigInt(64 * (4 * (Math.floor(P / 3) + 4)) + 64);
}

const ln2Cache = new Map<number, bigint>();

/** ln(num/den) * 2^P rounded toward minus infinity within errorUlps(P) units. */
function lnFixed(num: bigint, den: bigint, P: number): bigint {
  // num/den = 2^k * mant with mant in [1, 2); ln = k ln 2 + 2 atanh((mant - 1) / (mant + 1))
  let k = bitLength(num) - bitLength(den);
  const scaled = (kk: number): [bigint, bigint] => (kk >= 0 ? [num, den << BigInt(kk)] : [num << BigInt(-kk), den]);
  let [n, dd] = scaled(k);
  if (n < dd) [n, dd] = scaled(--k);
  const u = ((n - dd) << BigInt(P)) / (n + dd); // in [0, 1/3) * 2^P
  let ln2 = ln2Cache.get(P);
  if (ln2 === undefined) {
    ln2 = 2n * atanhFixed((1n << BigInt(P)) / 3n, P);
    ln2Cache.set(P, ln2);
  }
  return BigInt(k) * ln2 + 2n * atanhFixed(u, P);
}

function atanhFixed(u: bigint, P: number): bigint {
  const u2 = (u * u) >> BigInt(P);
  let term = u,
    sum = 0n;
  for (let j = 1n; term !== 0n; j += 2n) {
    sum += term / j;
    term = (term * u2) >> BigInt(P);
  }
  return sum;
}

function bitLength(x: bigint): number {
  return x.toString(2).length;
}
