// Standard normals by Box–Muller on 4 SIMD lanes, with our own log, sin and cos built only from
// IEEE +, -, *, /, sqrt, so every engine produces the same bits (DESIGN §3, determinism).
//
// Per lane and per pair of rows (2t, 2t+1) two xoshiro128** outputs r1, r2 give
//   u1 = ((r1 >>> 1) + ((r2 & 255) + 0.5) / 256) * 2^-31   in [2^-40, 1]   (f32-rounded, never 0)
//   a quadrant k = r2 >>> 30 and an offset g = ((r2 >>> 8) & (2^22 - 1)) * 2^-22 - 1/2 in [-1/2, 1/2)
//   z[2t] = sqrt(-2 ln u1) * cos((k + g) pi/2),  z[2t+1] = sqrt(-2 ln u1) * sin((k + g) pi/2).
// (k + g)/4 is a uniform angle in turns on a 2^-24 grid. u1 takes 39 random bits, so the radius
// reaches sqrt(80 ln 2) = 7.44 sigma: the tails cut beyond it carry 1e-12 of the mass, and
// E[h_k(z)^2] loses 2e-4 at k = 8 and 2% at k = 12. (With a 23-bit u1, |z| <= 5.77 and those losses
// would be 10% and 43%: too much for Hermite scores and links of high degree.)
//
// Accuracy (tested in test/gauss.test.ts over 2^20 draws against float64 Math on the same u1, k, g):
//   |z - z_exact| <= 2^-21 * max(1, |z|)   (about 4 float32 ulps at |z| ~ 1).

import { CHUNK_ROWS, forEachChunkGroup, laneState, skipLanes } from "./rng";


// Constants live in a table and are read with v128.load inside the loops. A v128.const costs V8
// three instructions per use (movabs, vmovq, vpunpcklqdq), rematerialised in the loop because
// 30 constants cannot all stay in 16 xmm registers; a load from the table is one instruction.
// With the multiplies of xoshiro's scrambler as shifts (starstar) this took the loop from 221 to
// 178 x64 instructions per 8 normals, and gauss.fill from 310 to 388 M/s (CPU-time medians); the
// integer range reduction in lnf4 and the quadrant from r2's bits then took it to 167 and ~395 M/s.
// (What remains: TurboFan hoists the table loads to the top of the loop and spills ~12 of them.)
const TAB = memory.data<f32>([
  0.5, 0.5, 0.5, 0.5, //                                  0: half
  4.656612873077393e-10, 4.656612873077393e-10, 4.656612873077393e-10, 4.656612873077393e-10, // 16: 2^-31
  2.384185791015625e-7, 2.384185791015625e-7, 2.384185791015625e-7, 2.384185791015625e-7, // 32: 2^-22
  -2.0, -2.0, -2.0, -2.0, //                              48
  0.00390625, 0.00390625, 0.00390625, 0.00390625, //      64: 2^-8
  1.0, 1.0, 1.0, 1.0, //                                  80
  1.4142135623730951, 1.4142135623730951, 1.4142135623730951, 1.4142135623730951, // 96: SQRT2
  2.0, 2.0, 2.0, 2.0, //                                  112
  0.2222222222222222, 0.2222222222222222, 0.2222222222222222, 0.2222222222222222, // 128: P9
  0.2857142857142857, 0.2857142857142857, 0.2857142857142857, 0.2857142857142857, // 144: P7
  0.4, 0.4, 0.4, 0.4, //                                  160: P5
  0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666, // 176: P3
  0.693145751953125, 0.693145751953125, 0.693145751953125, 0.693145751953125, // 192: LN2_HI
  1.428606765330187e-6, 1.428606765330187e-6, 1.428606765330187e-6, 1.428606765330187e-6, // 208: LN2_LO
  // (ln 2 split so e*LN2_HI is exact for |e| < 2^8)
  1.5707963267948966, 1.5707963267948966, 1.5707963267948966, 1.5707963267948966, // 224: S1
  -0.6459640975062462, -0.6459640975062462, -0.6459640975062462, -0.6459640975062462, // 240: S3
  0.07969262624616703, 0.07969262624616703, 0.07969262624616703, 0.07969262624616703, // 256: S5
  -0.004681754135318687, -0.004681754135318687, -0.004681754135318687, -0.004681754135318687, // 272: S7
  0.00016044118478735982, 0.00016044118478735982, 0.00016044118478735982, 0.00016044118478735982, // 288: S9
  -1.2337005501361697, -1.2337005501361697, -1.2337005501361697, -1.2337005501361697, // 304: C2
  0.2536695079010480, 0.2536695079010480, 0.2536695079010480, 0.2536695079010480, // 320: C4
  -0.020863480763352961, -0.020863480763352961, -0.020863480763352961, -0.020863480763352961, // 336: C6
  0.00091926027483942659, 0.00091926027483942659, 0.00091926027483942659, 0.00091926027483942659, // 352: C8
  -0.000025202042373060604, -0.000025202042373060604, -0.000025202042373060604, -0.000025202042373060604, // 368: C10
  0.001953125, 0.001953125, 0.001953125, 0.001953125, //  384: 2^-9
], 16);
// integer constants, as their f32 bit patterns are awkward to write: filled once by initTab
const ITAB = memory.data(7 * 16, 16);
const I_MANT = 0, I_127 = 16, I_BYTE = 32, I_G22 = 48, I_SIGN = 64, I_CARRY = 80, I_M0 = 96;
let tabReady = false;
function initTab(): void {
  if (tabReady) return;
  v128.store(ITAB, i32x4.splat(0x007fffff), I_MANT);
  v128.store(ITAB, i32x4.splat(127), I_127);
  v128.store(ITAB, i32x4.splat(255), I_BYTE);
  v128.store(ITAB, i32x4.splat(0x3fffff), I_G22);
  v128.store(ITAB, i32x4.splat(0x80000000), I_SIGN);
  v128.store(ITAB, i32x4.splat(0x3f800000 - 0x3f3504f4), I_CARRY);
  v128.store(ITAB, i32x4.splat(0x3f3504f4), I_M0);
  tabReady = true;
}
@inline function c(off: usize): v128 { return v128.load(TAB + off); }
@inline function ci(off: usize): v128 { return v128.load(ITAB + off); }

