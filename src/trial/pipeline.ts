// One trial (DESIGN §2.2): stage 1 picks the mask, stage 2 trains the first layer by masked
// spherical GD on the correlation loss, stage 3 fits a ridge readout and scores a test set.
//
// Memory and bits. The network reads only the masked coordinates, so every stage-2/3 matrix is
// compacted to |M| columns and sampled directly over M (the exact shortcut: the virtual data
// matrix gives those columns the same values full sampling would, assembly/rng.ts). Rows are
// processed in blocks whose size depends only on the column count, reductions are added block by
// block in row order, and data are either kept (within the memory budget) or regenerated block by
// block: both give the same bytes, so neither the budget nor the shortcut is part of a trial's id.
import { validateConfig, sampleSplit, type ValidTrialConfig } from './config.js';
import { canonicalJson, sha256 } from '../core/hash.js';
import { parseLink } from './link.js';
import { streamKey, type StreamKey } from './streams.js';
import { makeTeacher, sampleRows, type Teacher } from './teacher.js';
import { VERSION } from '../core/version.js';
import { MemoryLimitError, WASM32_MAX_BYTES, type Wasm } from '../wasm/index.js';
import { gaussFillCols, uniformFillCols, type Coords } from '../kernels/gauss.js';
import { hermiteScoreStream } from '../kernels/hermite.js';
import * as maskK from '../kernels/mask.js';
import { ridgeSolve } from './ridge.js';
import type { Helpers } from '../kernels/helpers.js';
import type { RecordedConfig, Stage, TrialConfig, TrialMetrics, TrialRecord } from '../core/types.js';

/** Draws that are not columns of x use reserved coordinate ids of their stream. */
const COORD_A = 0xfffffff0; // init: neuron biases b_j (normal) / readout: signs (uniform)
const COORD_B = 0xfffffff1; // init: output signs a_j (uniform) / readout: biases U[-3, 3]

/** A reduction block never exceeds the 1024-row chunk nor 64 MiB of X, whatever the budget. */
export function blockRows(k: number): number {
  return Math.max(4, Math.min(1024, Math.floor((16 << 20) / Math.max(1, k)) & ~3));
}

/**
 * The row stride (in floats) of the stage-2 matrices of k columns. Rows of 256 floats or more are
 * padded to a multiple of 16 floats that is an odd number of 64-byte lines: at a stride of 4 KiB
 * or a multiple of it (d = 1024, 4096, ...) every row of a block falls in the same L1 set, and the
 * fused gradient reads a 64-row block column by column (assembly/gemm.ts gtxTransposed). Only the
 * layout changes: the kernels take the stride, the bits do not depend on it, and the memory
 * budget still counts the n x k values a trial keeps.
 */
export function paddedStride(k: number): number {
  return k < 256 ? k : (((k + 15) >> 4) | 1) << 4;
}

/** The config as recorded: what determines the result, and nothing else. */
export function recordedConfig(c: ValidTrialConfig): RecordedConfig {
  const { n1, n2 } = sampleSplit(c);
  const link = parseLink(c.link, c.r);
  return {
    d: c.d,
    s: c.s,
    alpha: c.alpha ?? null,
    r: c.r,
    sparsity: c.sparsity,
    entries: c.entries,
    q: c.sparsity === 'lq' ? c.q : null,
    link: link.canonical,
    kStar: link.kStar,
    noise: c.noise,
    method: c.method,
    n: c.n,
    n1,
    n2,
    n3: c.n3,
    nTest: c.nTest,
    m: c.m,
    steps: c.steps,
    eta: c.eta === Infinity ? 'inf' : c.eta,
    batch: c.batch,
    K: c.K,
    c: c.c,
    readoutBiases: c.readoutBiases,
    split: c.split,
    seed: c.seed,
  };
}

