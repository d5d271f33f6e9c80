// The status line and the progress bar above the results, shared by runs and opened files.
import { byId } from './dom.js';
import { setState } from './session.js';

export type StatusKind = '' | 'running' | 'done' | 'failed';

export function setStatus(text: string, detail: string, kind: StatusKind): void {
  const s = byId('status');
  s.textContent = text;
  s.className = `status ${kind}`;
  byId('status-detail').textContent = detail;
}

export function setBar(frac: number, done: boolean): void {
  const pct = Math.max(0, Math.min(100, Math.round(frac * 100)));
  byId('bar-fill').style.width = `${pct}%`;
  byId('bar').setAttribute('aria-valuenow', String(pct));
  byId('bar').classList.toggle('done', done);
}

/** Any failure the page cannot go on from: shown in the status line, the state `failed`. */
export function fail(e: unknown): void {
  setStatus('Failed.', e instanceof Error ? e.message : String(e), 'failed');
  setState('failed');
}
