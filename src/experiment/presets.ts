// The sweep presets of DESIGN §2.3 and issue 4, as data. A sweep runs one chain of n* searches
// (over increasing d) per (setting, method); `expandSweep` in sweep.ts turns this into chains.
import type { Method, TrialConfig } from '../core/types.js';

/** The teacher/learner fields a setting may fix; everything else takes the trial defaults. */
export type Setting = Partial<Omit<TrialConfig, 'd' | 'n' | 'seed' | 'method'>>;

export interface SweepSpec {
  /** The preset name, or any label for a custom sweep. */
  name: string;
  /** One-line description, for --help and the report. */
  summary: string;
  /** Teacher settings; each is crossed with every method. */
  settings: Setting[];
  methods: Method[];
  /** Dimensions searched by every method, in increasing order. */
  d: number[];
  /** Extra dimensions for some methods only (cheap pruned points), searched after `d`. A --d override drops them. */
  extraD?: Partial<Record<Method, number[]>>;
  /** Seeds per grid point: seeds 1..seeds. */
  seeds: number;
  /** The cap on n*d: a search that needs more is censored ("> N"). */
  budget: number;
  /** The n where each chain's first search starts (snapped down to the grid); the grid floor, 32, if absent. */
  start?: number;
}

/**
 * 2^32: n = 65536 at d = 65536, n = 2^20 at d = 4096. The pruned n* at d = 65536 (alpha = 1/4) is
 * about 32768, so 2^30 would censor it; k3 may still censor dense points, by design.
 */
const BUDGET = 2 ** 32;
const D = [256, 1024, 4096];

export const PRESETS = {
  separation: {
    name: 'separation',
    summary: 'k*=2 (he2), alpha=0.25: hermite-thr vs none, plus pruned-only d up to 65536',
    settings: [{ alpha: 0.25, link: 'he2' }],
    methods: ['hermite-thr', 'none'],
    d: D,
    extraD: { 'hermite-thr': [16384, 65536] },
    seeds: 5,
    budget: BUDGET,
  },
  alpha: {
    name: 'alpha',
    summary: 'alpha in {0.25, 0.5, 0.75}: pruning should stop helping at alpha >= 1/2',
    settings: [
      { alpha: 0.25, link: 'he2' },
      { alpha: 0.5, link: 'he2' },
      { alpha: 0.75, link: 'he2' },
    ],
    methods: ['hermite-thr', 'none'],
    d: D,
    seeds: 5,
    budget: BUDGET,
  },
  k3: {
    name: 'k3',
    summary: 'k*=3 (he3), alpha=0.25: hermite-thr vs none, plus dense fresh-batch rows (compact path) to d = 16384',
    settings: [
      { alpha: 0.25, link: 'he3' },
      { alpha: 0.25, link: 'he3', batch: 'fresh' },
    ],
    methods: ['hermite-thr', 'none'],
    d: D,
    extraD: { none: [16384] },
    seeds: 5,
    budget: BUDGET,
  },
  online: {
    name: 'online',
    summary: 'k*=2 (he2), alpha=0.25, fresh batches: hermite-thr vs none (dense: compact path), d 256..65536',
    settings: [{ alpha: 0.25, link: 'he2', batch: 'fresh' }],
    methods: ['hermite-thr', 'none'],
    d: [256, 1024, 4096, 16384, 65536],
    seeds: 5,
    // 2^34: the dense compact path reaches n ~ 3.6e8 (its cost width is ~47), the direct path n = 2^22 at d = 4096
    budget: 2 ** 34,
  },
  multi: {
    name: 'multi',
    summary: 'multi-index r=2 (sum-he2), alpha=0.25: hermite-thr vs none',
    settings: [{ alpha: 0.25, r: 2, link: 'sum-he2' }],
    methods: ['hermite-thr', 'none'],
    d: D,
    seeds: 5,
    budget: BUDGET,
  },
  lq: {
    name: 'lq',
    summary: 'soft lq sparsity (q=0.5), alpha=0.25, he2: hermite-thr vs none',
    settings: [{ alpha: 0.25, link: 'he2', sparsity: 'lq', q: 0.5 }],
    methods: ['hermite-thr', 'none'],
    d: D,
    seeds: 5,
    budget: BUDGET,
  },
  soft: {
    name: 'soft',
    summary:
      'soft sparsity (plateau + tail i^-3, q=0.5), alpha=0.25, he2: hermite-thr vs none; PR(V) ~ 0.3 s grows like d^alpha, so pruned n* should scale with s_eff = PR (claim C5)',
    settings: [{ alpha: 0.25, link: 'he2', sparsity: 'soft', q: 0.5, gamma: 3 }],
    methods: ['hermite-thr', 'none'],
    d: D,
    seeds: 5,
    budget: BUDGET,
  },
  controls: {
    name: 'controls',
    summary: 'oracle, random and gradmag masks, with hermite-thr for reference (he2, alpha=0.25)',
    settings: [{ alpha: 0.25, link: 'he2' }],
    methods: ['oracle', 'random', 'gradmag', 'hermite-thr'],
    d: D,
    seeds: 5,
    budget: BUDGET,
  },
} satisfies Record<string, SweepSpec>;
deepFreeze(PRESETS);

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

function deepFreeze(o: object): void {
  Object.freeze(o);
  for (const v of Object.values(o)) if (v && typeof v === 'object' && !Object.isFrozen(v)) deepFreeze(v);
}

/** A deep, mutable copy of a preset (presets themselves are never mutated). */
export function preset(name: PresetName): SweepSpec {
  return structuredClone(PRESETS[name]) as unknown as SweepSpec;
}
