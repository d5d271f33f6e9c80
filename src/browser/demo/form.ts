// The sweep form in the page: reading it into FormValues, writing FormValues into it, and showing
// the CLI's error for a bad value next to the field whose flag it names. What the values mean is
// form-values.ts (pure); this file only knows the elements. Each text field is `#f-<flag>`.
import { ConfigError } from '../../core/errors.js';
import type { Method } from '../../core/types.js';
import { DESIGN_NAMES, type DesignName } from '../../experiment/design.js';
import { PRESET_NAMES, PRESETS, preset, type PresetName } from '../../experiment/presets.js';
import { sweepOf, type SweepRequest } from '../../experiment/sweep-request.js';
import { esc, fmtInt } from '../../analysis/report/svg.js';
import { roundPow } from '../../trial/sparsity.js';
import { SIMS } from '../../trial/sim.js';
import { defaultWebWorkers, webWorkersAvailable } from '../pool-web.js';
import { byId, inputById } from './dom.js';
import {
  FIELD_FLAGS,
  FORM_METHODS,
  fieldsOf,
  formOf,
  parseWorkers,
  placeholdersOf,
  requestOfForm,
  type FieldFlag,
  type FormValues,
} from './form-values.js';

const METHOD_NOTES: Record<Method, string> = {
  'hermite-thr': 'pruned, threshold',
  hermite: 'pruned, top-s',
  oracle: 'true support',
  none: 'dense baseline',
  random: 'random mask',
  gradmag: 'gradient magnitude',
};

const DESIGN_LABELS: Record<DesignName, string> = {
  adaptive: 'adaptive (the fewest trials)',
  grid: 'fixed grid (for clusters)',
  search: '√2-grid search (seeds 1..K)',
};

/** The demo's default size: the preset's two smallest d, and at most this many seeds for the designs that take seeds. */
const DEMO_SEEDS = 3;

/** The form read and checked: the request it describes and the workers to run it on. */
export interface ParsedForm {
  request: SweepRequest;
  workers: number;
  /** Whether the user chose a worker count other than the page's default (then the command carries it). */
  workersChosen: boolean;
}

const field = (f: FieldFlag) => byId<HTMLInputElement | HTMLSelectElement>(`f-${f}`);
const presetSelect = () => byId<HTMLSelectElement>('f-preset');
const designSelect = () => byId<HTMLSelectElement>('f-design');
const methodBoxes = () => [...document.querySelectorAll<HTMLInputElement>('#methods input[type=checkbox]')];

/** The workers a run gets by default here: every core, or none (in the page) where workers cannot start. */
export const pageWorkers = (): number => (webWorkersAvailable() ? defaultWebWorkers() : 0);

/** Fills in the choices (presets, designs, learners) and the worker default; once, at start-up. */
export function buildForm(): void {
  presetSelect().innerHTML = PRESET_NAMES.map((n) => `<option value="${esc(n)}">${esc(n)}</option>`).join('');
  designSelect().innerHTML = DESIGN_NAMES.map(
    (d) => `<option value="${esc(d)}">${esc(DESIGN_LABELS[d])}</option>`,
  ).join('');
  field('sim').innerHTML = ['', ...SIMS].map((s) => `<option value="${esc(s)}">${esc(s)}</option>`).join('');
  byId('methods').innerHTML = FORM_METHODS.map(
    (m) =>
      `<label class="check"><input type="checkbox" value="${esc(m)}"><span>${esc(m)} <small>${esc(METHOD_NOTES[m])}</small></span></label>`,
  ).join('');
  const workers = inputById('f-workers');
  workers.value = String(pageWorkers());
  workers.title = webWorkersAvailable()
    ? `${defaultWebWorkers()} logical cores reported; 0 runs trials in the page`
    : 'This page cannot start workers (opened from file://): trials run in the page';
}

export function readForm(): FormValues {
  const fields: FormValues['fields'] = {};
  for (const f of FIELD_FLAGS) fields[f] = field(f).value;
  return {
    preset: presetSelect().value,
    design: designSelect().value as DesignName,
    fields,
    methods: methodBoxes()
      .filter((c) => c.checked)
      .map((c) => c.value as Method),
  };
}

/** Sets every field (a blank one shows, greyed, what blank means) and shows the design's own fields. */
export function writeForm(v: FormValues): void {
  presetSelect().value = v.preset;
  designSelect().value = v.design;
  const name = (PRESET_NAMES as readonly string[]).includes(v.preset) ? (v.preset as PresetName) : 'separation';
  const placeholders = placeholdersOf(name);
  for (const f of FIELD_FLAGS) {
    const el = field(f);
    if (el instanceof HTMLSelectElement) {
      el.options[0]!.textContent = `preset's (${placeholders[f]})`;
      el.value = v.fields[f] ?? '';
    } else {
      el.value = v.fields[f] ?? '';
      el.placeholder = placeholders[f];
    }
  }
  for (const c of methodBoxes()) c.checked = v.methods.includes(c.value as Method);
  byId('preset-summary').textContent = PRESETS[name].summary;
}

