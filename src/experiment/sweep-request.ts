// What a sweep is asked to do, in the words of its flags: a preset with overrides, a design with its
// options, and a shard. The CLI (`prunelab sweep`, after parseArgs) and the demo page (from its
// form) both read their text values with parseSweepRequest, and sweepRequestFlags writes a request
// back as the flags that reproduce it (the demo's "copy CLI command"), so the two cannot drift.
import { ConfigError } from '../core/errors.js';
import type { Method } from '../core/types.js';
import { type AdaptiveOptions, validateAdaptiveOptions } from './design-adaptive.js';
import type { GridDesign } from './design-grid.js';
import { type Design, type DesignName, DESIGN_NAMES, designByName } from './design.js';
import type { SweepSpec } from './presets.js';
import { type Shard, type SweepOverrides, applyOverrides, parseShard, presetSpec } from './sweep.js';

/** The flags that describe a sweep (not how it runs: workers, --out, --resume are the CLI's own). */
export const SWEEP_REQUEST_FLAGS = [
  'preset',
  'd',
  'methods',
  'seeds',
  'alpha',
  'link',
  'sim',
  'budget',
  'start',
  'design',
  'n-min',
  'n-max',
  'target-width',
  'max-trials',
  'search-budget',
  'shard',
] as const;
export type SweepRequestFlag = (typeof SWEEP_REQUEST_FLAGS)[number];
export type SweepRequestValues = Partial<Record<SweepRequestFlag, string>>;

export interface SweepRequest {
  preset: string;
  overrides: SweepOverrides;
  design: DesignName;
  /** True when --seeds or --start chose the search without --design (they kept their old meaning). */
  designImplied: boolean;
  adaptive: AdaptiveOptions;
  grid: GridDesign;
  shard?: Shard;
}

/** A comma-separated list with no empty items. */
export function parseList(field: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new ConfigError(field, text, 'a comma-separated list with no empty items');
  return items;
}

export function parseNumber(field: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new ConfigError(field, text, 'a number');
  return v;
}

/** An integer, which may be written as 2^k. */
export function parseInteger(field: string, text: string): number {
  const pow = /^2\^(\d+)$/.exec(text.trim());
  const v = pow ? 2 ** Number(pow[1]) : Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(v)) throw new ConfigError(field, text, 'an integer');
  return v;
}

/** Reads a request from flag values (each a string as typed). Every bad value is a ConfigError naming its flag. */
export function parseSweepRequest(values: SweepRequestValues): SweepRequest {
  const overrides: SweepOverrides = {};
  if (values.d !== undefined) overrides.d = parseList('d', values.d).map((x) => parseInteger('d', x));
  if (values.methods !== undefined) overrides.methods = parseList('methods', values.methods) as Method[];
  if (values.seeds !== undefined) overrides.seeds = parseInteger('seeds', values.seeds);
  if (values.alpha !== undefined)
    overrides.alpha = parseList('alpha', values.alpha).map((x) => parseNumber('alpha', x));
  if (values.link !== undefined) overrides.link = parseList('link', values.link);
  if (values.sim !== undefined) overrides.sim = values.sim as SweepOverrides['sim'];
  if (values.budget !== undefined) overrides.budget = parseInteger('budget', values.budget);
  if (values.start !== undefined) overrides.start = parseInteger('start', values.start);
  // --seeds or --start without --design keep meaning what they always meant: the √2-grid search
  const implied = values.design === undefined && (values.seeds !== undefined || values.start !== undefined);
  const design = (values.design ?? (implied ? 'search' : 'adaptive')) as DesignName;
  if (!DESIGN_NAMES.includes(design)) throw new ConfigError('design', design, 'adaptive, grid or search');
  if (design === 'adaptive' && values.seeds !== undefined)
    throw new ConfigError(
      'seeds',
      values.seeds,
      'only with --design grid or search (the adaptive design gives every trial its own seed)',
    );
  if (design === 'adaptive' && values.start !== undefined)
    throw new ConfigError('start', values.start, 'only with --design search (the adaptive design places every trial)');
  const adaptive: AdaptiveOptions = {};
  if (values['target-width'] !== undefined) adaptive.targetWidth = parseNumber('target-width', values['target-width']);
  if (values['max-trials'] !== undefined) adaptive.maxTrials = parseInteger('max-trials', values['max-trials']);
  if (values['search-budget'] !== undefined)
    adaptive.searchBudget = parseInteger('search-budget', values['search-budget']);
  for (const f of ['target-width', 'max-trials', 'search-budget'] as const)
    if (design !== 'adaptive' && values[f] !== undefined)
      throw new ConfigError(f, values[f], 'only with --design adaptive');
  validateAdaptiveOptions(adaptive);
  const grid: GridDesign = {};
  if (values['n-min'] !== undefined) grid.nMin = parseInteger('n-min', values['n-min']);
  if (values['n-max'] !== undefined) grid.nMax = parseInteger('n-max', values['n-max']);
  if (design !== 'grid' && (grid.nMin !== undefined || grid.nMax !== undefined))
    throw new ConfigError('n-min', values['n-min'] ?? values['n-max'], 'only with --design grid');
  const request: SweepRequest = {
    preset: values.preset ?? 'separation',
    overrides,
    design,
    designImplied: implied,
    adaptive,
    grid,
  };
  if (values.shard !== undefined) request.shard = parseShard(values.shard);
  sweepOf(request); // the spec and the design's options are checked before anything runs
  return request;
}

/** The spec a request describes (preset with overrides, validated). */
export function requestSpec(r: SweepRequest): SweepSpec {
  return applyOverrides(presetSpec(r.preset), r.overrides);
}

/** The spec and the design a request describes. */
export function sweepOf(r: SweepRequest): { spec: SweepSpec; design: Design } {
  return { spec: requestSpec(r), design: designByName(r.design, { adaptive: r.adaptive, grid: r.grid }) };
}

/** The flags that reproduce a request, in SWEEP_REQUEST_FLAGS order (only what differs from the defaults). */
export function sweepRequestFlags(r: SweepRequest): string[] {
  const o = r.overrides;
  const values: SweepRequestValues = {};
  if (r.preset !== 'separation') values.preset = r.preset;
  if (o.d) values.d = o.d.join(',');
  if (o.methods) values.methods = o.methods.join(',');
  if (o.seeds !== undefined) values.seeds = String(o.seeds);
  if (o.alpha) values.alpha = o.alpha.join(',');
  if (o.link) values.link = o.link.join(',');
  if (o.sim) values.sim = o.sim;
  if (o.budget !== undefined) values.budget = String(o.budget);
  if (o.start !== undefined) values.start = String(o.start);
  if (!r.designImplied && r.design !== 'adaptive') values.design = r.design;
  if (r.grid.nMin !== undefined) values['n-min'] = String(r.grid.nMin);
  if (r.grid.nMax !== undefined) values['n-max'] = String(r.grid.nMax);
  if (r.adaptive.targetWidth !== undefined) values['target-width'] = String(r.adaptive.targetWidth);
  if (r.adaptive.maxTrials !== undefined) values['max-trials'] = String(r.adaptive.maxTrials);
  if (r.adaptive.searchBudget !== undefined && r.adaptive.searchBudget !== Infinity)
    values['search-budget'] = String(r.adaptive.searchBudget);
  if (r.shard) values.shard = `${r.shard.index}/${r.shard.count}`;
  return SWEEP_REQUEST_FLAGS.flatMap((f) => (values[f] === undefined ? [] : [`--${f}`, values[f]!]));
}