/** ln(u) for 4 positive normal floats. */
@inline export function lnf4(u: v128): v128 {
  // u = 2^e m with m in [sqrt(1/2), sqrt(2)) in integer ops: adding 0x3f800000 - 0x3f3504f4 to u's
  // bits carries into the exponent exactly when u's mantissa exceeds f32(sqrt 2)'s (the halving
  // case), and the low 23 bits plus 0x3f3504f4 rebuild m. (The same m and e as halving the mantissa
  // of [1, 2) above sqrt 2, in 5 instructions instead of 10.)
  const ix = i32x4.add(u, ci(I_CARRY));
  const e = i32x4.sub(i32x4.shr_u(ix, 23), ci(I_127));
  const m = i32x4.add(v128.and(ix, ci(I_MANT)), ci(I_M0));
  const f = f32x4.sub(m, c(80));
  const s = f32x4.div(f, f32x4.add(c(112), f));
  const s2 = f32x4.mul(s, s);
  // ln(1+f) = 2 atanh(s) = 2s + 2s^3/3 + ... ; |s| <= 0.1716 so the s^11 term is below 1e-9.
  let p = c(128);
  p = f32x4.add(f32x4.mul(p, s2), c(144));
  p = f32x4.add(f32x4.mul(p, s2), c(160));
  p = f32x4.add(f32x4.mul(p, s2), c(176));
  const r = f32x4.add(f32x4.mul(f32x4.mul(p, s2), s), f32x4.add(s, s));
  const ef = f32x4.convert_i32x4_s(e);
  return f32x4.add(f32x4.mul(ef, c(192)), f32x4.add(f32x4.mul(ef, c(208)), r));
}

// xoshiro128**'s output rotl(s1 * 5, 7) * 9 with the multiplies as shifts and adds (x*5 = (x<<2)+x,
// x*9 = (x<<3)+x, exact mod 2^32): i32x4.mul is pmulld on x64, 2 uops with a 10-cycle latency.
@inline export function starstar(s1: v128): v128 {
  const x5 = i32x4.add(i32x4.shl(s1, 2), s1);
  const r = v128.or(i32x4.shl(x5, 7), i32x4.shr_u(x5, 25));
  return i32x4.add(i32x4.shl(r, 3), r);
}

/**
 * Fills tile rows [from & ~1, rows) with 4-lane standard normals drawn from laneState. A pair of
 * rows takes two steps, so the rows before from & ~1 are skipped as that many raw steps.
 */