/** The trial input that reproduces a recorded config: derived fields dropped, eta 'inf' back to Infinity. */
export function trialInputOf(rc: RecordedConfig): Partial<TrialConfig> {
  const { kStar: _k, n1: _n1, n2: _n2, s, alpha, q, eta, ...rest } = rc;
  return {
    ...rest,
    ...(alpha === null ? { s } : { alpha }),
    ...(q === null ? {} : { q }),
    eta: eta === 'inf' ? Infinity : eta,
  };
}

/** The id of the trial a config describes: a hash of the canonical recorded config (seed included). */
export function trialId(input: unknown): string {
  return idOf(recordedConfig(validateConfig(input)));
}
function idOf(rc: RecordedConfig): string {
  return sha256(canonicalJson(rc)).slice(0, 16);
}

const now = (): number => globalThis.performance.now();

/** Runs one trial on an instance. Synchronous; the arena is reset afterwards. */
export function runTrial(w: Wasm, input: Partial<TrialConfig>, helpers: Helpers | null = null): TrialRecord {
  const c = validateConfig(input);
  const rc = recordedConfig(c);
  checkMemory(c);
  const mark = w.mark();
  try {
    const teacher = makeTeacher(w, teacherInput(c));
    return new Trial(w, c, rc, teacher, helpers && helpers.size > 0 ? helpers : null).run();
  } finally {
    w.reset(mark);
  }
}

function teacherInput(c: ValidTrialConfig): Record<string, unknown> {
  const { d, alpha, s, r, sparsity, entries, q, link, noise, seed } = c;
  return alpha !== undefined
    ? { d, alpha, r, sparsity, entries, q, link, noise, seed }
    : { d, s, r, sparsity, entries, q, link, noise, seed };
}

// The largest buffers a trial needs whatever the budget: a block of dense rows and the
// stage-1 sums. Refused before any wasm call, with the size.
export function checkMemory(c: ValidTrialConfig): void {
  const dense = c.d;
  const blocks = blockRows(dense) * paddedStride(dense) * 4 * 2;
  const stage1 = c.method === 'gradmag' ? c.m * dense * (8 + 4 * 2) : c.K * dense * 8 + dense * 16;
  const weights = c.m * dense * 12;
  const total = blocks + stage1 + weights + c.d * c.r * 8;
  if (total >= WASM32_MAX_BYTES) throw new MemoryLimitError(total, `a trial at d = ${c.d} with method ${c.method}`);
}

interface Net {
  W: number;
  b: number;
  a: number;
  k: number;
}

class Trial {
  private diverged: Stage | null = null;
  private readonly T: Teacher;

  constructor(
    private readonly w: Wasm,
    private readonly c: ValidTrialConfig,
    private readonly rc: RecordedConfig,
    teacher: Teacher,
    private readonly helpers: Helpers | null = null,
  ) {
    this.T = teacher;
  }

  run(): TrialRecord {
    const { c, rc } = this;
    const t0 = now();
    const mask = this.stage1();
    const t1 = now();
    let relMse: number | null = null;
    let W: Float32Array | null = null;
    let net: Net | null = null;
    if (!this.diverged) {
      net = this.initNet(mask);
      this.stage2(net, mask);
      W = this.w.copyF32(net.W, c.m * net.k);
    }
    const t2 = now();
    if (!this.diverged && net) relMse = this.stage3(net, mask);
    const t3 = now();
    const metrics = this.metrics(mask, W, relMse);
    const record: TrialRecord = {
      id: idOf(rc),
      version: VERSION,
      wasmSha: this.w.sha,
      config: rc,
      metrics,
      success: !this.diverged && relMse !== null && relMse < 0.2,
      alignSuccess: !this.diverged && metrics.alignMax !== null && metrics.alignMax > 0.95,
      diverged: this.diverged,
      timings: { maskMs: round3(t1 - t0), firstLayerMs: round3(t2 - t1), readoutMs: round3(t3 - t2) },
    };
    return record;
  }

  // ----- stage 1: the mask -----------------------------------------------------------------

