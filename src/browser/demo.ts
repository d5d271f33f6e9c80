// The demo page (dist/web/index.html + demo.js): a form over the sweep presets, Run and Stop,
// live progress, live plots drawn by the report's own plotting code, a table of trials, JSONL and
// HTML-report downloads, and the `prunelab sweep` command that reproduces the run in Node.
// Bundled as a classic script (so the page also opens from file://, where module scripts and
// workers are refused; there trials run in the page). Sets globalThis.prunelab to the library.
import * as prunelab from './index.js';
import {
  createWebTrialRunner,
  defaultWebWorkers,
  isolation,
  webWorkersAvailable,
  WORKER_FILE,
  type WebTrialRunner,
} from './pool-web.js';
import { ConfigError } from '../core/errors.js';
import { validateConfig } from '../trial/config.js';
import { roundPow } from '../trial/sparsity.js';
import { PRESET_NAMES, preset, type PresetName, type SweepSpec } from '../experiment/presets.js';
import {
  METHODS,
  applyOverrides,
  isAbortError,
  type SweepOverrides,
  type SweepProgress,
  type SweepResult,
} from '../experiment/sweep.js';
import { parseJsonl, toJsonlLine } from '../experiment/results.js';
import { designByName, runDesign } from '../experiment/design.js';
import { METHOD_ORDER } from '../analysis/report/analyze.js';
import {
  analyze,
  heatMap,
  metricPlot,
  nStarPlot,
  renderReport,
  slopeText,
  exponentText,
  n50Text,
  verdict as panelVerdict,
  type Analysis,
  type PanelAnalysis,
} from '../analysis/report/index.js';
import { esc, fmtFixed, fmtInt } from '../analysis/report/svg.js';
import { simdSupported, WASM_SHA256 } from '../wasm/index.js';
import { VERSION } from '../core/version.js';
import { formatDuration } from '../core/duration.js';
import type { Method, TrialRecord } from '../core/types.js';

(globalThis as unknown as { prunelab: typeof prunelab }).prunelab = prunelab;

const DEMO_SEEDS = 3;
const MAX_TABLE_ROWS = 400;
const METHOD_NOTES: Record<Method, string> = {
  'hermite-thr': 'pruned, threshold',
  hermite: 'pruned, top-s',
  oracle: 'true support',
  none: 'dense baseline',
  random: 'random mask',
  gradmag: 'gradient magnitude',
};

// ---------------------------------------------------------------------------------------------
// DOM helpers.

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`demo: #${id} is missing from index.html`);
  return e as T;
};
const input = (id: string) => $<HTMLInputElement>(id);

type State = 'loading' | 'ready' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed';
let state: State = 'loading';
function setState(s: State): void {
  state = s;
  document.documentElement.dataset.state = s;
}

// ---------------------------------------------------------------------------------------------
// The form: a preset plus overrides, the same ones `prunelab sweep` takes.

interface Built {
  spec: SweepSpec;
  /** `prunelab sweep` flags that reproduce the spec. */
  flags: string[];
  workers: number;
  design: 'adaptive' | 'search';
}

