// Synthetic trial records in the shapes of src/core/types.ts, for the n*, fit and report suites.
import type { RecordedConfig, TrialRecord } from '../../src/core/types.js';
import { canonicalJson } from '../../src/core/hash.js';
import { gridN } from '../../src/stats/n-grid.js';
import type { Prng } from '../../src/core/prng.js';

export const BASE_CONFIG: RecordedConfig = {
  d: 256,
  s: 4,
  alpha: 0.25,
  r: 1,
  sparsity: 'exact',
  entries: 'flat',
  q: null,
  link: 'he2',
  kStar: 2,
  noise: 0.1,
  method: 'hermite-thr',
  n: 1024,
  n1: 512,
  n2: 512,
  n3: 2000,
  nTest: 5000,
  m: 32,
  steps: 8,
  eta: 'inf',
  batch: 'reuse',
  sim: 'direct',
  K: 4,
  c: 2,
  readoutBiases: 2,
  split: 0.5,
  seed: 1,
};

export interface RecordOpts {
  success?: boolean;
  relMse?: number | null;
  alignMax?: number | null;
  alignMedian?: number | null;
  diverged?: TrialRecord['diverged'];
  version?: string;
  wasmSha?: string;
}

/** s = round(d^alpha) without host Math: exact for the d and alpha the tests use. */
export function sFor(d: number, alpha: number): number {
  let s = 1;
  while ((s + 0.5) ** (1 / alpha) <= d) s++; // test-only helper: host ** is fine here
  return s;
}

export function makeRecord(config: Partial<RecordedConfig>, opts: RecordOpts = {}): TrialRecord {
  const c: RecordedConfig = { ...BASE_CONFIG, ...config };
  if (config.s === undefined && c.alpha !== null) c.s = sFor(c.d, c.alpha);
  if (config.n1 === undefined) {
    const dataDriven = c.method === 'hermite' || c.method === 'hermite-thr' || c.method === 'gradmag';
    c.n1 = dataDriven ? Math.floor(c.n * c.split) : 0;
    c.n2 = c.n - c.n1;
  }
  const success = opts.success ?? true;
  const relMse = opts.relMse !== undefined ? opts.relMse : success ? 0.05 : 0.9;
  const alignMax = opts.alignMax !== undefined ? opts.alignMax : success ? 0.98 : 0.3;
  return {
    id: canonicalJson(c),
    version: opts.version ?? '0.1.0',
    wasmSha: opts.wasmSha ?? 'eb7abde176b4' + '0'.repeat(52),
    config: c,
    metrics: {
      relMse,
      alignMax,
      alignMedian: opts.alignMedian !== undefined ? opts.alignMedian : alignMax === null ? null : alignMax * 0.9,
      supportRecall: success ? 1 : 0.5,
      supportPrecision: success ? 1 : 0.2,
      maskSize: c.method === 'none' ? c.d : c.s,
    },
    success,
    alignSuccess: alignMax !== null && alignMax > 0.95,
    diverged: opts.diverged ?? null,
    timings: { maskMs: 1, firstLayerMs: 2, readoutMs: 3 },
  };
}

/** `seeds` records at (config, n), the first `successes` of them successful. */
export function cell(config: Partial<RecordedConfig>, n: number, successes: number, seeds: number): TrialRecord[] {
  return Array.from({ length: seeds }, (_, i) => makeRecord({ ...config, n, seed: i + 1 }, { success: i < successes }));
}

export interface SeriesSpec {
  method: RecordedConfig['method'];
  ds: number[];
  /** The true n* as a function of (d, s): trials succeed with probability p(n / nTrue). */
  nTrue: (d: number, s: number) => number;
  seeds: number;
  /** Grid indices visited at each d: from nTrue/4 to nTrue*4 by default. */
  span?: number;
  config?: Partial<RecordedConfig>;
  /** With a PRNG, success is random: P = 1 / (1 + (nTrue/n)^sharpness); without, a step at nTrue. */
  prng?: Prng;
  sharpness?: number;
  /** Cap on visited n (points beyond it are censored). */
  cap?: number;
}

/** Records for a whole synthetic series, as a search around the true n* would leave them. */
export function series(spec: SeriesSpec): TrialRecord[] {
  const out: TrialRecord[] = [];
  const alpha = spec.config?.alpha === undefined ? BASE_CONFIG.alpha : spec.config.alpha;
  for (const d of spec.ds) {
    const s = spec.config?.s ?? (alpha === null ? BASE_CONFIG.s : sFor(d, alpha));
    const nt = spec.nTrue(d, s);
    const span = spec.span ?? 4;
    for (let j = 0; j <= 60; j++) {
      const n = gridN(j);
      if (n < nt / span || n > nt * span) continue;
      if (spec.cap !== undefined && n > spec.cap) continue;
      for (let seed = 1; seed <= spec.seeds; seed++) {
        const p = spec.prng ? 1 / (1 + (nt / n) ** (spec.sharpness ?? 6)) : n >= nt ? 1 : 0;
        const success = spec.prng ? spec.prng.next() < p : p === 1;
        const mse = success ? 0.05 + 0.1 * (nt / n) : 0.5 + 0.4 * Math.min(1, nt / n / 2);
        out.push(
          makeRecord(
            { ...spec.config, method: spec.method, d, s, n, seed },
            {
              success,
              relMse: mse,
              alignMax: success ? 0.97 + 0.02 * Math.min(1, n / nt / 4) : 0.2 + 0.5 * Math.min(1, n / nt),
            },
          ),
        );
      }
    }
  }
  return out;
}
