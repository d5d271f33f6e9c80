// The records as files and as a table: the trials table (newest first, the last few hundred),
// the JSONL download (the CLI's own line format, so `prunelab fit` and `report` read it), the
// HTML report download (the same file `prunelab report` writes) and opening a JSONL file (the
// CLI's parser, with its warnings) to show it as if it had just been run.
import { parseJsonl, toJsonlLine } from '../../experiment/results.js';
import { renderReport } from '../../analysis/report/html.js';
import { esc, fmtFixed, fmtInt } from '../../analysis/report/svg.js';
import type { TrialRecord } from '../../core/types.js';
import { byId, inputById } from './dom.js';
import { clearRecords, session, setState } from './session.js';
import { fail, setBar, setStatus } from './status.js';
import { render } from './render.js';
import { download } from './download.js';

/** Rows kept in the table; a long run keeps its newest (the files hold them all). */
const MAX_TABLE_ROWS = 400;

const body = () => byId('trials').querySelector('tbody')!;

export function clearTrials(): void {
  body().innerHTML = '';
}

function settingText(r: TrialRecord): string {
  const c = r.config;
  const bits = [c.link, c.alpha !== null ? `α=${c.alpha}` : `s=${c.s}`];
  if (c.r > 1) bits.push(`r=${c.r}`);
  if (c.sparsity !== 'exact') bits.push(`${c.sparsity} q=${c.q}`);
  if (c.batch !== 'reuse') bits.push(c.batch);
  return bits.join(' ');
}

/** Adds a record's row on top; `fresh` flashes it (a trial that just finished, not one read from a file). */
export function addTrialRow(r: TrialRecord, index: number, fresh: boolean): void {
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
  const b = body();
  b.prepend(tr);
  while (b.rows.length > MAX_TABLE_ROWS) b.deleteRow(b.rows.length - 1);
}

export function downloadJsonl(): void {
  download(`${session.name}.jsonl`, session.records.map(toJsonlLine).join(''), 'application/x-ndjson');
}

export function downloadReport(): void {
  download(
    `${session.name}.html`,
    renderReport(session.records, {
      source: `prunelab demo page (${session.name})`,
      generatedAt: new Date().toISOString(),
    }),
    'text/html',
  );
}

export async function openJsonl(): Promise<void> {
  const picker = inputById('open-jsonl');
  const file = picker.files?.[0];
  if (!file) return;
  try {
    const parsed = parseJsonl(await file.text(), file.name);
    clearRecords(file.name.replace(/\.jsonl?$|\.txt$/, ''));
    session.records = parsed.records;
    clearTrials();
    const first = Math.max(0, parsed.records.length - MAX_TABLE_ROWS);
    parsed.records.forEach((r, i) => {
      if (i >= first) addTrialRow(r, i + 1, false);
    });
    setStatus(
      `Loaded ${file.name}.`,
      `${fmtInt(parsed.records.length)} records${parsed.warnings.length ? ` · ${parsed.warnings.join('; ')}` : ''}`,
      'done',
    );
    setBar(1, true);
    setState('done');
    render();
  } catch (e) {
    fail(e);
  } finally {
    picker.value = '';
  }
}