export function gaussLanes(tile: usize, from: i32, rows: i32): void {
  initTab();
  const first = from & ~1;
  skipLanes(laneState, first);
  let s0 = v128.load(laneState), s1 = v128.load(laneState, 16), s2 = v128.load(laneState, 32), s3 = v128.load(laneState, 48);
  for (let t = first; t < rows; t += 2) {
    // two xoshiro128** steps, inlined so the state stays in registers
    const r1 = starstar(s1);
    let sh = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, sh); s3 = v128.or(i32x4.shl(s3, 11), i32x4.shr_u(s3, 21));
    const r2 = starstar(s1);
    sh = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, sh); s3 = v128.or(i32x4.shl(s3, 11), i32x4.shr_u(s3, 21));

    // u1: 31 bits of r1 and 8 of r2; every conversion is signed (one instruction) and the sum is
    // exact while r1 >>> 1 < 2^15, where the low bits matter (above, f32 keeps 24 bits anyway)
    const lo = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(v128.and(r2, ci(I_BYTE))), c(64)), c(384));
    const u1 = f32x4.mul(f32x4.add(f32x4.convert_i32x4_s(i32x4.shr_u(r1, 1)), lo), c(16));
    const radius = f32x4.sqrt(f32x4.mul(c(48), lnf4(u1)));

    // the angle (k + g) pi/2: g = j 2^-22 - 1/2 exactly, for the 22 bits j below the quadrant
    const g = f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(v128.and(i32x4.shr_u(r2, 8), ci(I_G22))), c(32)), c(0));
    const g2 = f32x4.mul(g, g);
    let sp = f32x4.add(f32x4.mul(c(288), g2), c(272));
    sp = f32x4.add(f32x4.mul(sp, g2), c(256));
    sp = f32x4.add(f32x4.mul(sp, g2), c(240));
    sp = f32x4.add(f32x4.mul(sp, g2), c(224));
    const sn = f32x4.mul(sp, g);
    let cp = f32x4.add(f32x4.mul(c(368), g2), c(352));
    cp = f32x4.add(f32x4.mul(cp, g2), c(336));
    cp = f32x4.add(f32x4.mul(cp, g2), c(320));
    cp = f32x4.add(f32x4.mul(cp, g2), c(304));
    const cs = f32x4.add(f32x4.mul(cp, g2), c(80));

    // rotate (cs, sn) by k = r2 >>> 30 quarter turns: odd k (bit 30) swaps the two, sin's sign is
    // k's bit 1 (bit 31) and cos's is bit 1 of k + 1, i.e. bit 31 xor bit 30
    const odd = i32x4.shr_s(i32x4.shl(r2, 1), 31);
    const swap = v128.and(v128.xor(cs, sn), odd);
    const cosv = v128.xor(v128.xor(cs, swap), v128.and(v128.xor(r2, i32x4.shl(r2, 1)), ci(I_SIGN)));
    const sinv = v128.xor(v128.xor(sn, swap), v128.and(r2, ci(I_SIGN)));

    const p = tile + (<usize>t << 4);
    v128.store(p, f32x4.mul(radius, cosv));
    v128.store(p, f32x4.mul(radius, sinv), 16);
  }
  v128.store(laneState, s0); v128.store(laneState, s1, 16); v128.store(laneState, s2, 32); v128.store(laneState, s3, 48);
}

/**
 * Standard normals of the virtual matrix of stream `key`: rows [rowStart, rowStart + rows) and
 * coordinates `coords` (u32 ids, or coordBase + j when coords == 0), written to out[(t - rowStart) * ld + j].
 */
export function gauss_fill_cols(keyLo: u32, keyHi: u32, rowStart: i32, rows: i32, coords: usize, coordBase: u32, nc: i32, out: usize, ld: i32): void {
  forEachChunkGroup((u64(keyHi) << 32) | u64(keyLo), rowStart, rows, coords, coordBase, nc, gaussLanes, out, ld);
}

/** A flat fill of n normals (4 interleaved lane streams), the kernel benchmarked as `gauss.fill`. */
export function gauss_fill(keyLo: u32, keyHi: u32, n: i32, out: usize): void {
  const full = n >> 2;
  gauss_fill_cols(keyLo, keyHi, 0, full, 0, 0, 4, out, 4);
  const rest = n & 3;
  if (rest > 0) {
    // the tail row comes from the same streams, so gauss_fill(n) is a prefix of gauss_fill(n + k)
    gauss_fill_cols(keyLo, keyHi, full, 1, 0, 0, rest, out + (<usize>(full << 2) << 2), 4);
  }
}

// CHUNK_ROWS is even, so a chunk's pairs never straddle chunks.
assert(CHUNK_ROWS % 2 == 0);
