// Typed wrappers of assembly/net.ts. They validate shapes and pointers (arena pointers, sizes in
// elements), then call the kernel; they hold no state. Arguments are named objects because the
// kernels take a dozen pointers and sizes, where a positional slip would go unnoticed. Leading
// dimensions default to dense rows. The contracts (what is overwritten, what is accumulated, the
// summation order and the chunk rule) are documented on the kernels in assembly/net.ts.
import type { KernelExports, Wasm } from '../wasm/index.js';
import { checkMatrix, checkSize, checkVector } from './check.js';

/** Rows per chunk: every reduction kernel takes at most this many rows per call. */
export const CHUNK_ROWS = 1024;

function checkChunk(fn: string, rows: number): void {
  if (rows > CHUNK_ROWS)
    throw new RangeError(
      `${fn}: rows must be at most ${CHUNK_ROWS} (one chunk per call, added in chunk order), got ${rows}`,
    );
}

function checkScratch(w: Wasm, fn: string, scratch: number, bytes: number): void {
  if (!Number.isInteger(scratch) || scratch <= 0 || scratch % 16 !== 0)
    throw new RangeError(`${fn}: scratch must be a 16-byte aligned arena pointer, got ${scratch}`);
  const size = w.exports.memory.buffer.byteLength;
  if (scratch + bytes > size)
    throw new RangeError(`${fn}: scratch needs ${bytes} bytes from ${scratch}, beyond wasm memory (${size} bytes)`);
}

/** The first layer and its data: X rows×k (ldx), W m×k (ldw), b and a f32 vectors of length m. */
export interface NetArgs {
  X: number;
  rows: number;
  k: number;
  ldx?: number;
  W: number;
  m: number;
  ldw?: number;
  b: number;
  a: number;
}

function checkNet(w: Wasm, fn: string, q: NetArgs): { ldx: number; ldw: number } {
  const ldx = q.ldx ?? q.k,
    ldw = q.ldw ?? q.k;
  checkSize(fn, 'rows', q.rows);
  checkSize(fn, 'k', q.k);
  checkSize(fn, 'm', q.m);
  checkMatrix(w, fn, 'X', q.X, q.rows, q.k, ldx);
  checkMatrix(w, fn, 'W', q.W, q.m, q.k, ldw);
  checkVector(w, fn, 'b', q.b, q.m);
  checkVector(w, fn, 'a', q.a, q.m);
  return { ldx, ldw };
}

/** out[t] (f64) = f(x_t) for every row; Z (rows×m, ldz) is scratch and holds relu(X·Wᵀ + b) on return. Any row count. */
export function netForward(w: Wasm, q: NetArgs & { Z: number; ldz?: number; out: number }): void {
  const fn = 'netForward';
  const { ldx, ldw } = checkNet(w, fn, q);
  const ldz = q.ldz ?? q.m;
  checkMatrix(w, fn, 'Z', q.Z, q.rows, q.m, ldz);
  checkVector(w, fn, 'out', q.out, q.rows, 8);
  w.exports.net_forward(q.X, q.rows, q.k, ldx, q.W, q.m, ldw, q.b, q.a, q.Z, ldz, q.out);
}

/** Scratch bytes netGrad needs for k columns and m neurons (allocate once per trial and reuse). */
export function netGradScratchBytes(w: Wasm, k: number, m: number): number {
  checkSize('netGradScratchBytes', 'k', k);
  checkSize('netGradScratchBytes', 'm', m);
  return w.exports.net_grad_scratch_bytes(k, m) >>> 0;
}

/**
 * Sets the row block of the fused gradient to about `floats` values of X (0: the kernel's default)
 * and returns the previous setting. It changes the speed, never a bit (the benchmark and the test
 * that shows it use it).
 */
export function netGradSetBlock(w: Wasm, floats: number): number {
  checkSize('netGradSetBlock', 'floats', floats);
  return w.exports.net_grad_set_block(floats);
}

/**
 * One chunk (rows ≤ CHUNK_ROWS) of the correlation-loss gradient, added to G (f64, m×k, ldg):
 * G[j,:] += −(a_j/N) Σ_t y_t 1{⟨w_j,x_t⟩+b_j > 0} x_t. Returns the chunk's loss contribution
 * −(1/N) Σ_t y_t f(x_t). N is the total sample count of the whole sum.
 */
