// Scalar twin of assembly/gauss.ts. Every float32 operation of the SIMD kernel is reproduced
// with Math.fround after each IEEE op (exact emulation: double has more than 2*24+2 bits), so
// the twin matches the kernel bit for bit. Math.* here is only +,-,*,/,sqrt: no host transcendental.
import { type Xoshiro128, fillColumns } from './rng.js';

const f = Math.fround;
const LN2_HI = f(0.693145751953125);
const LN2_LO = f(1.428606765330187e-6);
const SQRT2 = f(1.4142135623730951);
const S1 = f(1.5707963267948966),
  S3 = f(-0.6459640975062462),
  S5 = f(0.07969262624616703);
const S7 = f(-0.004681754135318687),
  S9 = f(0.00016044118478735983);
const C2 = f(-1.2337005501361697),
  C4 = f(0.253669507901048),
  C6 = f(-0.020863480763352961);
const C8 = f(0.00091926027483942659),
  C10 = f(-0.000025202042373060603);
const P9 = f(0.2222222222222222),
  P7 = f(0.2857142857142857),
  P5 = f(0.4),
  P3 = f(0.6666666666666666);

const bits = new DataView(new ArrayBuffer(4));
function floatBits(x: number): number {
  bits.setFloat32(0, x);
  return bits.getUint32(0);
}
function bitsFloat(u: number): number {
  bits.setUint32(0, u >>> 0);
  return bits.getFloat32(0);
}

/** The kernel's ln for a positive normal float32. */
export function lnf(u: number): number {
  const b = floatBits(u);
  let e = (b >>> 23) - 127;
  let m = bitsFloat((b & 0x007fffff) | 0x3f800000);
  if (m > SQRT2) {
    m = f(m * 0.5);
    e += 1;
  }
  const fr = f(m - 1);
  const s = f(fr / f(2 + fr));
  const s2 = f(s * s);
  let p = P9;
  p = f(f(p * s2) + P7);
  p = f(f(p * s2) + P5);
  p = f(f(p * s2) + P3);
  const r = f(f(f(p * s2) * s) + f(s + s));
  return f(f(e * LN2_HI) + f(f(e * LN2_LO) + r));
}

/** cos and sin of (k + g) pi/2 for a quadrant k in 0..3 and g in [-1/2, 1/2), as the kernel computes them. */
export function cosSinQuarter(k: number, g: number): [number, number] {
  const g2 = f(g * g);
  let sp = f(f(S9 * g2) + S7);
  sp = f(f(sp * g2) + S5);
  sp = f(f(sp * g2) + S3);
  sp = f(f(sp * g2) + S1);
  const sn = f(sp * g);
  let cp = f(f(C10 * g2) + C8);
  cp = f(f(cp * g2) + C6);
  cp = f(f(cp * g2) + C4);
  cp = f(f(cp * g2) + C2);
  const cs = f(f(cp * g2) + 1);
  const c = k & 1 ? sn : cs;
  const s = k & 1 ? cs : sn;
  return [(k + 1) & 2 ? -c : c, k & 2 ? -s : s];
}

/** The Box–Muller inputs the kernel derives from two raw outputs: u1 (f32, in [2^-40, 1]), k and g. */
export function boxMullerInputs(r1: number, r2: number): { u1: number; k: number; g: number } {
  const lo = f(f((r2 & 255) * 2 ** -8) + 2 ** -9);
  const u1 = f(f(f(r1 >>> 1) + lo) * 2 ** -31);
  const g = f(f(((r2 >>> 8) & 0x3fffff) * 2 ** -22) - 0.5);
  return { u1, k: r2 >>> 30, g };
}

/** The pair of normals the kernel makes from two raw outputs r1, r2. */
export function boxMullerBits(r1: number, r2: number): [number, number] {
  const { u1, k, g } = boxMullerInputs(r1 >>> 0, r2 >>> 0);
  const radius = f(Math.sqrt(f(-2 * lnf(u1))));
  const [c, s] = cosSinQuarter(k, g);
  return [f(radius * c), f(radius * s)];
}

/** The next pair of normals from one lane stream. */
export function boxMuller(rng: Xoshiro128): [number, number] {
  const r1 = rng.next(),
    r2 = rng.next();
  return boxMullerBits(r1, r2);
}

/** The first `need` normals of one lane stream. */
export function gaussColumn(rng: Xoshiro128, need: number): Float32Array {
  const col = new Float32Array(need + (need & 1));
  for (let t = 0; t < need; t += 2) {
    const [a, b] = boxMuller(rng);
    col[t] = a;
    col[t + 1] = b;
  }
  return col;
}

export function gaussFillCols(
  key: bigint,
  rowStart: number,
  rows: number,
  coords: ArrayLike<number>,
  out: Float32Array,
  ld: number,
): void {
  fillColumns(key, rowStart, rows, coords, out, ld, gaussColumn);
}

/** Twin of gauss_fill: lanes 0..3 interleaved, out[4t + l]. */
export function gaussFill(key: bigint, n: number): Float32Array {
  const out = new Float32Array(n);
  const full = n >> 2;
  const rows = full + (n & 3 ? 1 : 0);
  const tmp = new Float32Array(rows * 4);
  gaussFillCols(key, 0, rows, [0, 1, 2, 3], tmp, 4);
  out.set(tmp.subarray(0, n));
  return out;
}