  /** The kept coordinates, sorted; null means every coordinate (the dense net). */
  private stage1(): Int32Array | null {
    const { c, T, w } = this;
    switch (c.method) {
      case 'none':
        return null;
      case 'oracle':
        return T.support.slice();
      case 'random':
        return w.scoped(() => {
          const out = w.allocI32(T.s);
          w.exports.teacher_support(...keyArgs(streamKey(c.seed, 'mask')), c.d, T.s, out);
          return w.copyI32(out, T.s);
        });
      case 'hermite':
      case 'hermite-thr':
        return this.hermiteMask();
      case 'gradmag':
        return this.gradmagMask();
    }
  }

  private hermiteMask(): Int32Array {
    const { c, T, w } = this;
    const { n1 } = sampleSplit(c);
    const key = streamKey(c.seed, 'stage1');
    return w.scoped(() => {
      const S = w.allocF64(c.K * c.d, 'the stage-1 Hermite sums (K x d)');
      w.f64.fill(0, S >>> 3, (S >>> 3) + c.K * c.d);
      const CH = 1024;
      const y = w.allocF32(CH);
      let sumY2 = 0;
      // With helper threads each takes an equal range of coordinates (its own sums, in its own
      // layout, merged below): every coordinate's sums are the same computation either way.
      const parts = this.helpers ? coordParts(c.d, this.helpers.size + 1) : [{ base: 0, n: c.d }];
      const partS = parts.map((p, i) =>
        i === 0 && parts.length === 1 ? S : w.allocF64(c.K * p.n, "a thread's Hermite sums"),
      );
      for (const p of partS) if (p !== S) w.f64.fill(0, p >>> 3, (p >>> 3) + c.K * parts[partS.indexOf(p)]!.n);
      for (let r0 = 0; r0 < n1; r0 += CH) {
        const rows = Math.min(CH, n1 - r0);
        sampleRows(w, T, key, r0, rows, null, 0, 0, y);
        const yv = w.f32;
        for (let t = 0; t < rows; t++) {
          const v = yv[(y >>> 2) + t]!;
          sumY2 += v * v;
        }
        for (let i = 1; i < parts.length; i++) {
          this.helpers!.start(i - 1, 'hermite_score_stream', [
            key.lo,
            key.hi,
            r0,
            rows,
            0,
            parts[i]!.base,
            parts[i]!.n,
            y,
            c.K,
            partS[i]!,
          ]);
        }
        hermiteScoreStream(w, key, r0, rows, parts[0]!, y, c.K, partS[0]!);
        for (let i = 1; i < parts.length; i++) this.helpers!.wait(i - 1);
      }
      if (parts.length > 1) {
        const f = w.f64;
        for (let i = 0; i < parts.length; i++) {
          const { base, n } = parts[i]!;
          for (let k = 0; k < c.K; k++)
            f.copyWithin((S >>> 3) + k * c.d + base, (partS[i]! >>> 3) + k * n, (partS[i]! >>> 3) + (k + 1) * n);
        }
      }
      const score = maskK.hermiteMaskScores(w, S, c.K, c.d, n1);
      if (!allFinite(score)) {
        this.diverged = 'mask';
        return new Int32Array(0);
      }
      if (c.method === 'hermite') return maskK.topk(w, score, T.s);
      return maskK.threshold(w, score, maskK.hermiteThreshold2(w, c.c, sumY2 / n1, c.d, n1));
    });
  }

  private gradmagMask(): Int32Array {
    const { c, T, w } = this;
    const { n1 } = sampleSplit(c);
    return w.scoped(() => {
      const net = this.initNet(null);
      const G = w.allocF64(c.m * c.d, 'the dense gradient (m x d)');
      w.f64.fill(0, G >>> 3, (G >>> 3) + c.m * c.d);
      this.gradient(net, null, streamKey(c.seed, 'stage1'), 0, n1, null, G);
      const Gv = w.f64.subarray(G >>> 3, (G >>> 3) + c.m * c.d);
      const score = new Float64Array(c.d);
      for (let j = 0; j < c.m; j++) for (let i = 0; i < c.d; i++) score[i] += Gv[j * c.d + i]! * Gv[j * c.d + i]!;
      if (!allFinite(score)) {
        this.diverged = 'mask';
        return new Int32Array(0);
      }
      return maskK.topk(w, score, T.s);
    });
  }

