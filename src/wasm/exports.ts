// The typed export list of prunelab.wasm (mirrors assembly/index.ts). Pointers and sizes are
// plain numbers; u64 stream keys cross as (lo, hi) u32 pairs so no BigInt is needed at the boundary.
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  readonly CHUNK_ROWS: { value: number };

  arena_alloc(bytes: number): number;
  arena_mark(): number;
  arena_reset(mark: number): void;
  arena_used(): number;

  xoshiro_raw(
    keyLo: number,
    keyHi: number,
    chunk: number,
    c0: number,
    c1: number,
    c2: number,
    c3: number,
    rows: number,
    out: number,
  ): void;
  uniform_fill_cols(
    keyLo: number,
    keyHi: number,
    rowStart: number,
    rows: number,
    coords: number,
    coordBase: number,
    nc: number,
    out: number,
    ld: number,
  ): void;
  gauss_fill_cols(
    keyLo: number,
    keyHi: number,
    rowStart: number,
    rows: number,
    coords: number,
    coordBase: number,
    nc: number,
    out: number,
    ld: number,
  ): void;
  gauss_fill(keyLo: number, keyHi: number, n: number, out: number): void;

  mask_topk(score: number, d: number, k: number, out: number): number;
  mask_threshold(score: number, d: number, thr2: number, out: number): number;
  hermite_mask_scores(S: number, K: number, d: number, n1: number, out: number): void;
  hermite_threshold2(c: number, meanY2: number, d: number, n1: number): number;
  compact_cols(X: number, n: number, ldx: number, idx: number, nk: number, out: number, ldo: number): void;
  hermite_eval(x: number, n: number, K: number, out: number): void;
  hermite_score_stream(
    keyLo: number,
    keyHi: number,
    rowStart: number,
    rows: number,
    coords: number,
    coordBase: number,
    nc: number,
    y: number,
    K: number,
    S: number,
  ): void;

  teacher_support(keyLo: number, keyHi: number, d: number, s: number, out: number): void;
  teacher_v_flat(keyLo: number, keyHi: number, s: number, r: number, V: number, perm: number): void;
  teacher_v_gaussian(
    keyLo: number,
    keyHi: number,
    support: number,
    s: number,
    r: number,
    V: number,
    work: number,
  ): void;
  teacher_lq_sum(d: number, r: number, q: number, gamma: number): number;
  teacher_lq_target(base: number, expo: number, r: number, q: number): number;
  teacher_lq_gamma(d: number, r: number, q: number, target: number): number;
  teacher_lq_fill(
    keyLo: number,
    keyHi: number,
    d: number,
    r: number,
    q: number,
    gamma: number,
    V: number,
    perm: number,
  ): void;
  teacher_place_ranks(keyLo: number, keyHi: number, d: number, r: number, mags: number, V: number, perm: number): void;
  teacher_project(
    x: number,
    ldx: number,
    colPos: number,
    nnz: number,
    V: number,
    r: number,
    rows: number,
    z: number,
  ): void;
  teacher_link(
    z: number,
    r: number,
    rows: number,
    coefs: number,
    degs: number,
    nterms: number,
    tau: number,
    noise: number,
    y: number,
  ): void;
  gemm_xwt(
    X: number,
    n: number,
    k: number,
    ldx: number,
    W: number,
    m: number,
    ldw: number,
    Z: number,
    ldz: number,
  ): void;
  gemm_gtx(
    D: number,
    n: number,
    m: number,
    ldd: number,
    X: number,
    k: number,
    ldx: number,
    G: number,
    ldg: number,
    accumulate: number,
  ): void;
  gemm_gtx_self(D: number, n: number, m: number, ldd: number, G: number, ldg: number): void;

  net_forward(
    X: number,
    rows: number,
    k: number,
    ldx: number,
    W: number,
    m: number,
    ldw: number,
    b: number,
    a: number,
    Z: number,
    ldz: number,
    out: number,
  ): void;
  net_grad_scratch_bytes(k: number, m: number): number;
  net_grad_set_block(floats: number): number;
  net_grad(
    X: number,
    rows: number,
    k: number,
    ldx: number,
    y: number,
    W: number,
    m: number,
    ldw: number,
    b: number,
    a: number,
    N: number,
    G: number,
    ldg: number,
    scratch: number,
  ): number;
  net_grad_partial(
    X: number,
    rows: number,
    k: number,
    ldx: number,
    y: number,
    W: number,
    m: number,
    ldw: number,
    b: number,
    a: number,
    scratch: number,
  ): number;
  net_grad_apply(
    scratch: number,
    rows: number,
    k: number,
    m: number,
    a: number,
    N: number,
    G: number,
    ldg: number,
  ): void;
  net_step(
    W: number,
    m: number,
    k: number,
    ldw: number,
    G: number,
    ldg: number,
    a: number,
    eta: number,
    mask: number,
  ): number;
  net_features(
    X: number,
    rows: number,
    k: number,
    ldx: number,
    W: number,
    m: number,
    ldw: number,
    sign: number,
    bias: number,
    R: number,
    Z: number,
    ldz: number,
    F: number,
    ldf: number,
  ): void;
  readout_scratch_bytes(p: number): number;
  readout_accumulate(
    F: number,
    rows: number,
    p: number,
    ldf: number,
    y: number,
    S: number,
    Fy: number,
    Fsum: number,
    ys: number,
    scratch: number,
  ): void;
  readout_predict(
    F: number,
    rows: number,
    p: number,
    ldf: number,
    beta: number,
    intercept: number,
    y: number,
    yhat: number,
    sums: number,
  ): number;
  sub_gamma(
    keyLo: number,
    keyHi: number,
    block: number,
    coordBase: number,
    n: number,
    shape: number,
    out: number,
  ): void;
  sub_chi2(keyLo: number, keyHi: number, block: number, coordBase: number, n: number, dof: number, out: number): void;
  sub_bartlett(keyLo: number, keyHi: number, block: number, m: number, D: number, R: number): void;
  sub_grad_scratch_bytes(k: number, m: number): number;
  sub_grad(
    U: number,
    rows: number,
    k: number,
    ldu: number,
    y: number,
    W: number,
    m: number,
    ldw: number,
    b: number,
    a: number,
    N: number,
    G: number,
    ldg: number,
    CtC: number,
    scratch: number,
  ): void;
  sub_psd_sqrt(A: number, m: number, L: number, work: number): void;
  sub_log(x: number): number;
  sub_exp(x: number): number;
}
