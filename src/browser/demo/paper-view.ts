// The paper view: the quick checklist of C1 and C4 (DESIGN §2.5) run in the tab. The claims to
// run and the workers on the left with how long it takes (paper-estimate.ts), Run and Stop, live
// progress and provisional verdicts, then the final checklist and the files that carry the run on
// in Node. The other claims' quick tier is heavier (k* = 3 up to d = 16384, fresh batches at
// 2^40): they run with `prunelab paper`.
import { CLAIMS } from '../../experiment/claims.js';
import { claimExperiments, selectClaims } from '../../experiment/claims-run.js';
import { esc } from '../../analysis/report/svg.js';
import { simdSupported } from '../../wasm/index.js';
import { webWorkersAvailable, defaultWebWorkers } from '../pool-web.js';
import { buttonById, byId, inputById } from './dom.js';
import { errorText } from './status.js';
import { parseWorkers } from './form-values.js';
import { pageWorkers } from './form.js';
import { estimateRun, estimateText } from './paper-estimate.js';
import {
  downloadAllRecords,
  downloadClaimsHtml,
  downloadClaimsJson,
  downloadExperiment,
  updateFileButtons,
} from './paper-files.js';
import { renderPaper } from './paper-render.js';
import { type PaperRunOptions, runPaper, stopPaper } from './paper-run.js';
import { onPaperChange, paper, paperBusy, setPaperState } from './paper-session.js';
import type { View } from './views.js';

/** The claims the page offers: those whose quick tier finishes in minutes on a laptop. */
export const PAPER_VIEW_CLAIMS = ['C1', 'C4'] as const;

const claimBoxes = () => [...document.querySelectorAll<HTMLInputElement>('#paper-claims input[type=checkbox]')];

/** The chosen claims and workers, or the problem with them. */
function readSetup(): { claims: string[]; workers: number } | { error: string } {
  const claims = claimBoxes()
    .filter((b) => b.checked)
    .map((b) => b.value);
  if (claims.length === 0) return { error: 'Choose at least one claim.' };
  try {
    return { claims, workers: parseWorkers(inputById('paper-workers').value, pageWorkers()) };
  } catch (e) {
    return { error: errorText(e) };
  }
}

function refresh(): void {
  const setup = readSetup();
  const ok = !('error' in setup);
  byId('paper-setup-error').hidden = ok;
  byId('paper-setup-error').textContent = ok ? '' : setup.error;
  inputById('paper-workers').classList.toggle('invalid', !ok && /workers/.test(setup.error));
  if (ok) {
    const names = claimExperiments(selectClaims(setup.claims), 'quick').map((e) => e.name);
    const est = estimateRun(names, setup.workers);
    byId('paper-estimate').innerHTML = est
      ? `Experiments ${names.map((n) => `<code>${esc(n)}</code>`).join(', ')}: ${esc(estimateText(est, setup.workers))} (measured in Node on a shared 2-core machine; the browser runs the same wasm; longer on a busy machine).`
      : `Experiments ${names.map((n) => `<code>${esc(n)}</code>`).join(', ')}.`;
    byId('paper-cli').textContent = `prunelab paper --claim ${setup.claims.join(',')} --tier quick`;
  }
  const running = paperBusy();
  buttonById('paper-run').disabled = running || !ok || !simdSupported();
  buttonById('paper-stop').disabled = !running;
  buttonById('paper-stop').textContent = paper.state === 'stopping' ? 'Stop now' : 'Stop';
  for (const b of claimBoxes()) b.disabled = running;
  inputById('paper-workers').disabled = running;
  updateFileButtons();
}

/** Runs the claims chosen on the page (the Run button). */
function runChosen(): Promise<void> {
  const setup = readSetup();
  if ('error' in setup) return Promise.resolve();
  return runPaper(setup);
}

function mount(): void {
  byId('paper-claims').innerHTML = PAPER_VIEW_CLAIMS.map((id) => {
    const c = CLAIMS.find((x) => x.id === id)!;
    return `<label class="check"><input type="checkbox" value="${esc(id)}" checked><span><b>${esc(id)}</b> ${esc(c.title)}</span></label>`;
  }).join('');
  const workers = inputById('paper-workers');
  workers.value = String(pageWorkers());
  workers.title = webWorkersAvailable()
    ? `${defaultWebWorkers()} logical cores reported; 0 runs trials in the page`
    : 'This page cannot start workers (opened from file://): trials run in the page';
  byId('paper-setup').addEventListener('input', refresh);
  byId('paper-run').addEventListener('click', () => void runChosen());
  byId('paper-stop').addEventListener('click', stopPaper);
  byId('paper-experiment-files').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-experiment]');
    if (b) downloadExperiment(b.dataset.experiment!);
  });
  byId('paper-download-all').addEventListener('click', downloadAllRecords);
  byId('paper-download-claims').addEventListener('click', downloadClaimsJson);
  byId('paper-download-html').addEventListener('click', downloadClaimsHtml);
  // in-page links to a claim's card: the address's hash picks the view, so scroll instead
  byId('paper-checklist').addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest<HTMLAnchorElement>('a[data-claim-link]');
    if (!a) return;
    e.preventDefault();
    document.querySelector(a.getAttribute('href')!)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
  paper.experiments = claimExperiments(selectClaims(paper.claims), 'quick');
  onPaperChange(refresh);
  setPaperState(simdSupported() ? 'ready' : 'failed');
  renderPaper(false);
}

export const paperView: View = { id: 'paper', label: 'The paper', mount };

/**
 * For scripts and tests (globalThis.prunelabDemo.paper): the view's state, records and verdicts,
 * and `run`, which takes what Run reads from the page plus `experiments`: smaller stand-ins for
 * registry experiments of the same name, so a test runs the whole view in seconds. Only a script
 * can pass them, and the view then says above the checklist that the verdicts are not the paper's.
 */
export const paperHandle = {
  get state() {
    return paper.state;
  },
  get records() {
    return structuredClone(paper.records);
  },
  get results() {
    return structuredClone(paper.results);
  },
  get seconds() {
    return paper.seconds;
  },
  run(opts: Partial<PaperRunOptions> = {}): Promise<void> {
    const setup = readSetup();
    const page = 'error' in setup ? { claims: [...PAPER_VIEW_CLAIMS], workers: pageWorkers() } : setup;
    return runPaper({ ...opts, claims: opts.claims ?? page.claims, workers: opts.workers ?? page.workers });
  },
  stop: stopPaper,
};