function presetName(): PresetName {
  return $<HTMLSelectElement>('f-preset').value as PresetName;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function presetAlphas(p: SweepSpec): number[] {
  return unique(p.settings.map((s) => s.alpha).filter((a): a is number => typeof a === 'number'));
}
function presetLinks(p: SweepSpec): string[] {
  return unique(p.settings.map((s) => s.link).filter((l): l is string => typeof l === 'string'));
}

function fmtBudget(b: number): string {
  let k = 0,
    p = 1;
  while (p < b) {
    p *= 2;
    k++;
  }
  return p === b ? `2^${k}` : String(b);
}

function list(field: string, text: string): string[] {
  const items = text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new ConfigError(field, text, 'a comma-separated list');
  return items;
}
function int(field: string, text: string): number {
  const t = text.trim();
  const pow = /^2\^(\d+)$/.exec(t);
  const v = pow ? 2 ** Number(pow[1]) : Number(t);
  if (t === '' || !Number.isSafeInteger(v)) throw new ConfigError(field, text, 'an integer (2^k allowed)');
  return v;
}
function num(field: string, text: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) throw new ConfigError(field, text, 'a number');
  return v;
}
const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A shell word: bare when safe, single-quoted otherwise. */
function shellWord(s: string): string {
  return /^[\w.,^/:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The order methods are listed in, in the form and in a --methods flag: the report's order. */
const FORM_METHODS: readonly Method[] = [...METHOD_ORDER, ...METHODS.filter((m) => !METHOD_ORDER.includes(m))];

/** The checked methods: the preset's first (in its order, which is the sweep's chain order), then the others. */
function checkedMethods(base: SweepSpec): Method[] {
  const on = new Set(
    [...document.querySelectorAll<HTMLInputElement>('#methods input:checked')].map((c) => c.value as Method),
  );
  return [
    ...base.methods.filter((m) => on.has(m)),
    ...FORM_METHODS.filter((m) => on.has(m) && !base.methods.includes(m)),
  ];
}

/** Reads the form into a validated spec; throws ConfigError naming the field. */
function buildFromForm(): Built {
  const name = presetName();
  const base = preset(name);
  const o: SweepOverrides = {};
  const design = $<HTMLSelectElement>('f-design').value === 'search' ? 'search' : 'adaptive';
  const flags = ['--preset', name, ...(design === 'search' ? ['--design', 'search'] : [])];
  const dText = input('f-d').value.trim();
  if (dText !== '') {
    o.d = list('d', dText).map((x) => int('d', x));
    flags.push('--d', o.d.join(','));
  }
  const methods = checkedMethods(base);
  if (methods.length === 0) throw new ConfigError('methods', [], 'at least one method');
  if (!sameList(methods, base.methods)) {
    o.methods = methods;
    flags.push('--methods', methods.join(','));
  }
  // the adaptive design gives every trial its own seed and places every trial: seeds and start are the search's
  const seeds = int('seeds', input('f-seeds').value || String(base.seeds));
  if (design === 'search' && seeds !== base.seeds) {
    o.seeds = seeds;
    flags.push('--seeds', String(seeds));
  }
  const aText = input('f-alpha').value.trim();
  if (aText !== '') {
    const alphas = list('alpha', aText).map((x) => num('alpha', x));
    if (!sameList(alphas, presetAlphas(base))) {
      o.alpha = alphas;
      flags.push('--alpha', alphas.join(','));
    }
  }
  const lText = input('f-link').value.trim();
  if (lText !== '') {
    const links = list('link', lText.replace(/\s+/g, ''));
    if (!sameList(links, presetLinks(base))) {
      o.link = links;
      flags.push('--link', links.join(','));
    }
  }
  const bText = input('f-budget').value.trim();
  if (bText !== '') {
    const budget = int('budget', bText);
    if (budget !== base.budget) {
      o.budget = budget;
      flags.push('--budget', fmtBudget(budget));
    }
  }
  const sText = input('f-start').value.trim();
  if (design === 'search' && sText !== '') {
    o.start = int('start', sText);
    flags.push('--start', String(o.start));
  }
  const wText = input('f-workers').value.trim();
  const workers = wText === '' ? defaultWebWorkers() : int('workers', wText);
  if (workers < 0 || workers > 64)
    throw new ConfigError('workers', workers, 'an integer in [0, 64] (0 runs trials in the page)');
  const spec = applyOverrides(base, o);
  // Catch a bad link, alpha or r now rather than in the first worker.
  for (const s of spec.settings) validateConfig({ ...s, d: spec.d[0], method: spec.methods[0], n: 64, seed: 1 });
  return { spec, flags, workers, design };
}

const FIELD_INPUT: Record<string, string> = {
  d: 'f-d',
  seeds: 'f-seeds',
  alpha: 'f-alpha',
  link: 'f-link',
  budget: 'f-budget',
  start: 'f-start',
  workers: 'f-workers',
  r: 'f-link',
};

let built: Built | null = null;

/** Re-validates the form, shows the first problem next to its field, and refreshes the CLI command. */
function refreshForm(): void {
  const err = $('form-error');
  for (const id of Object.values(FIELD_INPUT)) input(id).classList.remove('invalid');
  try {
    built = buildFromForm();
    err.hidden = true;
    err.textContent = '';
    $('cli').textContent = `npx prunelab sweep ${built.flags.map(shellWord).join(' ')}`;
  } catch (e) {
    built = null;
    const msg = e instanceof Error ? e.message : String(e);
    err.hidden = false;
    err.textContent = msg;
    const field = e instanceof ConfigError ? e.field : '';
    const id = FIELD_INPUT[field];
    if (id) input(id).classList.add('invalid');
    $('cli').textContent = '(fix the form to get the command)';
  }
  updateDHint();
  updateButtons();
}

function updateDHint(): void {
  const base = preset(presetName());
  const dText = input('f-d').value.trim();
  let alphas: number[] = [];
  try {
    alphas = input('f-alpha').value.trim()
      ? list('alpha', input('f-alpha').value).map((x) => num('alpha', x))
      : presetAlphas(base);
  } catch {
    alphas = presetAlphas(base);
  }
  const alpha = alphas[0];
  let ds: number[] = base.d;
  try {
    if (dText) ds = list('d', dText).map((x) => int('d', x));
  } catch {
    /* shown in the error box */
  }
  const extras = Object.entries(base.extraD ?? {}).map(
    ([m, e]) => `${(e as number[]).map(fmtInt).join(', ')} for ${m}`,
  );
  const sPart =
    alpha !== undefined && alpha > 0 && alpha <= 1 && ds.every((d) => Number.isInteger(d) && d >= 2)
      ? `s = ${ds
          .slice(0, 6)
          .map((d) => `${roundPow(d, alpha)}`)
          .join(', ')} at α = ${alpha}. `
      : '';
  $('d-hint').textContent =
    dText === ''
      ? `Blank: the preset's ${base.d.map(fmtInt).join(', ')}${extras.length ? `, plus ${extras.join('; ')} only` : ''}. ${sPart}`
      : `${sPart}Larger d costs more: dense trials scale with n·d.`;
}

function fillFromPreset(size: 'demo' | 'full'): void {
  const p = preset(presetName());
  $('preset-summary').textContent = p.summary;
  input('f-link').value = presetLinks(p).join(', ');
  input('f-alpha').value = presetAlphas(p).join(', ');
  input('f-d').value = size === 'demo' ? p.d.slice(0, 2).join(', ') : '';
  input('f-seeds').value = String(size === 'demo' ? Math.min(DEMO_SEEDS, p.seeds) : p.seeds);
  input('f-start').value = '';
  input('f-budget').value = fmtBudget(p.budget);
  showDesign();
  for (const c of document.querySelectorAll<HTMLInputElement>('#methods input'))
    c.checked = p.methods.includes(c.value as Method);
  refreshForm();
}

/** Seeds and start n belong to the √2-grid search; the adaptive design chooses every trial itself. */
function showDesign(): void {
  const search = $<HTMLSelectElement>('f-design').value === 'search';
  input('f-seeds').disabled = !search || state === 'running' || state === 'stopping';
  input('f-start').disabled = !search || state === 'running' || state === 'stopping';
  $('design-hint').hidden = search;
  $('search-hint').hidden = !search;
}

function buildForm(): void {
  const sel = $<HTMLSelectElement>('f-preset');
  sel.innerHTML = PRESET_NAMES.map((n) => `<option value="${esc(n)}">${esc(n)}</option>`).join('');
  sel.value = 'separation';
  $('methods').innerHTML = FORM_METHODS.map(
    (m) =>
      `<label class="check"><input type="checkbox" value="${esc(m)}"><span>${esc(m)} <small>${esc(METHOD_NOTES[m])}</small></span></label>`,
  ).join('');
  input('f-workers').value = String(webWorkersAvailable() ? defaultWebWorkers() : 0);
  input('f-workers').title = webWorkersAvailable()
    ? `${defaultWebWorkers()} logical cores reported; 0 runs trials in the page`
    : 'This page cannot start workers (opened from file://): trials run in the page';
  sel.addEventListener('change', () => fillFromPreset('demo'));
  $('f-design').addEventListener('change', () => {
    showDesign();
    refreshForm();
  });
  $('demo-size').addEventListener('click', () => fillFromPreset('demo'));
  $('full-preset').addEventListener('click', () => fillFromPreset('full'));
  $('form').addEventListener('input', (e) => {
    if ((e.target as HTMLElement).id !== 'f-preset') refreshForm();
  });
  $('form').addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  $('stop').addEventListener('click', stop);
  $('copy-cli').addEventListener('click', () => void copyCli());
  $('download-jsonl').addEventListener('click', downloadJsonl);
  $('download-report').addEventListener('click', downloadReport);
  input('open-jsonl').addEventListener('change', () => void openJsonl());
  fillFromPreset('demo');
}

function updateButtons(): void {
  const busy = state === 'running' || state === 'stopping';
  ($('run') as HTMLButtonElement).disabled = busy || built === null || !simdSupported();
  ($('stop') as HTMLButtonElement).disabled = !busy;
  ($('stop') as HTMLButtonElement).textContent = state === 'stopping' ? 'Stop now' : 'Stop';
  ($('download-jsonl') as HTMLButtonElement).disabled = records.length === 0;
  ($('download-report') as HTMLButtonElement).disabled = records.length === 0;
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>(
    '#form fieldset input, #form fieldset select, #demo-size, #full-preset',
  ))
    el.disabled = busy;
  input('open-jsonl').disabled = busy;
  showDesign();
}

// ---------------------------------------------------------------------------------------------
// Running.

let records: TrialRecord[] = [];
let lastResult: SweepResult | null = null;
let lastSpecName = 'separation';
let current: { runner: WebTrialRunner; ac: AbortController; clicks: number } | null = null;

async function run(): Promise<void> {
  refreshForm();
  if (!built || current) return;
  const { spec, workers, design } = built;
  records = [];
  lastResult = null;
  lastSpecName = spec.name;
  clearTrials();
  render();
  setState('running');
  setStatus('Starting workers…', '', 'running');
  setBar(0, false);
  updateButtons();
  let runner: WebTrialRunner;
  try {
    runner = await createWebTrialRunner({ workers, workerUrl: new URL(WORKER_FILE, document.baseURI).href });
  } catch (e) {
    fail(e);
    return;
  }
  const ac = new AbortController();
  const job = { runner, ac, clicks: 0 };
  current = job;
  const t0 = performance.now();
  try {
    lastResult = await runDesign(designByName(design), spec, {
      runner,
      signal: ac.signal,
      onResult: (rec) => {
        records.push(rec);
        addTrialRow(rec, records.length, true);
        renderSoon();
      },
      onProgress: (p) => showProgress(p),
    });
    const secs = (performance.now() - t0) / 1000;
    const decided = lastResult.searches.filter((s) => s.complete).length;
    setState(lastResult.aborted ? 'stopped' : 'done');
    setStatus(
      lastResult.aborted ? 'Stopped.' : 'Done.',
      `${fmtInt(lastResult.trialsRun)} trials in ${formatDuration(secs * 1000)} · ${decided} of ${lastResult.searches.length} searches decided${lastResult.aborted ? ' (undecided n* are provisional)' : ''}`,
      lastResult.aborted ? '' : 'done',
    );
    setBar(lastResult.aborted ? decided / Math.max(1, lastResult.searches.length) : 1, !lastResult.aborted);
  } catch (e) {
    if (!(isAbortError(e) && ac.signal.aborted)) fail(e);
    else {
      setState('stopped');
      setStatus('Stopped.', `${fmtInt(records.length)} trials kept`, '');
    }
  } finally {
    current = null;
    if (job.clicks > 1) await runner.pool.terminate();
    else await runner.pool.close();
    (globalThis as unknown as { prunelabDemoTime?: number }).prunelabDemoTime = (performance.now() - t0) / 1000;
    render();
    updateButtons();
  }
}

function stop(): void {
  if (!current) return;
  current.clicks++;
  if (current.clicks === 1) {
    current.ac.abort();
    setState('stopping');
    setStatus(
      'Stopping…',
      'no new trials start; running trials finish and are kept (press again to abandon them)',
      'running',
    );
  } else {
    void current.runner.pool.terminate();
    setStatus('Stopping now…', 'running trials abandoned', 'running');
  }
  updateButtons();
}

function fail(e: unknown): void {
  setState('failed');
  const msg = e instanceof Error ? e.message : String(e);
  setStatus('Failed.', msg, 'failed');
  updateButtons();
}

function setStatus(text: string, detail: string, cls: '' | 'running' | 'done' | 'failed'): void {
  const s = $('status');
  s.textContent = text;
  s.className = `status ${cls}`;
  $('status-detail').textContent = detail;
}

function setBar(frac: number, done: boolean): void {
  const pct = Math.max(0, Math.min(100, Math.round(frac * 100)));
  $('bar-fill').style.width = `${pct}%`;
  $('bar').setAttribute('aria-valuenow', String(pct));
  $('bar').classList.toggle('done', done);
}

function showProgress(p: SweepProgress): void {
  if (state !== 'running' && state !== 'stopping') return;
  const finished = p.done + p.resumed;
  const frac = p.estimatedTotal > 0 ? finished / p.estimatedTotal : 0;
  setBar(frac, false);
  // Rough: it assumes the remaining trials cost what the finished ones did, and larger d and n cost more.
  const eta =
    finished > 0 && p.estimatedTotal > finished ? (p.elapsedMs * (p.estimatedTotal - finished)) / finished : null;
  const cur = p.current ? `now ${p.current.method}, d = ${fmtInt(p.current.d)}, n = ${fmtInt(p.current.n)}` : '';
  if (state === 'running') {
    setStatus(
      `Running: ${fmtInt(finished)} of about ${fmtInt(p.estimatedTotal)} trials`,
      [
        `${p.searchesDone}/${p.searchesTotal} searches decided`,
        cur,
        `${formatDuration(p.elapsedMs)} elapsed`,
        eta !== null ? `roughly ${formatDuration(eta)} left` : '',
      ]
        .filter(Boolean)
        .join(' · '),
      'running',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing: the report's analysis and plots, redrawn at most every 400 ms while trials arrive.

let renderTimer: ReturnType<typeof setTimeout> | null = null;
let lastRender = 0;
function renderSoon(): void {
  if (renderTimer !== null) return;
  renderTimer = setTimeout(
    () => {
      renderTimer = null;
      render();
    },
    Math.max(0, 400 - (performance.now() - lastRender)),
  );
}

function plotWidth(el: HTMLElement, lo: number, hi: number): number {
  return Math.round(Math.max(lo, Math.min(hi, el.clientWidth || hi)));
}

function render(): void {
  lastRender = performance.now();
  if (renderTimer !== null) {
    clearTimeout(renderTimer);
    renderTimer = null;
  }
  const has = records.length > 0;
  $('intro').hidden = has;
  for (const id of ['nstar-card', 'heat-card', 'metric-card']) $(id).hidden = !has;
  $('trials-empty').hidden = has;
  $('trial-count').textContent = has ? `(${fmtInt(records.length)})` : '';
  updateButtons();
  if (!has) {
    $('summary').innerHTML = '';
    return;
  }
  const live = state === 'running' || state === 'stopping';
  const a = analyze(records, { replicates: live ? 200 : 1000 });
  const many = a.panels.length > 1;
  $('summary').innerHTML = a.panels.map((p) => summaryCard(p, a, many, live)).join('');
  const nsEl = $('nstar-plot');
  const w = plotWidth(nsEl, 760, 1060);
  nsEl.innerHTML = a.panels
    .map(
      (p) =>
        `<figure>${many ? `<figcaption><b>${esc(p.title)}</b></figcaption>` : ''}${nStarPlot(p, { width: w })}</figure>`,
    )
    .join('');
  $('heat').innerHTML = a.panels
    .flatMap((p) =>
      p.series.map(
        (s) =>
          `<figure><figcaption><span class="sw" style="background:${esc(s.color)}"></span><b>${esc(s.label)}</b>${many ? ` · ${esc(p.title)}` : ''}</figcaption>${heatMap(s)}</figure>`,
      ),
    )
    .join('');
  const metricEl = $('metrics');
  if (($('metric-card') as HTMLDetailsElement).open || !live) {
    metricEl.innerHTML = a.panels
      .flatMap((p) =>
        p.series.map(
          (s) =>
            `<figure><figcaption><span class="sw" style="background:${esc(s.color)}"></span><b>${esc(s.label)}</b>${many ? ` · ${esc(p.title)}` : ''}: median over seeds (line), each seed (dots)</figcaption>${metricPlot(s, 'alignMax', { width: 440 })}${metricPlot(s, 'relMse', { width: 440 })}</figure>`,
        ),
      )
      .join('');
  }
}

function nStarCell(p: { nStar: number | null; censoredAbove: number | null } | undefined): string {
  if (!p) return '<span class="muted">—</span>';
  if (p.nStar !== null) return fmtInt(p.nStar);
  if (p.censoredAbove !== null) return `<span class="censored">&gt; ${fmtInt(p.censoredAbove)}</span>`;
  return '<span class="muted">n/a</span>';
}

/** The psychometric n*50 with its interval (the same text the CLI prints). */
function n50Cell(se: PanelAnalysis['series'][number], d: number): string {
  const f = se.threshold.nstar.find((x) => x.d === d);
  return f ? esc(n50Text(f.fit)) : '<span class="muted">—</span>';
}

function summaryCard(p: PanelAnalysis, a: Analysis, many: boolean, live: boolean): string {
  const head = `<tr><th class="num">d</th><th class="num">s</th>${p.series.map((s) => `<th class="num"><span class="sw" style="background:${esc(s.color)}"></span> ${esc(s.label)}</th>`).join('')}${p.ratios.map((r) => `<th class="num">n*<sub>dense</sub> / n*<sub>pruned</sub>${p.ratios.length > 1 ? ` <span class="muted">${esc(r.label)}</span>` : ''}</th>`).join('')}</tr>`;
  const rows = p.ds
    .map(
      ({ d, s }) =>
        `<tr><td class="num">${fmtInt(d)}</td><td class="num">${s}</td>${p.series.map((se) => `<td class="num">${n50Cell(se, d)}<br><span class="muted">grid ${nStarCell(se.points.find((x) => x.d === d))}</span></td>`).join('')}${p.ratios
          .map((r) => {
            const e = r.entries.find((x) => x.d === d);
            if (!e || e.value === null) return '<td class="num"><span class="muted">—</span></td>';
            const t = `${e.relation === '>' ? '&gt; ' : e.relation === '<' ? '&lt; ' : ''}${fmtFixed(e.value, 2)}`;
            return `<td class="num">${e.relation === '=' ? t : `<span class="censored">${t}</span>`}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const pct = Math.round(a.options.level * 100);
  const slopes =
    `<tr><td colspan="2">n*50 exponent vs log d <span class="muted">[${pct}%]</span></td>${p.series.map((s) => `<td class="num">${esc(exponentText(s.threshold.vsD))}</td>`).join('')}${p.ratios.map(() => '<td></td>').join('')}</tr>` +
    `<tr><td colspan="2">grid rule slope <span class="muted">(cross-check)</span></td>${p.series.map((s) => `<td class="num">${esc(slopeText(s.fits.d))}</td>`).join('')}${p.ratios.map(() => '<td></td>').join('')}</tr>`;
  // the verdict is the shared one (analysis/report/summary.ts), as the CLI and the report print it
  const shared = panelVerdict(p);
  let verdict: string;
  if (shared) verdict = esc(shared);
  else if (p.series.every((s) => !s.threshold.vsD))
    verdict = live
      ? 'Measuring: an exponent needs two dimensions with trials.'
      : 'No series has trials at two dimensions yet, so there is no exponent.';
  else
    verdict = `Exponent of n*50 against d: ${p.series
      .filter((s) => s.threshold.vsD)
      .map((s) => `<b>${esc(s.label)}</b> ${esc(exponentText(s.threshold.vsD))}`)
      .join(', ')}.`;
  if (live) verdict += ' <span class="muted">(provisional while the searches run)</span>';
  const warn =
    p.alpha !== null && p.alpha >= 0.5
      ? `<p class="verdict warn">α = ${p.alpha} ≥ ½: theory expects no advantage from pruning here.</p>`
      : '';
  return `<div class="card"><h2>n* per dimension${many ? `: ${esc(p.title)}` : ''}</h2><p class="verdict">${verdict}</p>${warn}<div class="scroll"><table>${head}${rows}${slopes}</table></div></div>`;
}

// ---------------------------------------------------------------------------------------------
// The trials table.

function clearTrials(): void {
  $('trials').querySelector('tbody')!.innerHTML = '';
}

function settingText(r: TrialRecord): string {
  const c = r.config;
  const bits = [c.link, c.alpha !== null ? `α=${c.alpha}` : `s=${c.s}`];
  if (c.r > 1) bits.push(`r=${c.r}`);
  if (c.sparsity !== 'exact') bits.push(`${c.sparsity} q=${c.q}`);
  if (c.batch !== 'reuse') bits.push(c.batch);
  return bits.join(' ');
}

function addTrialRow(r: TrialRecord, index: number, fresh: boolean): void {
  const body = $('trials').querySelector('tbody')!;
  const m = r.metrics;
  const result = r.diverged
    ? `<td class="fail">diverged (${esc(r.diverged)})</td>`
    : r.success
      ? '<td class="ok">✓ success</td>'
      : '<td class="fail">✗ fail</td>';
  const ms = r.timings.maskMs + r.timings.firstLayerMs + r.timings.readoutMs;
  const tr = document.createElement('tr');
  if (fresh) tr.className = 'fresh';
  tr.innerHTML = `<td class="num">${index}</td><td>${esc(r.config.method)}</td><td>${esc(settingText(r))}</td><td class="num">${fmtInt(r.config.d)}</td><td class="num">${r.config.s}</td><td class="num">${fmtInt(r.config.n)}</td><td class="num">${r.config.seed}</td><td class="num">${fmtInt(m.maskSize)}</td><td class="num">${fmtFixed(m.supportRecall)}</td><td class="num">${fmtFixed(m.alignMax, 3)}</td><td class="num">${fmtFixed(m.relMse, 3)}</td>${result}<td class="num">${ms.toFixed(0)}</td>`;
  body.prepend(tr);
  while (body.rows.length > MAX_TABLE_ROWS) body.deleteRow(body.rows.length - 1);
}

// ---------------------------------------------------------------------------------------------
// Files and the clipboard.

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

function downloadJsonl(): void {
  download(`${lastSpecName}.jsonl`, records.map(toJsonlLine).join(''), 'application/x-ndjson');
}

function downloadReport(): void {
  download(
    `${lastSpecName}.html`,
    renderReport(records, { source: `prunelab demo page (${lastSpecName})`, generatedAt: new Date().toISOString() }),
    'text/html',
  );
}

async function openJsonl(): Promise<void> {
  const file = input('open-jsonl').files?.[0];
  if (!file) return;
  try {
    const parsed = parseJsonl(await file.text(), file.name);
    records = parsed.records;
    lastResult = null;
    lastSpecName = file.name.replace(/\.jsonl?$|\.txt$/, '');
    clearTrials();
    records.forEach((r, i) => {
      if (records.length - i <= MAX_TABLE_ROWS) addTrialRow(r, i + 1, false);
    });
    setState('done');
    setStatus(
      `Loaded ${file.name}.`,
      `${fmtInt(records.length)} records${parsed.warnings.length ? ` · ${parsed.warnings.join('; ')}` : ''}`,
      'done',
    );
    setBar(1, true);
    render();
  } catch (e) {
    fail(e);
  } finally {
    input('open-jsonl').value = '';
  }
}

async function copyCli(): Promise<void> {
  const text = $('cli').textContent ?? '';
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents($('cli'));
    const sel = getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    ok = document.execCommand('copy');
  }
  $('copy-status').textContent = ok ? 'Copied.' : 'Selected: press Ctrl+C.';
  setTimeout(() => {
    $('copy-status').textContent = '';
  }, 2500);
}

// ---------------------------------------------------------------------------------------------
// Start.

function showEnv(): void {
  const iso = isolation();
  const simd = simdSupported();
  const pills = [
    [simd, simd ? 'WebAssembly SIMD' : 'no WebAssembly SIMD: use a current browser'],
    [
      webWorkersAvailable(),
      webWorkersAvailable() ? `${defaultWebWorkers()} cores` : 'no workers (file://): trials run in the page',
    ],
    [iso.crossOriginIsolated, iso.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated'],
  ] as const;
  $('env').innerHTML =
    pills.map(([ok, t]) => `<span class="pill ${ok ? 'ok' : 'no'}">${esc(t)}</span>`).join('') +
    `<span class="pill" title="SHA-256 of the embedded wasm module: ${esc(WASM_SHA256)}">prunelab ${esc(VERSION)} · wasm ${esc(WASM_SHA256.slice(0, 8))}</span>`;
  $('foot-build').textContent = `prunelab ${VERSION}, wasm SHA-256 ${WASM_SHA256.slice(0, 12)}.`;
  if (!simd)
    fail(
      new Error(
        'This browser has no WebAssembly SIMD, which prunelab needs: use a current Chromium, Firefox or Safari.',
      ),
    );
}

/** For scripts and tests: the page's records and state (the library itself is globalThis.prunelab). */
(globalThis as unknown as { prunelabDemo: unknown }).prunelabDemo = {
  get state() {
    return state;
  },
  get records() {
    return records.slice();
  },
  get result() {
    return lastResult;
  },
  get command() {
    return $('cli').textContent;
  },
  run: () => run(),
  stop,
};

function start(): void {
  buildForm();
  showEnv();
  if (state !== 'failed') {
    setState('ready');
    setStatus('Ready.', 'Set up an experiment and press Run.', '');
  }
  render();
  performance.mark('prunelab:interactive');
  window.addEventListener('resize', () => {
    if (records.length) renderSoon();
  });
  ($('metric-card') as HTMLDetailsElement).addEventListener('toggle', () => {
    if (records.length) render();
  });
  window.addEventListener('unhandledrejection', (e) => fail(e.reason));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
