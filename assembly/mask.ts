// Stage-1 scores to masks. A mask is a sorted list of kept coordinate ids; the network then
// reads only those columns (compacted), which is what makes pruned trials cost O(n·|M|).

const E_K_RANGE = "mask: k must be in [0, d]";
const E_K_BOUNDS = "mask: K must be in [1, 16]";

// (score, index) order: a higher score wins, a tie goes to the lower index. NaN never wins, so
// a NaN score can only be kept when fewer than k finite scores exist (the pipeline reports NaN
// scores as a divergence before it gets here).
@inline function better(sa: f64, ia: i32, sb: f64, ib: i32): bool {
  return sa > sb || (sa == sb && ia < ib);
}

/** Indices of the k best scores, sorted ascending, into out (i32[k]); returns k. */
export function mask_topk(score: usize, d: i32, k: i32, out: usize): i32 {
  assert(k >= 0 && k <= d, E_K_RANGE);
  if (k == 0) return 0;
  // out doubles as a min-heap (root = worst kept) of indices during the scan
  let size = 0;
  for (let i = 0; i < d; i++) {
    const si = load<f64>(score + (<usize>i << 3));
    if (size < k) {
      let c = size++;
      while (c > 0) { // sift up
        const p = (c - 1) >> 1;
        const ip = load<i32>(out + (<usize>p << 2));
        if (!better(load<f64>(score + (<usize>ip << 3)), ip, si, i)) break;
        store<i32>(out + (<usize>c << 2), ip);
        c = p;
      }
      store<i32>(out + (<usize>c << 2), i);
    } else {
      const i0 = load<i32>(out);
      if (!better(si, i, load<f64>(score + (<usize>i0 << 3)), i0)) continue;
      siftDown(score, out, size, 0, i, si);
    }
  }
  sortInts(out, k);
  return k;
}

// Places index i (score si) at heap slot c and restores the min-heap below it.
function siftDown(score: usize, heap: usize, size: i32, c: i32, i: i32, si: f64): void {
  while (true) {
    let w = 2 * c + 1;
    if (w >= size) break;
    let iw = load<i32>(heap + (<usize>w << 2));
    let sw = load<f64>(score + (<usize>iw << 3));
    if (w + 1 < size) {
      const ir = load<i32>(heap + (<usize>(w + 1) << 2));
      const sr = load<f64>(score + (<usize>ir << 3));
      if (better(sw, iw, sr, ir)) { w++; iw = ir; sw = sr; }
    }
    if (!better(si, i, sw, iw)) break;
    store<i32>(heap + (<usize>c << 2), iw);
    c = w;
  }
  store<i32>(heap + (<usize>c << 2), i);
}

// In-place heapsort of n i32 ascending (no allocation, O(n log n) for large k).
function sortInts(a: usize, n: i32): void {
  for (let start = (n >> 1) - 1; start >= 0; start--) siftInt(a, start, n);
  for (let end = n - 1; end > 0; end--) {
    const t = load<i32>(a); store<i32>(a, load<i32>(a + (<usize>end << 2))); store<i32>(a + (<usize>end << 2), t);
    siftInt(a, 0, end);
  }
}
function siftInt(a: usize, root: i32, n: i32): void {
  const v = load<i32>(a + (<usize>root << 2));
  let c = root;
  while (true) {
    let w = 2 * c + 1;
    if (w >= n) break;
    if (w + 1 < n && load<i32>(a + (<usize>(w + 1) << 2)) > load<i32>(a + (<usize>w << 2))) w++;
    const vw = load<i32>(a + (<usize>w << 2));
    if (vw <= v) break;
    store<i32>(a + (<usize>c << 2), vw);
    c = w;
  }
  store<i32>(a + (<usize>c << 2), v);
}

/** Indices i with score[i] > thr2 (ascending) into out; returns the count. */
export function mask_threshold(score: usize, d: i32, thr2: f64, out: usize): i32 {
  let n = 0;
  for (let i = 0; i < d; i++) {
    if (load<f64>(score + (<usize>i << 3)) > thr2) store<i32>(out + (<usize>(n++) << 2), i);
  }
  return n;
}

/**
 * The hermite score of DESIGN §2.2: score_i = sum_{k=1..K} (S[k-1, i] / n1)^2, where S holds the
 * streamed sums sum_t y_t h_k(x_ti) (row k-1 of a K x d f64 matrix), summed in k order.
 */
export function hermite_mask_scores(S: usize, K: i32, d: i32, n1: i32, out: usize): void {
  assert(K >= 1 && K <= 16, E_K_BOUNDS);
  const inv = 1.0 / f64(n1);
  for (let i = 0; i < d; i++) {
    let acc = 0.0;
    for (let k = 0; k < K; k++) {
      const m = load<f64>(S + ((<usize>k * <usize>d + <usize>i) << 3)) * inv;
      acc += m * m;
    }
    store<f64>(out + (<usize>i << 3), acc);
  }
}

/**
 * The squared threshold of hermite-thr: keep i when sqrt(score_i) > c sqrt(mean(y^2) log d / n1),
 * i.e. score_i > c^2 mean(y^2) log(d) / n1. log is AssemblyScript's own (pure wasm), so every
 * engine gets the same bits.
 */
export function hermite_threshold2(c: f64, meanY2: f64, d: i32, n1: i32): f64 {
  return c * c * meanY2 * Math.log(f64(d)) / f64(n1);
}


/** out[t, c] = X[t, idx[c]]: the columns of a mask gathered from full rows. */
export function compact_cols(X: usize, n: i32, ldx: i32, idx: usize, nk: i32, out: usize, ldo: i32): void {
  for (let t = 0; t < n; t++) {
    const src = X + ((<usize>t * <usize>ldx) << 2);
    const dst = out + ((<usize>t * <usize>ldo) << 2);
    for (let c = 0; c < nk; c++) {
      store<f32>(dst + (<usize>c << 2), load<f32>(src + (<usize>load<i32>(idx + (<usize>c << 2)) << 2)));
    }
  }
}

