// Scalar twins of assembly/net.ts, in the kernels' exact order (f32 steps rounded with
// Math.fround, f64 steps as plain doubles), so every kernel matches bit for bit. The fused
// kernel's row blocking does not change its order, so the twin computes the chunk in one go.
// lossF64 and gradF64 below are NOT twins: they are plain float64 per-sample loops, the ground
// truth for finite differences and batch-size-1 checks.
import { gemmGtx, gemmXwt } from './gemm.js';

const f = Math.fround;
export const CHUNK_ROWS = 1024;

/** Z ← relu(Z + b) row by row (wasm max: NaN propagates, max(−0, +0) = +0, as Math.max). */
function relu(Z: Float32Array, rows: number, b: Float32Array, m: number): void {
  for (let t = 0; t < rows; t++) for (let j = 0; j < m; j++) Z[t * m + j] = Math.max(f(Z[t * m + j]! + b[j]!), 0);
}

function rowOutput(H: Float32Array, ho: number, a: Float32Array, m: number): number {
  let s = 0;
  for (let j = 0; j < m; j++) s += a[j]! * H[ho + j]!;
  return s;
}

/** Twin of net_forward: returns H = relu(X·Wᵀ + b) (rows×m, what Z holds) and f (rows, f64). */
export function netForward(
  X: Float32Array,
  rows: number,
  k: number,
  ldx: number,
  W: Float32Array,
  m: number,
  ldw: number,
  b: Float32Array,
  a: Float32Array,
): { Z: Float32Array; out: Float64Array } {
  const Z = new Float32Array(rows * m);
  gemmXwt(X, rows, k, ldx, W, m, ldw, Z, m);
  relu(Z, rows, b, m);
  const out = new Float64Array(rows);
  for (let t = 0; t < rows; t++) out[t] = rowOutput(Z, t * m, a, m);
  return { Z, out };
}

/** Twin of net_grad: adds the chunk's gradient to G (f64, m×k, ldg) and returns its loss contribution. */
export function netGrad(
  X: Float32Array,
  rows: number,
  k: number,
  ldx: number,
  y: Float32Array,
  W: Float32Array,
  m: number,
  ldw: number,
  b: Float32Array,
  a: Float32Array,
  N: number,
  G: Float64Array,
  ldg: number,
): number {
  if (rows > CHUNK_ROWS) throw new RangeError(`netGrad twin: at most ${CHUNK_ROWS} rows per chunk`);
  const Z = new Float32Array(rows * m);
  gemmXwt(X, rows, k, ldx, W, m, ldw, Z, m);
  relu(Z, rows, b, m);
  let yf = 0;
  for (let t = 0; t < rows; t++) {
    const yt = y[t]!;
    yf += yt * rowOutput(Z, t * m, a, m);
    for (let j = 0; j < m; j++) Z[t * m + j] = Z[t * m + j]! > 0 ? yt : 0;
  }
  const P = new Float32Array(m * k);
  gemmGtx(Z, rows, m, m, X, k, ldx, P, k, false);
  for (let j = 0; j < m; j++) {
    const c = -a[j]! / N;
    for (let i = 0; i < k; i++) G[j * ldg + i] = G[j * ldg + i]! + c * P[j * k + i]!;
  }
  return -yf / N;
}

/** Twin of net_step (in place on W); returns the number of neurons without a direction. */
export function netStep(
  W: Float32Array,
  m: number,
  k: number,
  ldw: number,
  G: Float64Array,
  ldg: number,
  a: Float32Array,
  eta: number,
  mask: Float32Array | null,
): number {
  const inf = eta === Infinity;
  let bad = 0;
  for (let j = 0; j < m; j++) {
    const s = inf ? 0 : eta / Math.abs(a[j]!);
    const v = new Float64Array(k);
    let n2 = 0;
    for (let i = 0; i < k; i++) {
      if (mask && mask[i] === 0) {
        v[i] = 0;
        continue;
      }
      const g = G[j * ldg + i]!;
      v[i] = inf ? -g : W[j * ldw + i]! - s * g;
      n2 += v[i]! * v[i]!;
    }
    if (inf && n2 === 0) continue; // no information: the eta -> infinity limit keeps w
    const norm = Math.sqrt(n2);
    if (norm > 0 && norm < Infinity) for (let i = 0; i < k; i++) W[j * ldw + i] = v[i]! / norm;
    else {
      bad++;
      for (let i = 0; i < k; i++) W[j * ldw + i] = NaN;
    }
  }
  return bad;
}

