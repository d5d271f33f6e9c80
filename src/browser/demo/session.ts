// What the sweep view holds between clicks: its state, the records on the page and where they came
// from. The state is mirrored on <html data-state>, which the CSS and the Chromium tests read;
// listeners (the buttons) follow every change.
import type { SweepResult } from '../../experiment/sweep.js';
import type { TrialRecord } from '../../core/types.js';

export type PageState = 'loading' | 'ready' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed';

export const session = {
  state: 'loading' as PageState,
  records: [] as TrialRecord[],
  /** The last run's result; null after loading a file, whose searches are not known. */
  result: null as SweepResult | null,
  /** Names the downloads: the preset run, or the file opened. */
  name: 'separation',
  /** Seconds the last run took, for scripts that time the page. */
  seconds: null as number | null,
};

const listeners: (() => void)[] = [];

export function onSessionChange(fn: () => void): void {
  listeners.push(fn);
}

/** Tells the listeners that the state or the records changed. */
export function changed(): void {
  for (const fn of listeners) fn();
}

export function setState(s: PageState): void {
  session.state = s;
  document.documentElement.dataset.state = s;
  changed();
}

export const busy = (): boolean => session.state === 'running' || session.state === 'stopping';

/** Starts over with no records (a new run, or a file about to be shown). */
export function clearRecords(name: string): void {
  session.records = [];
  session.result = null;
  session.name = name;
}