  // ----- the network -------------------------------------------------------------------------

  /**
   * Weights on the mask's coordinates: w_j[i] is the normal at (row j, coordinate i) of the init
   * stream, so a pruned net starts as the dense net's init restricted to M, then each row is
   * normalised. b_j ~ N(0, 1), a_j = +-1 with equal odds.
   */
  private initNet(mask: Int32Array | null): Net {
    const { c, w } = this;
    const k = mask ? mask.length : c.d;
    const key = streamKey(c.seed, 'init');
    const W = w.allocF32(c.m * k, `the first layer (${c.m} x ${k})`);
    const b = w.allocF32(c.m),
      a = w.allocF32(c.m);
    if (k > 0) gaussFillCols(w, key, 0, c.m, this.coords(mask), W, k);
    gaussFillCols(w, key, 0, c.m, { base: COORD_A, n: 1 }, b, 1);
    uniformFillCols(w, key, 0, c.m, { base: COORD_B, n: 1 }, a, 1);
    const f = w.f32;
    for (let j = 0; j < c.m; j++) {
      f[(a >>> 2) + j] = f[(a >>> 2) + j]! < 0.5 ? -1 : 1;
      const row = f.subarray((W >>> 2) + j * k, (W >>> 2) + (j + 1) * k);
      let n2 = 0;
      for (let i = 0; i < k; i++) n2 += row[i]! * row[i]!;
      const inv = Math.sqrt(n2); // sqrt is correctly rounded (IEEE 754), unlike the other host Math
      for (let i = 0; i < k; i++) row[i] = row[i]! / inv;
    }
    return { W, b, a, k };
  }

  private coords(mask: Int32Array | null): Coords {
    return mask ? { ptr: this.w.put(mask), n: mask.length } : { base: 0, n: this.c.d };
  }

  /**
   * Labelled rows over the net's coordinates into X (rows x k) and y. With the shortcut (the
   * default) only the masked columns are generated; without it full rows of all d coordinates are
   * generated and the masked columns gathered, which gives the same bytes at O(n d) cost (tests
   * use it to show the shortcut is exact).
   */
  private sample(
    key: StreamKey,
    r0: number,
    rows: number,
    mask: Int32Array | null,
    coords: Coords,
    X: number,
    y: number,
    ld = coords.n,
  ): void {
    const { w, T, c } = this;
    if (!mask || c.shortcut) {
      sampleRows(w, T, key, r0, rows, coords, X, ld, y);
      return;
    }
    w.scoped(() => {
      const full = w.allocF32(rows * c.d, `full rows (${rows} x ${c.d})`);
      sampleRows(w, T, key, r0, rows, { base: 0, n: c.d }, full, c.d, y);
      const packed = maskK.compactCols(w, full, rows, c.d, mask);
      const k = mask.length,
        f = w.f32;
      for (let t = 0; t < rows; t++)
        f.copyWithin((X >>> 2) + t * ld, (packed >>> 2) + t * k, (packed >>> 2) + (t + 1) * k);
    });
  }

