// The status line and the progress bar above a view's results, shared by runs and opened files.
// Each view has its own (ids `<prefix>status`, `<prefix>status-detail`, `<prefix>bar`,
// `<prefix>bar-fill`): the sweep view's have no prefix, the paper view's `paper-`.
import { byId } from './dom.js';
import { setState } from './session.js';

export type StatusKind = '' | 'running' | 'done' | 'failed';

export function setStatus(text: string, detail: string, kind: StatusKind, prefix = ''): void {
  const s = byId(`${prefix}status`);
  s.textContent = text;
  s.className = `status ${kind}`;
  byId(`${prefix}status-detail`).textContent = detail;
}

export function setBar(frac: number, done: boolean, prefix = ''): void {
  const pct = Math.max(0, Math.min(100, Math.round(frac * 100)));
  const bar = byId(`${prefix}bar`);
  byId(`${prefix}bar-fill`).style.width = `${pct}%`;
  bar.setAttribute('aria-valuenow', String(pct));
  bar.classList.toggle('done', done);
}

/** Any failure the sweep view cannot go on from: shown in its status line, the state `failed`. */
export function fail(e: unknown): void {
  setStatus('Failed.', errorText(e), 'failed');
  setState('failed');
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
