// The three designs of DESIGN §2.4 behind one interface, and the one way to run any of them.
// - adaptive (the default on one machine): each chain places its next batch on the posterior of the
//   learner's scaling (design-adaptive.ts);
// - grid (for clusters): every (setting, learner, d, n, replicate) trial fixed up front, sharded by
//   trial (design-grid.ts);
// - search: the √2-grid walk of DESIGN §2.3 with seeds 1..K at every visited n (design-search.ts).
// The CLI, the library and the demo pick a design by name and call runDesign; the result type is
// one (SweepResult) whatever the design.
import { checkEnum } from '../core/errors.js';
import { AdaptiveChain, type AdaptiveOptions, validateAdaptiveOptions } from './design-adaptive.js';
import { type GridDesign, expandGrid, gridChains, selectGridShard, validateGridDesign } from './design-grid.js';
import { SearchChain } from './design-search.js';
import type { SweepSpec } from './presets.js';
import {
  type PlannedChain,
  type RunSweepOptions,
  type Shard,
  type SweepResult,
  chainsByPlan,
  driveChains,
  expandSweep,
  selectShard,
} from './sweep.js';

export const DESIGN_NAMES = ['adaptive', 'grid', 'search'] as const;
export type DesignName = (typeof DESIGN_NAMES)[number];

export interface Design {
  readonly name: DesignName;
  /** The chains of one run of `spec` (or of one shard's share), in one deterministic order. */
  chains(spec: SweepSpec, shard?: Shard): PlannedChain[];
  /** What the run will do, in a few words, for a progress header. */
  describe(spec: SweepSpec, shard?: Shard): string;
}

/** Options of every design; each reads its own. */
export interface DesignOptions {
  adaptive?: AdaptiveOptions;
  grid?: GridDesign;
}

export function adaptiveDesign(options: AdaptiveOptions = {}): Design {
  const o = validateAdaptiveOptions(options);
  return {
    name: 'adaptive',
    chains: (spec, shard) => chainsByPlan(spec, (plan) => new AdaptiveChain(plan, o), shard),
    describe: (spec, shard) => {
      const chains = shard ? selectShard(expandSweep(spec), shard) : expandSweep(spec);
      const ds = chains.reduce((k, c) => k + c.chain.ds.length, 0);
      return `adaptive design, ${chains.length} chain(s), ${ds} dimension(s), target width of b ${o.targetWidth}`;
    },
  };
}

export function gridDesign(options: GridDesign = {}): Design {
  validateGridDesign(options);
  return {
    name: 'grid',
    chains: (spec, shard) => gridChains(spec, options, shard),
    describe: (spec, shard) => {
      const all = expandGrid(spec, options);
      const mine = shard ? selectGridShard(all, shard) : all;
      return `grid design, ${mine.length} of ${all.length} trial(s), ${spec.seeds} replicate(s) per n`;
    },
  };
}

export function searchDesign(): Design {
  return {
    name: 'search',
    chains: (spec, shard) => chainsByPlan(spec, (plan) => new SearchChain(plan.chain), shard),
    describe: (spec, shard) => {
      const chains = shard ? selectShard(expandSweep(spec), shard) : expandSweep(spec);
      const ds = chains.reduce((k, c) => k + c.chain.ds.length, 0);
      return `sqrt(2)-grid search, ${chains.length} chain(s), ${ds} searches, ${spec.seeds} seed(s)`;
    },
  };
}

/** A design by name, with its options. */
export function designByName(name: string, options: DesignOptions = {}): Design {
  const n = checkEnum('design', name, DESIGN_NAMES);
  return n === 'adaptive' ? adaptiveDesign(options.adaptive) : n === 'grid' ? gridDesign(options.grid) : searchDesign();
}

/** Runs `design` on `spec` (or on `opts.shard`'s share of it) over `opts.runner`. */
export function runDesign(design: Design, spec: SweepSpec, opts: RunSweepOptions): Promise<SweepResult> {
  return driveChains(spec, design.name, design.chains(spec, opts.shard), opts);
}
