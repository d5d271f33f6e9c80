// The demo form's values and the sweep request they stand for. The form is read only through the
// CLI's own parser (parseSweepRequest), so a value `prunelab sweep` refuses is refused here with
// the same ConfigError naming the same flag, and the command the page offers is sweepRequestFlags
// of the very request it runs. Pure (no DOM), so the round trip flags → request → form → request
// → flags is tested in Node (test/demo-form.test.ts).
//
// Blank means "the preset's (or the design's) default", exactly as an absent flag does, which is
// what makes the mapping a round trip. Three things the form cannot say are written canonically:
// the methods (checkboxes have no order: the preset's order first, then the report's, and the
// preset's own list is no flag at all), the design (always explicit: `--seeds 3` alone, which
// implies the search, comes back as `--seeds 3 --design search`) and the shard (not a form field).
import { ConfigError } from '../../core/errors.js';
import type { Method } from '../../core/types.js';
import { METHODS } from '../../core/rules.js';
import { METHOD_ORDER } from '../../analysis/report/analyze.js';
import { GRID_BASE } from '../../stats/n-grid.js';
import { validateAdaptiveOptions } from '../../experiment/design-adaptive.js';
import { validateGridDesign } from '../../experiment/design-grid.js';
import { DESIGN_NAMES, type DesignName } from '../../experiment/design.js';
import { PRESET_NAMES, preset, type PresetName } from '../../experiment/presets.js';
import {
  SWEEP_REQUEST_FLAGS,
  parseInteger,
  parseSweepRequest,
  sweepRequestFlags,
  type SweepRequest,
  type SweepRequestFlag,
  type SweepRequestValues,
} from '../../experiment/sweep-request.js';

/** The flags the form holds as text (inputs, and the sim select), each in the field `f-<flag>`. */
export const FIELD_FLAGS = [
  'd',
  'link',
  'alpha',
  'sim',
  'budget',
  'seeds',
  'start',
  'n-min',
  'n-max',
  'target-width',
  'max-trials',
  'search-budget',
] as const satisfies readonly SweepRequestFlag[];
export type FieldFlag = (typeof FIELD_FLAGS)[number];

/** The flags every design reads, and those only one design (or two) does: the form shows only the chosen design's. */
const COMMON_FIELDS: readonly FieldFlag[] = ['d', 'link', 'alpha', 'sim', 'budget'];
const DESIGN_FIELDS: Record<DesignName, readonly FieldFlag[]> = {
  adaptive: ['target-width', 'max-trials', 'search-budget'],
  grid: ['seeds', 'n-min', 'n-max'],
  search: ['seeds', 'start'],
};

/** The fields a design reads; the others are hidden and left out of the request. */
export function fieldsOf(design: DesignName): FieldFlag[] {
  return [...COMMON_FIELDS, ...DESIGN_FIELDS[design]];
}

export interface FormValues {
  preset: string;
  design: DesignName;
  /** Text as typed, by flag; blank or absent: the default. */
  fields: Partial<Record<FieldFlag, string>>;
  /** The checked learners, in any order. */
  methods: Method[];
}

/** The order of the learners' checkboxes, and of the methods in a --methods flag after the preset's own. */
export const FORM_METHODS: readonly Method[] = [...METHOD_ORDER, ...METHODS.filter((m) => !METHOD_ORDER.includes(m))];

const isPreset = (name: string): name is PresetName => (PRESET_NAMES as readonly string[]).includes(name);

/** The --methods value for the checked methods, or undefined when they are the preset's own. */
function methodsValue(presetName: string, checked: readonly Method[]): string | undefined {
  const own = isPreset(presetName) ? preset(presetName).methods : [];
  const on = new Set(checked);
  const list = [...own.filter((m) => on.has(m)), ...FORM_METHODS.filter((m) => on.has(m) && !own.includes(m))];
  if (list.length === own.length && list.every((m, i) => m === own[i])) return undefined;
  return list.join(',');
}

/** The form's values as flag values: what `prunelab sweep` would be given. */
export function flagValuesOf(v: FormValues): SweepRequestValues {
  const values: SweepRequestValues = { preset: v.preset };
  if (v.design !== 'adaptive') values.design = v.design;
  for (const f of fieldsOf(v.design)) {
    const text = v.fields[f]?.trim();
    if (text) values[f] = text;
  }
  const methods = methodsValue(v.preset, v.methods);
  if (methods !== undefined) values.methods = methods;
  return values;
}

/** The request the form describes; throws the CLI's ConfigError, naming the flag, for a bad value. */
export function requestOfForm(v: FormValues): SweepRequest {
  return parseSweepRequest(flagValuesOf(v));
}

/** 2^k for powers of two from 1024 up (as a user writes a budget), the digits otherwise; parseInteger reads both. */
export function integerText(v: number): string {
  let p = 1,
    k = 0;
  while (p < v) {
    p *= 2;
    k++;
  }
  return p === v && k >= 10 ? `2^${k}` : String(v);
}