export function netGrad(
  w: Wasm,
  q: NetArgs & { y: number; N: number; G: number; ldg?: number; scratch: number },
): number {
  const fn = 'netGrad';
  const { ldx, ldw } = checkNet(w, fn, q);
  checkChunk(fn, q.rows);
  const ldg = q.ldg ?? q.k;
  if (!(q.N > 0) || !Number.isFinite(q.N))
    throw new RangeError(`${fn}: N (the total sample count) must be a positive number, got ${q.N}`);
  checkVector(w, fn, 'y', q.y, q.rows);
  checkMatrix(w, fn, 'G', q.G, q.m, q.k, ldg, 8);
  checkScratch(w, fn, q.scratch, netGradScratchBytes(w, q.k, q.m));
  return w.exports.net_grad(q.X, q.rows, q.k, ldx, q.y, q.W, q.m, ldw, q.b, q.a, q.N, q.G, ldg, q.scratch);
}

/**
 * The arguments of net_grad_partial for one chunk (rows ≤ CHUNK_ROWS), checked: the chunk's raw
 * gradient terms and loss go to `scratch` (netGradScratchBytes), for netGradApply to add to G.
 * netGradPartial runs them here; netGradient hands them to a helper thread as they are.
 */
export function netGradPartialArgs(
  w: Wasm,
  q: NetArgs & { y: number; scratch: number },
): Parameters<KernelExports['net_grad_partial']> {
  const fn = 'netGradPartial';
  const { ldx, ldw } = checkNet(w, fn, q);
  checkChunk(fn, q.rows);
  checkVector(w, fn, 'y', q.y, q.rows);
  checkScratch(w, fn, q.scratch, netGradScratchBytes(w, q.k, q.m));
  return [q.X, q.rows, q.k, ldx, q.y, q.W, q.m, ldw, q.b, q.a, q.scratch];
}

/** The first half of netGrad: one chunk's terms into scratch; returns the chunk's loss sum. */
export function netGradPartial(w: Wasm, q: NetArgs & { y: number; scratch: number }): number {
  return w.exports.net_grad_partial(...netGradPartialArgs(w, q));
}

/**
 * The second half of netGrad: G (f64, m×k, ldg) += −(a_j/N)·(the chunk's terms in scratch, left
 * there by netGradPartial over `rows` rows). netGradPartial then netGradApply is netGrad, bit for bit.
 */
export function netGradApply(
  w: Wasm,
  q: { scratch: number; rows: number; k: number; m: number; a: number; N: number; G: number; ldg?: number },
): void {
  const fn = 'netGradApply';
  const ldg = q.ldg ?? q.k;
  checkSize(fn, 'rows', q.rows);
  checkChunk(fn, q.rows);
  checkSize(fn, 'k', q.k);
  checkSize(fn, 'm', q.m);
  if (!(q.N > 0) || !Number.isFinite(q.N))
    throw new RangeError(`${fn}: N (the total sample count) must be a positive number, got ${q.N}`);
  checkVector(w, fn, 'a', q.a, q.m);
  checkMatrix(w, fn, 'G', q.G, q.m, q.k, ldg, 8);
  checkScratch(w, fn, q.scratch, netGradScratchBytes(w, q.k, q.m));
  w.exports.net_grad_apply(q.scratch, q.rows, q.k, q.m, q.a, q.N, q.G, ldg);
}

/**
 * The masked spherical step in place on W (m×k, ldw) from G (f64, ldg): w_j ← normalise(M ⊙ (w_j −
 * η g_j/|a_j|)), or normalise(−M ⊙ g_j) when η = Infinity. `mask` is an f32 0/1 vector of length k
 * or 0 for none. Returns how many neurons had no direction (their rows become NaN): the trial diverged.
 */
export function netStep(
  w: Wasm,
  q: { W: number; m: number; k: number; ldw?: number; G: number; ldg?: number; a: number; eta: number; mask?: number },
): number {
  const fn = 'netStep';
  const ldw = q.ldw ?? q.k,
    ldg = q.ldg ?? q.k,
    mask = q.mask ?? 0;
  checkSize(fn, 'm', q.m);
  checkSize(fn, 'k', q.k);
  if (!(q.eta > 0)) throw new RangeError(`${fn}: eta must be a positive number or Infinity, got ${q.eta}`);
  checkMatrix(w, fn, 'W', q.W, q.m, q.k, ldw);
  checkMatrix(w, fn, 'G', q.G, q.m, q.k, ldg, 8);
  checkVector(w, fn, 'a', q.a, q.m);
  checkVector(w, fn, 'mask', mask, q.k, 4, true);
  return w.exports.net_step(q.W, q.m, q.k, ldw, q.G, ldg, q.a, q.eta, mask);
}

/**
 * Readout features F[t, j·R + r] = relu(sign[j·R+r]·⟨w_j, x_t⟩ + bias[j·R+r]) into F (rows×m·R, ldf);
 * Z (rows×m, ldz) is scratch and holds X·Wᵀ on return. Any row count.
 */
