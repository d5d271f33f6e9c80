// Counter-based seeding plus per-lane xoshiro128** streams.
//
// Every random number prunelab draws is a pure function of (stream key, row chunk, coordinate):
// each coordinate of each CHUNK_ROWS-row chunk owns an independent xoshiro128** stream seeded by
// splitmix64 mixing. Consequences, all deliberate:
//  - a chunk can be regenerated alone, in any order, by any worker;
//  - sampling only a subset of coordinates yields exactly the values full sampling would have
//    produced for them (the exact shortcut of DESIGN §2.2 is then bit-exact, not just in law);
//  - the 4 SIMD lanes are 4 coordinates, so a vector store writes 4 adjacent columns of a row.

export const CHUNK_ROWS: i32 = 1024;
const GOLDEN: u64 = 0x9e3779b97f4a7c15;
const COORD_MUL: u64 = 0xd1b54a32d192ed03;

// Reserved coordinate ids for draws that are not columns of x (labels' noise, biases, signs).
export const NOISE_COORD: u32 = 0xffffffff;

@inline export function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** The splitmix64 seed of one lane stream. */
@inline export function laneSeed(key: u64, chunk: u32, coord: u32): u64 {
  return mix64(mix64(key ^ (u64(chunk) * GOLDEN)) ^ (u64(coord) * COORD_MUL + GOLDEN));
}

// Scratch for assembling 4 lanes' states before loading them as vectors.
// (per-thread scratch like every buffer below: `let` so a threads build can re-point it, see threads.ts;
// the single-thread build never writes these globals, and binaryen folds them to constants)
let seedScratch: usize = memory.data(64, 16);

/**
 * Seeds 4 lanes for (key, chunk, coords[0..3]) and writes the xoshiro128** state as 4 vectors
 * (s0, s1, s2, s3; lane l of each belongs to coordinate l) at `state`.
 */
export function seedLanes(key: u64, chunk: u32, c0: u32, c1: u32, c2: u32, c3: u32, state: usize): void {
  seedOne(key, chunk, c0, 0);
  seedOne(key, chunk, c1, 1);
  seedOne(key, chunk, c2, 2);
  seedOne(key, chunk, c3, 3);
  memory.copy(state, seedScratch, 64);
}

@inline function seedOne(key: u64, chunk: u32, coord: u32, lane: usize): void {
  let h = laneSeed(key, chunk, coord);
  h += GOLDEN;
  let a = mix64(h);
  h += GOLDEN;
  const b = mix64(h);
  if ((a | b) == 0) a = 1; // xoshiro's one forbidden state; unreachable in practice
  store<u32>(seedScratch + lane * 4, u32(a));
  store<u32>(seedScratch + 16 + lane * 4, u32(a >> 32));
  store<u32>(seedScratch + 32 + lane * 4, u32(b));
  store<u32>(seedScratch + 48 + lane * 4, u32(b >> 32));
}

@inline export function rotl(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}

/**
 * Advances 4 lanes' state at `state` by `steps` xoshiro128** steps without scrambling an output:
 * how a fill that starts inside a chunk reaches its first row. A step is ~10 SIMD ops against
 * ~90 per normal pair, so regenerating rows [lo, hi) of a chunk costs about hi - lo rows, not hi.
 */
export function skipLanes(state: usize, steps: i32): void {
  if (steps <= 0) return;
  let s0 = v128.load(state), s1 = v128.load(state, 16), s2 = v128.load(state, 32), s3 = v128.load(state, 48);
  for (let t = 0; t < steps; t++) {
    const sh = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, sh); s3 = rotl(s3, 11);
  }
  v128.store(state, s0); v128.store(state, s1, 16); v128.store(state, s2, 32); v128.store(state, s3, 48);
}

/**
 * Fills `rows` entries of 4 lanes with raw xoshiro128** outputs, row-major (out[4t + l]), then
 * stores the advanced state back. Used by the uniform fills and the tests of the generator.
 */
export function xoshiroLanes(state: usize, rows: i32, out: usize): void {
  let s0 = v128.load(state), s1 = v128.load(state, 16), s2 = v128.load(state, 32), s3 = v128.load(state, 48);
  const five = i32x4.splat(5), nine = i32x4.splat(9);
  for (let t = 0; t < rows; t++) {
    const r = i32x4.mul(rotl(i32x4.mul(s1, five), 7), nine);
    const sh = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, sh); s3 = rotl(s3, 11);
    v128.store(out + (<usize>t << 4), r);
  }
  v128.store(state, s0); v128.store(state, s1, 16); v128.store(state, s2, 32); v128.store(state, s3, 48);
}

// One lane-group's state, reused by every fill (per instance: see rngUseScratch).
export let laneState: usize = memory.data(64, 16);
// Scratch for the chunks of up to GROUP_BATCH lane groups: CHUNK_ROWS rows x 4 lanes x 4 bytes
// each (256 KiB, L2-resident). The Hermite stream uses only the first.
const GROUP_BATCH: i32 = 16;
export const TILE_BYTES: usize = <usize>CHUNK_ROWS * 16;
export const LANE_TILES_BYTES: usize = <usize>GROUP_BATCH * TILE_BYTES;
export let laneTiles: usize = memory.data(GROUP_BATCH * CHUNK_ROWS * 16, 16);

/**
 * Uniform [0, 1) floats with 24 random bits, for coordinates `coords` (u32 ids; when coords == 0
 * the ids are coordBase + j) and rows [rowStart, rowStart + rows), written to out[(t-rowStart)*ld + j].
 */