/** The form that describes a request (its shard, which the form has no field for, is dropped). */
export function formOf(r: SweepRequest): FormValues {
  const o = r.overrides;
  const fields: FormValues['fields'] = {};
  if (o.d) fields.d = o.d.join(', ');
  if (o.link) fields.link = o.link.join(', ');
  if (o.alpha) fields.alpha = o.alpha.join(', ');
  if (o.sim) fields.sim = o.sim;
  if (o.budget !== undefined) fields.budget = integerText(o.budget);
  if (o.seeds !== undefined) fields.seeds = String(o.seeds);
  if (o.start !== undefined) fields.start = integerText(o.start);
  if (r.grid.nMin !== undefined) fields['n-min'] = integerText(r.grid.nMin);
  if (r.grid.nMax !== undefined) fields['n-max'] = integerText(r.grid.nMax);
  const a = r.adaptive;
  if (a.targetWidth !== undefined) fields['target-width'] = String(a.targetWidth);
  if (a.maxTrials !== undefined) fields['max-trials'] = String(a.maxTrials);
  if (a.searchBudget !== undefined && a.searchBudget !== Infinity)
    fields['search-budget'] = integerText(a.searchBudget);
  const methods = o.methods ?? (isPreset(r.preset) ? preset(r.preset).methods : []);
  return { preset: r.preset, design: r.design, fields, methods: [...methods] };
}

/**
 * The form for flag values as given (a page address's query): the request's form when they parse,
 * else the text as typed, so the CLI's error shows next to the very value it names.
 */
export function formOfFlagValues(v: SweepRequestValues): FormValues {
  try {
    return formOf(parseSweepRequest(v));
  } catch {
    const presetName = v.preset ?? 'separation';
    const design = (DESIGN_NAMES as readonly string[]).includes(v.design ?? '')
      ? (v.design as DesignName)
      : v.seeds !== undefined || v.start !== undefined
        ? 'search'
        : 'adaptive';
    const fields: FormValues['fields'] = {};
    for (const f of FIELD_FLAGS) if (v[f] !== undefined) fields[f] = v[f];
    // checkboxes can hold only known methods; an unknown one is left unchecked (the error still names it)
    const methods =
      v.methods !== undefined
        ? FORM_METHODS.filter((m) => v.methods!.split(',').some((x) => x.trim() === m))
        : isPreset(presetName)
          ? preset(presetName).methods
          : [];
    return { preset: presetName, design, fields, methods };
  }
}

/** What a blank field means, shown as its placeholder: the preset's values and the designs' defaults. */
export function placeholdersOf(presetName: PresetName): Record<FieldFlag, string> {
  const p = preset(presetName);
  const distinct = (xs: unknown[]) => [...new Set(xs.filter((x) => x !== undefined).map(String))].join(', ');
  const grid = validateGridDesign();
  const adaptive = validateAdaptiveOptions();
  return {
    d: p.d.join(', '),
    link: distinct(p.settings.map((s) => s.link)),
    alpha: distinct(p.settings.map((s) => s.alpha)),
    sim: distinct(p.settings.map((s) => s.sim)) || 'auto',
    budget: integerText(p.budget),
    seeds: String(p.seeds),
    start: String(p.start ?? GRID_BASE),
    'n-min': integerText(grid.nMin),
    'n-max': integerText(grid.nMax),
    'target-width': String(adaptive.targetWidth),
    'max-trials': String(adaptive.maxTrials),
    'search-budget': adaptive.searchBudget === Infinity ? 'no cap' : integerText(adaptive.searchBudget),
  };
}

/** The most workers the page starts (a tab with more than this many cores is rare, and each worker holds a lab). */
export const MAX_WEB_WORKERS = 64;

/** The worker count in the form's text (blank: `fallback`), read as the CLI reads --workers. */
export function parseWorkers(text: string, fallback: number): number {
  if (text.trim() === '') return fallback;
  const v = parseInteger('workers', text);
  if (v < 0 || v > MAX_WEB_WORKERS)
    throw new ConfigError('workers', v, `an integer in [0, ${MAX_WEB_WORKERS}] (0 runs trials in the page)`);
  return v;
}

/** A shell word: bare when safe, single-quoted otherwise. */
function shellWord(s: string): string {
  return /^[\w.,^/:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that reproduces the request in Node. Records do not depend on the worker count, so
 * --workers is added only when given: when the user chose a count other than the page's default.
 */
export function commandOf(r: SweepRequest, workers?: number): string {
  const flags = [...sweepRequestFlags(r), ...(workers !== undefined ? ['--workers', String(workers)] : [])];
  return ['prunelab', 'sweep', ...flags.map(shellWord)].join(' ');
}

/** The flags a page address may carry (`index.html?preset=alpha&d=256,1024`): the request's, but the shard. */
const QUERY_FLAGS = SWEEP_REQUEST_FLAGS.filter((f) => f !== 'shard');

/** The flag values in a page address's query; other keys are ignored. */
export function flagValuesOfQuery(search: string): SweepRequestValues {
  const q = new URLSearchParams(search);
  const values: SweepRequestValues = {};
  for (const f of QUERY_FLAGS) {
    const v = q.get(f);
    if (v !== null) values[f] = v;
  }
  return values;
}

/** The query that sets the form to a request: the same flags as its command (commas left bare, for a readable address). */
export function queryOf(r: SweepRequest): string {
  const flags = sweepRequestFlags(r);
  const pairs: string[] = [];
  for (let i = 0; i < flags.length; i += 2) {
    const name = flags[i]!.slice(2);
    if (name !== 'shard') pairs.push(`${name}=${encodeURIComponent(flags[i + 1]!).replace(/%2C/g, ',')}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}