  /**
   * sample() over rows [0, rows) with helper threads: each fills X for a chunk-aligned range of
   * rows (the same bytes whoever fills them), then the labels are made here from the columns of V's
   * rows (sampleRows without coordinates gives the same y as with them).
   */
  private sampleThreaded(key: StreamKey, rows: number, coords: Coords, X: number, y: number, ld: number): void {
    const { w, T } = this,
      h = this.helpers!;
    const chunks = Math.ceil(rows / 1024),
      per = Math.ceil(chunks / (h.size + 1)) * 1024;
    const cArgs = 'ptr' in coords ? [coords.ptr, 0] : [0, coords.base];
    for (let i = 1; i <= h.size && i * per < rows; i++) {
      const r0 = i * per,
        nr = Math.min(per, rows - r0);
      h.start(i - 1, 'gauss_fill_cols', [key.lo, key.hi, r0, nr, cArgs[0]!, cArgs[1]!, coords.n, X + r0 * ld * 4, ld]);
    }
    gaussFillCols(w, key, 0, Math.min(per, rows), coords, X, ld);
    for (let i = 1; i <= h.size && i * per < rows; i++) h.wait(i - 1);
    sampleRows(w, T, key, 0, rows, null, 0, 0, y);
  }

  /**
   * Adds the gradient of the correlation loss over rows [r0, r0 + rows) of stream `key` to G
   * (f64, m x k), normalised by `rows`. `kept` holds those rows already sampled (X then y) or is
   * null to sample them block by block. Returns nothing; the loss is not needed by the pipeline.
   */
  private gradient(
    net: Net,
    mask: Int32Array | null,
    key: StreamKey,
    r0: number,
    rows: number,
    kept: { X: number; y: number } | null,
    G: number,
  ): void {
    const { c, w } = this;
    const k = net.k,
      B = blockRows(k),
      ld = paddedStride(k);
    w.scoped(() => {
      const scratch = w.alloc(w.exports.net_grad_scratch_bytes(k, c.m) >>> 0, 'gradient scratch');
      const coords = kept ? null : this.coords(mask);
      const h = this.helpers;
      if (h && rows > B) {
        // Helper threads: each computes the partial of its own block into its own scratch, and the
        // partials are added to G in block order, as one thread adds them.
        const T = h.size + 1;
        const sc = [scratch],
          xs: number[] = [],
          ys: number[] = [];
        for (let i = 1; i < T; i++)
          sc.push(w.alloc(w.exports.net_grad_scratch_bytes(k, c.m) >>> 0, 'gradient scratch'));
        if (!kept)
          for (let i = 0; i < T; i++) {
            xs.push(w.allocF32(B * ld, 'a block of rows'));
            ys.push(w.allocF32(B));
          }
        for (let t = 0; t < rows; t += B * T) {
          const blocks: { X: number; y: number; nb: number }[] = [];
          for (let i = 0; i < T && t + i * B < rows; i++) {
            const tt = t + i * B,
              nb = Math.min(B, rows - tt);
            if (kept) blocks.push({ X: kept.X + tt * ld * 4, y: kept.y + tt * 4, nb });
            else {
              this.sample(key, r0 + tt, nb, mask, coords!, xs[i]!, ys[i]!, ld);
              blocks.push({ X: xs[i]!, y: ys[i]!, nb });
            }
          }
          for (let i = 1; i < blocks.length; i++) {
            const b = blocks[i]!;
            h.start(i - 1, 'net_grad_partial', [b.X, b.nb, k, ld, b.y, net.W, c.m, k, net.b, net.a, sc[i]!]);
          }
          w.exports.net_grad_partial(
            blocks[0]!.X,
            blocks[0]!.nb,
            k,
            ld,
            blocks[0]!.y,
            net.W,
            c.m,
            k,
            net.b,
            net.a,
            sc[0]!,
          );
          for (let i = 1; i < blocks.length; i++) h.wait(i - 1);
          for (let i = 0; i < blocks.length; i++)
            w.exports.net_grad_apply(sc[i]!, blocks[i]!.nb, k, c.m, net.a, rows, G, k);
        }
        return;
      }
      const xb = kept ? 0 : w.allocF32(B * ld, 'a block of rows'),
        yb = kept ? 0 : w.allocF32(B);
      for (let t = 0; t < rows; t += B) {
        const nb = Math.min(B, rows - t);
        let X = xb,
          y = yb;
        if (kept) {
          X = kept.X + t * ld * 4;
          y = kept.y + t * 4;
        } else this.sample(key, r0 + t, nb, mask, coords!, xb, yb, ld);
        w.exports.net_grad(X, nb, k, ld, y, net.W, c.m, k, net.b, net.a, rows, G, k, scratch);
      }
    });
  }

