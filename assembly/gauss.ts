// Standard normals by Box–Muller on 4 SIMD lanes, with our own log, sin and cos built only from
// IEEE +, -, *, /, sqrt, so every engine produces the same bits (DESIGN §3, determinism).
//
// Per lane and per pair of rows (2t, 2t+1) two xoshiro128** outputs r1, r2 give
//   u1 = (r1 >>> 9 + 0.5) * 2^-23  in [2^-24, 1 - 2^-24]   (never 0 or 1)
//   u2 = (r2 >>> 8) * 2^-24        in [0, 1)
//   z[2t] = sqrt(-2 ln u1) * cos(2 pi u2),  z[2t+1] = sqrt(-2 ln u1) * sin(2 pi u2).
// |z| <= sqrt(48 ln 2) = 5.77, so the tails beyond 5.77 sigma (mass 8e-9) are cut.
//
// Accuracy (tested in test/gauss.test.ts over 2^20 draws against float64 Math on the same u1, u2):
//   |z - z_exact| <= 2^-21 * max(1, |z|)   (about 4 float32 ulps at |z| ~ 1).

import { CHUNK_ROWS, forEachChunkGroup, laneState } from "./rng";

const LN2_HI: f32 = 0.693145751953125; // ln 2 split so e*LN2_HI is exact for |e| < 2^8
const LN2_LO: f32 = 1.428606765330187e-6;
const SQRT2: f32 = 1.4142135623730951;

/** ln(u) for 4 positive normal floats. */
@inline export function lnf4(u: v128): v128 {
  let e = i32x4.sub(i32x4.shr_u(u, 23), i32x4.splat(127));
  let m = v128.or(v128.and(u, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000)); // [1, 2)
  const big = f32x4.gt(m, f32x4.splat(SQRT2));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big); // [sqrt(1/2), sqrt(2))
  e = i32x4.sub(e, big); // big lanes are all-ones (-1): e + 1
  const f = f32x4.sub(m, f32x4.splat(1.0));
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2.0), f));
  const s2 = f32x4.mul(s, s);
  // ln(1+f) = 2 atanh(s) = 2s + 2s^3/3 + ... ; |s| <= 0.1716 so the s^11 term is below 1e-9.
  let p = f32x4.splat(0.2222222222222222);
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(0.2857142857142857));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(0.4));
  p = f32x4.add(f32x4.mul(p, s2), f32x4.splat(0.6666666666666666));
  const r = f32x4.add(f32x4.mul(f32x4.mul(p, s2), s), f32x4.add(s, s));
  const ef = f32x4.convert_i32x4_s(e);
  return f32x4.add(f32x4.mul(ef, f32x4.splat(LN2_HI)), f32x4.add(f32x4.mul(ef, f32x4.splat(LN2_LO)), r));
}

// Taylor coefficients of sin(pi/2 g) and cos(pi/2 g) in g, for |g| <= 1/2 (angle <= pi/4).
const S1: f32 = 1.5707963267948966;
const S3: f32 = -0.6459640975062462;
const S5: f32 = 0.07969262624616703;
const S7: f32 = -0.004681754135318687;
const S9: f32 = 0.00016044118478735982;
const C2: f32 = -1.2337005501361697;
const C4: f32 = 0.2536695079010480;
const C6: f32 = -0.020863480763352961;
const C8: f32 = 0.00091926027483942659;
const C10: f32 = -0.000025202042373060604;

// Angles come in turns (u in [0, 1)), so the quarter-turn range reduction is exact:
// 4u = k + g with k = nearest(4u) and |g| <= 1/2, and 2 pi u = k pi/2 + g pi/2.
@inline function turnQuadrant(u: v128): v128 {
  return f32x4.nearest(f32x4.mul(u, f32x4.splat(4.0)));
}

/** Fills the tile with `rows` rows of 4-lane standard normals drawn from laneState. */
export function gaussLanes(tile: usize, rows: i32): void {
  let s0 = v128.load(laneState), s1 = v128.load(laneState, 16), s2 = v128.load(laneState, 32), s3 = v128.load(laneState, 48);
  const five = i32x4.splat(5), nine = i32x4.splat(9);
  const half = f32x4.splat(0.5), grid23 = f32x4.splat(1.1920928955078125e-7), grid24 = f32x4.splat(5.9604644775390625e-8);
  const minusTwo = f32x4.splat(-2.0), four = f32x4.splat(4.0), one = f32x4.splat(1.0);
  for (let t = 0; t < rows; t += 2) {
    // two xoshiro128** steps, inlined so the state stays in registers
    const r1 = i32x4.mul(v128.or(i32x4.shl(i32x4.mul(s1, five), 7), i32x4.shr_u(i32x4.mul(s1, five), 25)), nine);
    let sh = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, sh); s3 = v128.or(i32x4.shl(s3, 11), i32x4.shr_u(s3, 21));
    const r2 = i32x4.mul(v128.or(i32x4.shl(i32x4.mul(s1, five), 7), i32x4.shr_u(i32x4.mul(s1, five), 25)), nine);
    sh = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, sh); s3 = v128.or(i32x4.shl(s3, 11), i32x4.shr_u(s3, 21));

    const u1 = f32x4.mul(f32x4.add(f32x4.convert_i32x4_u(i32x4.shr_u(r1, 9)), half), grid23);
    const u2 = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(r2, 8)), grid24);
    const radius = f32x4.sqrt(f32x4.mul(minusTwo, lnf4(u1)));

    const q = f32x4.mul(u2, four);
    const kf = turnQuadrant(u2);
    const g = f32x4.sub(q, kf);
    const g2 = f32x4.mul(g, g);
    let sp = f32x4.add(f32x4.mul(f32x4.splat(S9), g2), f32x4.splat(S7));
    sp = f32x4.add(f32x4.mul(sp, g2), f32x4.splat(S5));
    sp = f32x4.add(f32x4.mul(sp, g2), f32x4.splat(S3));
    sp = f32x4.add(f32x4.mul(sp, g2), f32x4.splat(S1));
    const sn = f32x4.mul(sp, g);
    let cp = f32x4.add(f32x4.mul(f32x4.splat(C10), g2), f32x4.splat(C8));
    cp = f32x4.add(f32x4.mul(cp, g2), f32x4.splat(C6));
    cp = f32x4.add(f32x4.mul(cp, g2), f32x4.splat(C4));
    cp = f32x4.add(f32x4.mul(cp, g2), f32x4.splat(C2));
    const cs = f32x4.add(f32x4.mul(cp, g2), one);

    // rotate (cs, sn) by k quarter turns: odd k swaps, and signs follow the quadrant
    const k = i32x4.trunc_sat_f32x4_s(kf);
    const swap = i32x4.ne(v128.and(k, i32x4.splat(1)), i32x4.splat(0));
    const cBase = v128.bitselect(sn, cs, swap);
    const sBase = v128.bitselect(cs, sn, swap);
    const cSign = i32x4.shl(v128.and(i32x4.add(k, i32x4.splat(1)), i32x4.splat(2)), 30);
    const sSign = i32x4.shl(v128.and(k, i32x4.splat(2)), 30);
    const cosv = v128.xor(cBase, cSign);
    const sinv = v128.xor(sBase, sSign);

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