/** The form for a preset at the demo's size (its two smallest d, a few seeds) or in full (blank: all its d). */
export function presetForm(name: PresetName, size: 'demo' | 'full', design: DesignName): FormValues {
  const p = preset(name);
  const v = formOf({ preset: name, overrides: {}, design, designImplied: false, adaptive: {}, grid: {} });
  if (size === 'demo') {
    v.fields.d = p.d.slice(0, 2).join(', ');
    if (p.seeds > DEMO_SEEDS) v.fields.seeds = String(DEMO_SEEDS);
  }
  return v;
}

/** Shows only the fields the chosen design reads (the others would not reach the request) and its hint. */
export function showDesignFields(disabled: boolean): void {
  const design = designSelect().value as DesignName;
  const shown = new Set(fieldsOf(design));
  for (const f of FIELD_FLAGS) {
    const el = field(f);
    const on = shown.has(f);
    (el.closest('.field') as HTMLElement).hidden = !on;
    el.disabled = disabled || !on;
  }
  for (const hint of document.querySelectorAll<HTMLElement>('[data-design-hint]'))
    hint.hidden = hint.dataset.designHint !== design;
}

/** Where an error about `field` is shown: its own field's slot, or the form's box for the rest. */
function errorSlot(fieldName: string): { slot: HTMLElement; input: HTMLElement | null } {
  // teacher fields a preset sets are named by the teacher's validator; they follow from the link
  const flag = fieldName === 'r' || fieldName === 'kStar' ? 'link' : fieldName === 's' ? 'alpha' : fieldName;
  const input =
    flag === 'methods'
      ? byId('methods')
      : flag === 'preset' ||
          flag === 'design' ||
          flag === 'workers' ||
          (FIELD_FLAGS as readonly string[]).includes(flag)
        ? byId(`f-${flag}`)
        : null;
  const wrap = input?.closest<HTMLElement>('.field, .group');
  if (!input || !wrap || wrap.hidden) return { slot: byId('form-error'), input: null };
  let slot = wrap.querySelector<HTMLElement>(':scope > .field-error');
  if (!slot) {
    slot = document.createElement('span');
    slot.className = 'field-error';
    slot.setAttribute('role', 'alert');
    wrap.append(slot);
  }
  return { slot, input };
}

function clearErrors(): void {
  for (const el of document.querySelectorAll<HTMLElement>('#form .field-error, #form-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of document.querySelectorAll('#form .invalid')) el.classList.remove('invalid');
}

/** Shows one error (a ConfigError next to the field it names); null clears them all. */
export function showError(e: unknown): void {
  clearErrors();
  if (e === null) return;
  const { slot, input } = errorSlot(e instanceof ConfigError ? e.field : '');
  slot.textContent = e instanceof Error ? e.message : String(e);
  slot.hidden = false;
  input?.classList.add('invalid');
}

/** Reads and checks the form; a bad value throws the CLI's ConfigError. */
export function parseForm(): ParsedForm {
  const request = requestOfForm(readForm());
  const text = inputById('f-workers').value;
  const workers = parseWorkers(text, pageWorkers());
  return { request, workers, workersChosen: workers !== pageWorkers() };
}

/** What s is at each d, and what blank d means: from the request when it is valid, else from nothing typed. */
export function updateDHint(request: SweepRequest | null): void {
  const typed = field('d').value.trim() !== '';
  const name = presetSelect().value;
  const spec = request
    ? sweepOf(request).spec
    : !typed && (PRESET_NAMES as readonly string[]).includes(name)
      ? preset(name as PresetName)
      : null;
  const alpha = spec?.settings.find((s) => typeof s.alpha === 'number')?.alpha;
  const s =
    spec && alpha !== undefined
      ? `s = ${spec.d
          .slice(0, 6)
          .map((d) => roundPow(d, alpha))
          .join(', ')} at α = ${alpha}. `
      : '';
  const extras = Object.entries(spec?.extraD ?? {}).map(
    ([m, e]) => `${(e as number[]).map(fmtInt).join(', ')} for ${m}`,
  );
  byId('d-hint').textContent =
    !typed && spec
      ? `Blank: the preset's ${spec.d.map(fmtInt).join(', ')}${extras.length ? `, plus ${extras.join('; ')} only` : ''}. ${s}`
      : `${s}Larger d costs more: dense trials scale with n·d.`;
}