  // ----- stage 2: masked spherical GD ------------------------------------------------------

  private stage2(net: Net, mask: Int32Array | null): void {
    const { c, w } = this;
    const { n2 } = sampleSplit(c);
    const k = net.k;
    if (k === 0 || c.steps === 0) return; // an empty mask leaves nothing to train: the trial fails honestly
    const key = streamKey(c.seed, 'stage2');
    w.scoped(() => {
      const G = w.allocF64(c.m * k, 'the gradient');
      let kept: { X: number; y: number } | null = null;
      const ld = paddedStride(k);
      // the budget counts the values kept; the padding must still leave room in wasm32
      if (
        c.batch === 'reuse' &&
        n2 * k * 4 <= c.memoryBudget &&
        n2 * ld * 4 + w.mark() + (256 << 20) < WASM32_MAX_BYTES
      ) {
        kept = { X: w.allocF32(n2 * ld, `stage-2 rows (${n2} x ${k})`), y: w.allocF32(n2) };
        if (this.helpers && (!mask || c.shortcut) && n2 >= 2 * 1024)
          this.sampleThreaded(key, n2, this.coords(mask), kept.X, kept.y, ld);
        else this.sample(key, 0, n2, mask, this.coords(mask), kept.X, kept.y, ld);
      }
      const batch = c.batch === 'reuse' ? n2 : Math.floor(n2 / c.steps);
      for (let step = 0; step < c.steps; step++) {
        w.f64.fill(0, G >>> 3, (G >>> 3) + c.m * k);
        const r0 = c.batch === 'reuse' ? 0 : step * batch;
        this.gradient(net, mask, key, r0, batch, kept, G);
        const bad = w.exports.net_step(net.W, c.m, k, k, G, k, net.a, c.eta, 0);
        if (bad > 0) {
          this.diverged = 'first-layer';
          return;
        }
      }
      // belt and braces: a non-finite weight that slipped past the step (a NaN row with a zero
      // gradient is kept as it is) must still be reported
      const Wv = w.f32.subarray(net.W >>> 2, (net.W >>> 2) + c.m * k);
      for (let i = 0; i < Wv.length; i++)
        if (!Number.isFinite(Wv[i]!)) {
          this.diverged = 'first-layer';
          return;
        }
    });
  }

  // ----- stage 3: ridge readout and test --------------------------------------------------

