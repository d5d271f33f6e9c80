// The sweep view: the form on the left, Run and Stop, and the results filling in on the right.
// It wires the pieces together: every edit re-reads the form through the CLI's parser (errors
// next to their fields, the command refreshed), and the buttons follow the page's state.
import type { DesignName } from '../../experiment/design.js';
import { PRESET_NAMES, type PresetName } from '../../experiment/presets.js';
import { parseSweepRequest, type SweepRequest } from '../../experiment/sweep-request.js';
import { simdSupported } from '../../wasm/index.js';
import { buttonById, byId, inputById } from './dom.js';
import { copyCommand, showCommand } from './command.js';
import {
  buildForm,
  parseForm,
  presetForm,
  showDesignFields,
  showError,
  updateDHint,
  writeForm,
  type ParsedForm,
} from './form.js';
import { flagValuesOfQuery, formOf, formOfFlagValues, type FormValues } from './form-values.js';
import { render, renderSoon } from './render.js';
import { runSweep, stopSweep } from './run.js';
import { busy, onSessionChange, session } from './session.js';
import { downloadJsonl, downloadReport, openJsonl } from './trials.js';
import type { View } from './views.js';

/** The form as last read: null while it holds a bad value. */
let parsed: ParsedForm | null = null;

/** Re-reads the form: the first problem next to its field, the command, the hints and the buttons. */
function refresh(): void {
  try {
    parsed = parseForm();
    showError(null);
  } catch (e) {
    parsed = null;
    showError(e);
  }
  showCommand(parsed);
  updateDHint(parsed?.request ?? null);
  updateButtons();
}

function updateButtons(): void {
  const running = busy();
  buttonById('run').disabled = running || parsed === null || !simdSupported();
  buttonById('stop').disabled = !running;
  buttonById('stop').textContent = session.state === 'stopping' ? 'Stop now' : 'Stop';
  buttonById('download-jsonl').disabled = session.records.length === 0;
  buttonById('download-report').disabled = session.records.length === 0;
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>(
    '#form fieldset input, #form fieldset select, #demo-size, #full-preset',
  ))
    el.disabled = running;
  inputById('open-jsonl').disabled = running;
  showDesignFields(running);
}

function setForm(values: FormValues): void {
  writeForm(values);
  showDesignFields(busy());
  refresh();
}

const currentDesign = () => byId<HTMLSelectElement>('f-design').value as DesignName;
/** The chosen preset (the default while the select holds none, as after a page address naming an unknown one). */
function currentPreset(): PresetName {
  const name = byId<HTMLSelectElement>('f-preset').value;
  return (PRESET_NAMES as readonly string[]).includes(name) ? (name as PresetName) : 'separation';
}

/**
 * The form the page opens with: the address's query when it has flags (a shared link, or a
 * command's flags: `?preset=alpha&d=256,1024`), else the default preset at the demo's size.
 */
function initialForm(): { form: FormValues; error: unknown } {
  const values = flagValuesOfQuery(location.search);
  if (Object.keys(values).length === 0) return { form: presetForm('separation', 'demo', 'adaptive'), error: null };
  let error: unknown = null;
  try {
    parseSweepRequest(values);
  } catch (e) {
    error = e;
  }
  return { form: formOfFlagValues(values), error };
}

/** Sets the form to a request (for scripts and tests; a shared link does the same at start-up). */
export function setRequest(request: SweepRequest): void {
  setForm(formOf(request));
}

export function currentRequest(): SweepRequest | null {
  return parsed?.request ?? null;
}

function mount(): void {
  buildForm();
  const first = initialForm();
  setForm(first.form);
  // a bad value the form could not hold as typed (an unknown method or design) is still named
  if (first.error && parsed) showError(first.error);
  byId('f-preset').addEventListener('change', () =>
    setForm(
      presetForm(PRESET_NAMES.includes(currentPreset()) ? currentPreset() : 'separation', 'demo', currentDesign()),
    ),
  );
  byId('demo-size').addEventListener('click', () => setForm(presetForm(currentPreset(), 'demo', currentDesign())));
  byId('full-preset').addEventListener('click', () => setForm(presetForm(currentPreset(), 'full', currentDesign())));
  byId('f-design').addEventListener('change', () => {
    showDesignFields(busy());
    refresh();
  });
  byId('form').addEventListener('input', (e) => {
    const id = (e.target as HTMLElement).id;
    if (id !== 'f-preset' && id !== 'f-design') refresh();
  });
  byId('form').addEventListener('submit', (e) => {
    e.preventDefault();
    refresh();
    if (parsed) void runSweep(parsed.request, parsed.workers);
  });
  byId('stop').addEventListener('click', stopSweep);
  byId('copy-cli').addEventListener('click', () => void copyCommand());
  byId('download-jsonl').addEventListener('click', downloadJsonl);
  byId('download-report').addEventListener('click', downloadReport);
  inputById('open-jsonl').addEventListener('change', () => void openJsonl());
  byId<HTMLDetailsElement>('metric-card').addEventListener('toggle', () => {
    if (session.records.length) render();
  });
  window.addEventListener('resize', () => {
    if (session.records.length) renderSoon();
  });
  onSessionChange(updateButtons);
  render();
}

export const sweepView: View = { id: 'sweep', label: 'Sweep', mount };

/** Runs what the form holds, as pressing Run does. */
export function runForm(): Promise<void> {
  refresh();
  return parsed ? runSweep(parsed.request, parsed.workers) : Promise.resolve();
}
