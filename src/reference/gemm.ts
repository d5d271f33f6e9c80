// Scalar twin of assembly/gemm.ts, in the kernel's summation order (sequential, one f32 rounding
// per product and per sum; float64 arithmetic rounded by Math.fround is exact emulation), so the
// kernel matches it bit for bit. Also the baseline of bench/gemm.bench.ts.
const f = Math.fround;

/** Z (n×m, ldz) = X (n×k, ldx) · Wᵀ with W m×k (ldw). */
export function gemmXwt(
  X: Float32Array,
  n: number,
  k: number,
  ldx: number,
  W: Float32Array,
  m: number,
  ldw: number,
  Z: Float32Array,
  ldz: number,
): void {
  for (let t = 0; t < n; t++) {
    const xo = t * ldx;
    for (let j = 0; j < m; j++) {
      const wo = j * ldw;
      let acc = 0;
      for (let p = 0; p < k; p++) acc = f(acc + f(X[xo + p]! * W[wo + p]!));
      Z[t * ldz + j] = acc;
    }
  }
}

/** G (m×k, ldg) = Dᵀ·X, or G += Dᵀ·X (sequential over rows, continuing from G) when accumulate. */
export function gemmGtx(
  D: Float32Array,
  n: number,
  m: number,
  ldd: number,
  X: Float32Array,
  k: number,
  ldx: number,
  G: Float32Array,
  ldg: number,
  accumulate: boolean,
): void {
  for (let j = 0; j < m; j++) {
    const go = j * ldg;
    if (!accumulate) for (let i = 0; i < k; i++) G[go + i] = 0;
    for (let t = 0; t < n; t++) {
      const d = D[t * ldd + j]!,
        xo = t * ldx;
      for (let i = 0; i < k; i++) G[go + i] = f(G[go + i]! + f(d * X[xo + i]!));
    }
  }
}
