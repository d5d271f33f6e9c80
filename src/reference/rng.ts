// Scalar twin of assembly/rng.ts: one lane at a time, BigInt for the 64-bit seeding.
import { mix64 } from '../core/hash.js';

export const CHUNK_ROWS = 1024;
const M64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const COORD_MUL = 0xd1b54a32d192ed03n;

export function laneSeed(key: bigint, chunk: number, coord: number): bigint {
  const a = mix64(key ^ ((BigInt(chunk >>> 0) * GOLDEN) & M64));
  return mix64(a ^ ((BigInt(coord >>> 0) * COORD_MUL + GOLDEN) & M64));
}

/** One xoshiro128** stream (a single lane). */
export class Xoshiro128 {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  constructor(key: bigint, chunk: number, coord: number) {
    let h = laneSeed(key, chunk, coord);
    h = (h + GOLDEN) & M64;
    let a = mix64(h);
    h = (h + GOLDEN) & M64;
    const b = mix64(h);
    if ((a | b) === 0n) a = 1n;
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
  }
  /** The next output as an unsigned 32-bit integer. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Calls `gen(stream, chunkRowsNeeded)` per (chunk, coordinate) like assembly forEachChunkGroup. */
export function fillColumns(
  key: bigint,
  rowStart: number,
  rows: number,
  coords: ArrayLike<number>,
  out: Float32Array,
  ld: number,
  gen: (rng: Xoshiro128, need: number) => Float32Array,
): void {
  const rowEnd = rowStart + rows;
  for (let chunk = Math.floor(rowStart / CHUNK_ROWS); chunk * CHUNK_ROWS < rowEnd; chunk++) {
    const c0 = chunk * CHUNK_ROWS;
    const lo = Math.max(rowStart, c0) - c0;
    const hi = Math.min(rowEnd, c0 + CHUNK_ROWS) - c0;
    for (let j = 0; j < coords.length; j++) {
      const col = gen(new Xoshiro128(key, chunk, coords[j]!), hi);
      for (let t = lo; t < hi; t++) out[(c0 + t - rowStart) * ld + j] = col[t]!;
    }
  }
}

export function uniformFillCols(
  key: bigint,
  rowStart: number,
  rows: number,
  coords: ArrayLike<number>,
  out: Float32Array,
  ld: number,
): void {
  fillColumns(key, rowStart, rows, coords, out, ld, (rng, need) => {
    const col = new Float32Array(need);
    for (let t = 0; t < need; t++) col[t] = (rng.next() >>> 8) * 5.9604644775390625e-8;
    return col;
  });
}