/** Twin of net_features: F (rows×(m·R), row stride m·R). */
export function netFeatures(
  X: Float32Array,
  rows: number,
  k: number,
  ldx: number,
  W: Float32Array,
  m: number,
  ldw: number,
  sign: Float32Array,
  bias: Float32Array,
  R: number,
): Float32Array {
  const Z = new Float32Array(rows * m);
  gemmXwt(X, rows, k, ldx, W, m, ldw, Z, m);
  const p = m * R,
    F = new Float32Array(rows * p);
  for (let t = 0; t < rows; t++)
    for (let j = 0; j < m; j++)
      for (let r = 0; r < R; r++) {
        const c = j * R + r;
        F[t * p + c] = Math.max(f(f(sign[c]! * Z[t * m + j]!) + bias[c]!), 0);
      }
  return F;
}

/** The running totals of readout_accumulate. */
export interface ReadoutSums {
  S: Float64Array;
  Fy: Float64Array;
  Fsum: Float64Array;
  ys: Float64Array;
}

/** Twin of readout_accumulate: adds one chunk's partials to `sums` (upper triangle of S only). */
export function readoutAccumulate(
  F: Float32Array,
  rows: number,
  p: number,
  ldf: number,
  y: Float32Array,
  sums: ReadoutSums,
): void {
  if (rows > CHUNK_ROWS) throw new RangeError(`readoutAccumulate twin: at most ${CHUNK_ROWS} rows per chunk`);
  const S = new Float64Array(p * p),
    Fy = new Float64Array(p),
    Fs = new Float64Array(p);
  let sy = 0,
    syy = 0;
  for (let t = 0; t < rows; t++) {
    const yt = y[t]!;
    sy += yt;
    syy += yt * yt;
    const nz: number[] = [];
    for (let c = 0; c < p; c++) {
      const v = F[t * ldf + c]!;
      Fy[c] = Fy[c]! + v * yt;
      Fs[c] = Fs[c]! + v;
      if (v !== 0) nz.push(c);
    }
    for (let u = 0; u < nz.length; u++)
      for (let q = u; q < nz.length; q++) {
        const i = nz[u]!,
          j = nz[q]!;
        S[i * p + j] = S[i * p + j]! + F[t * ldf + i]! * F[t * ldf + j]!;
      }
  }
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) sums.S[i * p + j] = sums.S[i * p + j]! + S[i * p + j]!;
    sums.Fy[i] = sums.Fy[i]! + Fy[i]!;
    sums.Fsum[i] = sums.Fsum[i]! + Fs[i]!;
  }
  sums.ys[0] = sums.ys[0]! + sy;
  sums.ys[1] = sums.ys[1]! + syy;
}

/** Twin of readout_predict: returns ŷ (as f32) and the chunk's Σ(ŷ−y)², adding [Σe², Σy, Σy²] to sums. */
export function readoutPredict(
  F: Float32Array,
  rows: number,
  p: number,
  ldf: number,
  beta: Float64Array,
  intercept: number,
  y: Float32Array,
  sums: Float64Array,
): { yhat: Float32Array; se: number } {
  const yhat = new Float32Array(rows);
  let se = 0,
    sy = 0,
    syy = 0;
  for (let t = 0; t < rows; t++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += beta[c]! * F[t * ldf + c]!;
    const yh = intercept + s,
      yt = y[t]!;
    yhat[t] = yh;
    const e = yh - yt;
    se += e * e;
    sy += yt;
    syy += yt * yt;
  }
  sums[0] = sums[0]! + se;
  sums[1] = sums[1]! + sy;
  sums[2] = sums[2]! + syy;
  return { yhat, se };
}

/** Plain float64 loss −(1/N) Σ_t y_t Σ_j a_j relu(⟨w_j, x_t⟩ + b_j), W given in float64. */
export function lossF64(
  X: Float32Array,
  rows: number,
  k: number,
  ldx: number,
  y: Float32Array,
  W: Float64Array,
  m: number,
  b: Float32Array,
  a: Float32Array,
  N: number,
): number {
  let L = 0;
  for (let t = 0; t < rows; t++) {
    let ft = 0;
    for (let j = 0; j < m; j++) {
      let u = b[j]!;
      for (let i = 0; i < k; i++) u += W[j * k + i]! * X[t * ldx + i]!;
      ft += a[j]! * Math.max(u, 0);
    }
    L -= y[t]! * ft;
  }
  return L / N;
}

/** Plain float64 gradient of lossF64, one sample at a time (an explicit per-sample loop). */
export function gradF64(
  X: Float32Array,
  rows: number,
  k: number,
  ldx: number,
  y: Float32Array,
  W: Float64Array,
  m: number,
  b: Float32Array,
  a: Float32Array,
  N: number,
): Float64Array {
  const G = new Float64Array(m * k);
  for (let t = 0; t < rows; t++) {
    for (let j = 0; j < m; j++) {
      let u = b[j]!;
      for (let i = 0; i < k; i++) u += W[j * k + i]! * X[t * ldx + i]!;
      if (u > 0) for (let i = 0; i < k; i++) G[j * k + i] = G[j * k + i]! - (y[t]! * a[j]! * X[t * ldx + i]!) / N;
    }
  }
  return G;
}
