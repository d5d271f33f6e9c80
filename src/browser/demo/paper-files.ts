// The paper view's files, so a run in the page can be carried on in Node: each experiment's
// records as <experiment>.jsonl (the file `prunelab paper` keeps in DIR/records/ and resumes
// from), all of them in one JSONL (for `prunelab fit` and `report`), claims.json (the CLI's own
// form, read back by `prunelab paper --readme`) and claims.html (the file the CLI writes).
import { toJsonlLine } from '../../experiment/results.js';
import { claimRecords, claimsJson, renderClaimsHtml, type ClaimsFile } from '../../analysis/report/claims.js';
import { esc, fmtInt } from '../../analysis/report/svg.js';
import { VERSION } from '../../core/version.js';
import { WASM_SHA256 } from '../../wasm/index.js';
import { buttonById, byId } from './dom.js';
import { download } from './download.js';
import { paper, paperBusy, recordCount } from './paper-session.js';

const JSONL = 'application/x-ndjson';
/** A stand-in run's claims file is named so it cannot pass for the paper's. */
const claimsName = () => (paper.standIns.length ? 'claims.stand-in' : 'claims');

function claimsFile(): ClaimsFile {
  return { prunelab: VERSION, wasmSha: WASM_SHA256, claims: paper.results };
}

export function downloadExperiment(name: string): void {
  download(`${name}.jsonl`, (paper.records[name] ?? []).map(toJsonlLine).join(''), JSONL);
}

export function downloadAllRecords(): void {
  const all = paper.experiments.flatMap((e) => paper.records[e.name] ?? []);
  download(`paper-quick-${paper.claims.join('-')}.jsonl`, all.map(toJsonlLine).join(''), JSONL);
}

export function downloadClaimsJson(): void {
  download(`${claimsName()}.json`, claimsJson(claimsFile()), 'application/json');
}

export function downloadClaimsHtml(): void {
  const byClaim = (id: string) => claimRecords(paper.results.find((r) => r.id === id)!, paper.records);
  download(`${claimsName()}.html`, renderClaimsHtml(claimsFile(), byClaim), 'text/html');
}

/** One download button per experiment of the run, with its record count; the others follow the state. */
export function updateFileButtons(): void {
  const box = byId('paper-experiment-files');
  const names = paper.experiments.map((e) => e.name);
  if (box.dataset.names !== names.join()) {
    box.dataset.names = names.join();
    box.innerHTML = names
      .map(
        (n) =>
          `<button type="button" class="ghost" data-experiment="${esc(n)}" title="DIR/records/${esc(n)}.jsonl for prunelab paper">${esc(n)}.jsonl <span class="count"></span></button>`,
      )
      .join('');
  }
  for (const b of box.querySelectorAll<HTMLButtonElement>('button[data-experiment]')) {
    const n = paper.records[b.dataset.experiment!]?.length ?? 0;
    b.querySelector('.count')!.textContent = `(${fmtInt(n)})`;
    b.disabled = n === 0;
  }
  const none = recordCount() === 0;
  buttonById('paper-download-all').disabled = none;
  // the verdicts are final only once the run is over
  const judged = !paperBusy() && paper.results.length > 0;
  buttonById('paper-download-claims').disabled = !judged;
  buttonById('paper-download-html').disabled = !judged;
  const dir = 'DIR';
  byId('paper-continue').innerHTML =
    `Put the <code>.jsonl</code> files of the experiments in <code>${dir}/records/</code> and run <code>prunelab paper --claim ${esc(paper.claims.join(','))} --out ${dir}</code>: it reuses every record (the design replays its decisions from them), runs what a stopped run left, and writes claims.json and claims.html; add <code>--evaluate</code> to only judge the records.`;
}