  private stage3(net: Net, mask: Int32Array | null): number | null {
    const { c, w } = this;
    const k = net.k,
      R = c.readoutBiases,
      p = c.m * R;
    return w.scoped(() => {
      const rkey = streamKey(c.seed, 'readout');
      const sign = w.allocF32(p),
        bias = w.allocF32(p);
      uniformFillCols(w, rkey, 0, p, { base: COORD_A, n: 1 }, sign, 1);
      uniformFillCols(w, rkey, 0, p, { base: COORD_B, n: 1 }, bias, 1);
      const f = w.f32;
      for (let i = 0; i < p; i++) {
        f[(sign >>> 2) + i] = f[(sign >>> 2) + i]! < 0.5 ? -1 : 1;
        f[(bias >>> 2) + i] = Math.fround(Math.fround(6 * f[(bias >>> 2) + i]!) - 3);
      }
      const B = Math.min(blockRows(k), blockRows(p));
      const coords = this.coords(mask);
      const X = w.allocF32(B * k),
        y = w.allocF32(B),
        Z = w.allocF32(B * c.m),
        F = w.allocF32(B * p);
      const S = w.allocF64(p * p),
        Fy = w.allocF64(p),
        Fsum = w.allocF64(p),
        ys = w.allocF64(2);
      w.f64.fill(0, S >>> 3, (ys >>> 3) + 2);
      const scratch = w.alloc(w.exports.readout_scratch_bytes(p) >>> 0);
      for (let t = 0; t < c.n3; t += B) {
        const nb = Math.min(B, c.n3 - t);
        this.sample(rkey, t, nb, mask, coords, X, y);
        w.exports.net_features(X, nb, k, k, net.W, c.m, k, sign, bias, R, Z, c.m, F, p);
        w.exports.readout_accumulate(F, nb, p, p, y, S, Fy, Fsum, ys, scratch);
      }
      const f64 = w.f64;
      const fit = ridgeSolve(
        {
          p,
          n: c.n3,
          S: w.copyF64(S, p * p),
          Fy: w.copyF64(Fy, p),
          Fsum: w.copyF64(Fsum, p),
          sumY: f64[ys >>> 3]!,
          sumYY: f64[(ys >>> 3) + 1]!,
        },
        1e-3 * c.n3,
      );
      if (!fit.ok) {
        this.diverged = 'readout';
        return null;
      }
      const beta = w.put(fit.beta),
        sums = w.allocF64(3);
      w.f64.fill(0, sums >>> 3, (sums >>> 3) + 3);
      const tkey = streamKey(c.seed, 'test');
      for (let t = 0; t < c.nTest; t += B) {
        const nb = Math.min(B, c.nTest - t);
        this.sample(tkey, t, nb, mask, coords, X, y);
        w.exports.net_features(X, nb, k, k, net.W, c.m, k, sign, bias, R, Z, c.m, F, p);
        w.exports.readout_predict(F, nb, p, p, beta, fit.intercept, y, 0, sums);
      }
      const [sse, sy, syy] = [w.f64[sums >>> 3]!, w.f64[(sums >>> 3) + 1]!, w.f64[(sums >>> 3) + 2]!];
      const variance = syy - (sy * sy) / c.nTest;
      const rel = sse / variance;
      if (!Number.isFinite(rel)) {
        this.diverged = 'readout';
        return null;
      }
      return rel;
    });
  }

  // ----- metrics -----------------------------------------------------------------------------

  private metrics(mask: Int32Array | null, W: Float32Array | null, relMse: number | null): TrialMetrics {
    const { c, T } = this;
    const k = mask ? mask.length : c.d;
    const inSupport = new Uint8Array(c.d);
    for (const i of T.support) inSupport[i] = 1;
    let hit = 0;
    if (mask) {
      for (const i of mask) hit += inSupport[i]!;
    } else hit = T.s;
    let alignMax: number | null = null,
      alignMedian: number | null = null;
    if (W && !this.diverged) {
      // ||P_V w_j|| = ||V^T w_j|| (orthonormal columns), over the coordinates the net reads
      const a: number[] = [];
      for (let j = 0; j < c.m; j++) {
        let n2 = 0;
        for (let l = 0; l < T.r; l++) {
          let z = 0;
          for (let col = 0; col < k; col++) {
            const i = mask ? mask[col]! : col;
            z += T.V[i * T.r + l]! * W[j * k + col]!;
          }
          n2 += z * z;
        }
        a.push(Math.sqrt(n2));
      }
      a.sort((x, y) => x - y);
      alignMax = a[a.length - 1] ?? null;
      alignMedian =
        a.length === 0 ? null : a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
    }
    return {
      relMse,
      alignMax,
      alignMedian,
      supportRecall: hit / T.s,
      supportPrecision: k === 0 ? 0 : hit / k,
      maskSize: k,
    };
  }
}

function keyArgs(k: StreamKey): [number, number] {
  return [k.lo, k.hi];
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/** d coordinates in `parts` contiguous ranges, multiples of 4 (one SIMD lane group) but the last. */
function coordParts(d: number, parts: number): { base: number; n: number }[] {
  const per = Math.ceil(d / parts / 4) * 4,
    out: { base: number; n: number }[] = [];
  for (let b = 0; b < d; b += per) out.push({ base: b, n: Math.min(per, d - b) });
  return out;
}