export function netFeatures(
  w: Wasm,
  q: Omit<NetArgs, 'b' | 'a'> & {
    sign: number;
    bias: number;
    R: number;
    Z: number;
    ldz?: number;
    F: number;
    ldf?: number;
  },
): void {
  const fn = 'netFeatures';
  checkSize(fn, 'R', q.R);
  if (q.R < 1) throw new RangeError(`${fn}: R (biases per neuron) must be at least 1, got ${q.R}`);
  const p = q.m * q.R;
  const ldx = q.ldx ?? q.k,
    ldw = q.ldw ?? q.k,
    ldz = q.ldz ?? q.m,
    ldf = q.ldf ?? p;
  checkSize(fn, 'rows', q.rows);
  checkSize(fn, 'k', q.k);
  checkSize(fn, 'm', q.m);
  checkMatrix(w, fn, 'X', q.X, q.rows, q.k, ldx);
  checkMatrix(w, fn, 'W', q.W, q.m, q.k, ldw);
  checkVector(w, fn, 'sign', q.sign, p);
  checkVector(w, fn, 'bias', q.bias, p);
  checkMatrix(w, fn, 'Z', q.Z, q.rows, q.m, ldz);
  checkMatrix(w, fn, 'F', q.F, q.rows, p, ldf);
  w.exports.net_features(q.X, q.rows, q.k, ldx, q.W, q.m, ldw, q.sign, q.bias, q.R, q.Z, ldz, q.F, ldf);
}

/** Scratch bytes readoutAccumulate needs for p features. */
export function readoutScratchBytes(w: Wasm, p: number): number {
  checkSize('readoutScratchBytes', 'p', p);
  return w.exports.readout_scratch_bytes(p) >>> 0;
}

/**
 * Adds one chunk's raw ridge sums to the running f64 totals: the upper triangle (a ≤ b) of S
 * (p×p, row stride p) += FᵀF, Fy += Fᵀy, Fsum += column sums of F, ys[0..1] += Σy, Σy².
 */
export function readoutAccumulate(
  w: Wasm,
  q: {
    F: number;
    rows: number;
    p: number;
    ldf?: number;
    y: number;
    S: number;
    Fy: number;
    Fsum: number;
    ys: number;
    scratch: number;
  },
): void {
  const fn = 'readoutAccumulate';
  const ldf = q.ldf ?? q.p;
  checkSize(fn, 'rows', q.rows);
  checkSize(fn, 'p', q.p);
  checkChunk(fn, q.rows);
  checkMatrix(w, fn, 'F', q.F, q.rows, q.p, ldf);
  checkVector(w, fn, 'y', q.y, q.rows);
  checkMatrix(w, fn, 'S', q.S, q.p, q.p, q.p, 8);
  checkVector(w, fn, 'Fy', q.Fy, q.p, 8);
  checkVector(w, fn, 'Fsum', q.Fsum, q.p, 8);
  checkVector(w, fn, 'ys', q.ys, 2, 8);
  checkScratch(w, fn, q.scratch, readoutScratchBytes(w, q.p));
  w.exports.readout_accumulate(q.F, q.rows, q.p, ldf, q.y, q.S, q.Fy, q.Fsum, q.ys, q.scratch);
}

/**
 * ŷ_t = intercept + Σ_a beta[a]·F[t,a] for one chunk of test rows (written as f32 to yhat unless it
 * is 0); adds [Σ(ŷ−y)², Σy, Σy²] to sums (f64[3]) and returns the chunk's Σ(ŷ−y)².
 */
export function readoutPredict(
  w: Wasm,
  q: {
    F: number;
    rows: number;
    p: number;
    ldf?: number;
    beta: number;
    intercept: number;
    y: number;
    yhat?: number;
    sums: number;
  },
): number {
  const fn = 'readoutPredict';
  const ldf = q.ldf ?? q.p,
    yhat = q.yhat ?? 0;
  checkSize(fn, 'rows', q.rows);
  checkSize(fn, 'p', q.p);
  checkChunk(fn, q.rows);
  checkMatrix(w, fn, 'F', q.F, q.rows, q.p, ldf);
  checkVector(w, fn, 'beta', q.beta, q.p, 8);
  checkVector(w, fn, 'y', q.y, q.rows);
  checkVector(w, fn, 'yhat', yhat, q.rows, 4, true);
  checkVector(w, fn, 'sums', q.sums, 3, 8);
  return w.exports.readout_predict(q.F, q.rows, q.p, ldf, q.beta, q.intercept, q.y, yhat, q.sums);
}