export function uniform_fill_cols(keyLo: u32, keyHi: u32, rowStart: i32, rows: i32, coords: usize, coordBase: u32, nc: i32, out: usize, ld: i32): void {
  const key = (u64(keyHi) << 32) | u64(keyLo);
  forEachChunkGroup(key, rowStart, rows, coords, coordBase, nc, uniformLanes, out, ld);
}

/** Fills tile rows [from, rows) of 4-lane uniforms [0, 1) on the 2^-24 grid (one step per row). */
export function uniformLanes(tile: usize, from: i32, rows: i32): void {
  skipLanes(laneState, from);
  xoshiroLanes(laneState, rows - from, tile + (<usize>from << 4));
  const scale = f32x4.splat(5.9604644775390625e-8); // 2^-24
  for (let t = from; t < rows; t++) {
    const p = tile + (<usize>t << 4);
    v128.store(p, f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(v128.load(p), 8)), scale));
  }
}

// Calls `gen(tile, lo, hi)` once per (chunk, group of 4 coordinates) after seeding laneState; gen
// must write at least tile rows [lo, hi) of the chunk (the rows the request covers), each at its
// own place in the tile, skipping the state past the rows before lo rather than generating them.
// The requested rows and lanes are then copied to out. Passing the generator keeps the chunk
// bookkeeping in one place.
//
// Up to GROUP_BATCH groups (64 coordinates) are generated before the copy, which then writes each
// row's 256 bytes in one go. Copying group by group wrote 16 bytes per row at the row stride, and
// for wide rows (d = 4096: a 16 KiB stride, one L1 set) every store missed: the 16384 x 4096 fill
// of a dense trial took 290 ms instead of the 185 ms of the same normals written flat.
export function forEachChunkGroup(key: u64, rowStart: i32, rows: i32, coords: usize, coordBase: u32, nc: i32,
  gen: (tile: usize, from: i32, need: i32) => void, out: usize, ld: i32): void {
  if (rows <= 0 || nc <= 0) return;
  const rowEnd = rowStart + rows;
  const ldB = <usize>ld << 2;
  let chunk = rowStart / CHUNK_ROWS;
  for (; chunk * CHUNK_ROWS < rowEnd; chunk++) {
    const c0 = chunk * CHUNK_ROWS;
    const lo = max(rowStart, c0) - c0;
    const hi = min(rowEnd, c0 + CHUNK_ROWS) - c0;
    for (let j0 = 0; j0 < nc; j0 += GROUP_BATCH << 2) {
      const groups = min(GROUP_BATCH, (nc - j0 + 3) >> 2);
      for (let g = 0; g < groups; g++) {
        const j = j0 + (g << 2);
        const k0 = coordAt(coords, coordBase, j, nc), k1 = coordAt(coords, coordBase, j + 1, nc);
        const k2 = coordAt(coords, coordBase, j + 2, nc), k3 = coordAt(coords, coordBase, j + 3, nc);
        seedLanes(key, u32(chunk), k0, k1, k2, k3, laneState);
        gen(laneTiles + <usize>g * TILE_BYTES, lo, hi);
      }
      const full = min(groups, (nc - j0) >> 2); // groups whose 4 lanes are all real
      const rest = min(4, nc - j0 - (full << 2)); // lanes of a last partial group, if any
      let dst = out + <usize>(c0 + lo - rowStart) * ldB + (<usize>j0 << 2);
      if (groups == 1 && full == 1) { // one whole group (the flat fill): the plain copy
        for (let t = lo; t < hi; t++) {
          v128.store(dst, v128.load(laneTiles + (<usize>t << 4)));
          dst += ldB;
        }
        continue;
      }
      for (let t = lo; t < hi; t++) {
        const src = laneTiles + (<usize>t << 4);
        for (let g = 0; g < full; g++) {
          v128.store(dst + (<usize>g << 4), v128.load(src + <usize>g * TILE_BYTES));
        }
        if (full < groups) {
          const d = dst + (<usize>full << 4), s = src + <usize>full * TILE_BYTES;
          for (let l = 0; l < rest; l++) store<u32>(d + (<usize>l << 2), load<u32>(s + (<usize>l << 2)));
        }
        dst += ldB;
      }
    }
  }
}

// Padding lanes beyond nc reuse the last real coordinate: their output is discarded, and a
// real id keeps the seeding path identical for every lane.
@inline export function coordAt(coords: usize, coordBase: u32, j: i32, nc: i32): u32 {
  const jj = min(j, nc - 1);
  return coords == 0 ? coordBase + u32(jj) : load<u32>(coords + (<usize>jj << 2));
}

/** Raw xoshiro128** outputs of lanes seeded by (key, chunk, c0..c3): out[4t + l], for the twin tests. */
export function xoshiro_raw(keyLo: u32, keyHi: u32, chunk: u32, c0: u32, c1: u32, c2: u32, c3: u32, rows: i32, out: usize): void {
  seedLanes((u64(keyHi) << 32) | u64(keyLo), chunk, c0, c1, c2, c3, laneState);
  xoshiroLanes(laneState, rows, out);
}

/** Threads build only (threads.ts): moves this module's scratch to [p, p + RNG_SCRATCH_BYTES). */
export const RNG_SCRATCH_BYTES: usize = 128 + LANE_TILES_BYTES;
export function rngUseScratch(p: usize): void {
  seedScratch = p; laneState = p + 64; laneTiles = p + 128;
}
