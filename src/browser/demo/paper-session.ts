// What the paper view holds between clicks: its state (mirrored on <html data-paper-state>, which
// the CSS and the Chromium tests read), the claims of the last run, its records by experiment and
// the claims' verdicts on them. Listeners (the buttons) follow every change.
import type { TrialRecord } from '../../core/types.js';
import type { ClaimResult } from '../../experiment/claim-verdict.js';
import type { Experiment } from '../../experiment/claims.js';

export type PaperState = 'loading' | 'ready' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed';

export const paper = {
  state: 'loading' as PaperState,
  /** The claims of the run on show (or about to start). */
  claims: ['C1', 'C4'] as string[],
  /** The experiments the run needs, in registry order (stand-ins in place of the registry's where a script set them). */
  experiments: [] as Experiment[],
  /** Stand-ins a script put in place of the registry's experiments (never the Run button). */
  standIns: [] as Experiment[],
  records: {} as Record<string, TrialRecord[]>,
  /** The verdicts on the records so far; provisional while running. */
  results: [] as ClaimResult[],
  trialsRun: 0,
  /** Seconds the last run took. */
  seconds: null as number | null,
};

const listeners: (() => void)[] = [];

export function onPaperChange(fn: () => void): void {
  listeners.push(fn);
}

export function paperChanged(): void {
  for (const fn of listeners) fn();
}

export function setPaperState(s: PaperState): void {
  paper.state = s;
  document.documentElement.dataset.paperState = s;
  paperChanged();
}

export const paperBusy = (): boolean => paper.state === 'running' || paper.state === 'stopping';

export const recordCount = (): number => Object.values(paper.records).reduce((k, r) => k + r.length, 0);
