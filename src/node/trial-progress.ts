// The progress line of one long trial on stderr: stage, percent of its estimated work, elapsed
// time and ETA. `auto` stays silent for the first seconds (most trials end before), then redraws
// one line on a TTY, or writes a line every 10% to a log. `always` starts at once; `never` is silent.
import type { TrialProgress } from '../trial/progress.js';
import { formatDuration } from './progress.js';

export type ProgressMode = 'auto' | 'always' | 'never';

const QUIET_MS = 3000;
const REDRAW_MS = 200;
const STAGE_NUMBER: Record<TrialProgress['stage'], number> = { mask: 1, 'first-layer': 2, readout: 3 };
const STAGE_NAMES: Record<TrialProgress['stage'], string> = {
  mask: 'stage 1/3 mask',
  'first-layer': 'stage 2/3 first layer',
  readout: 'stage 3/3 readout',
};

/** One line: `stage 2/3 first layer  45%  0:12 elapsed  ETA ~0:15`. */
export function formatTrialProgress(p: TrialProgress, elapsedMs: number): string {
  const pct = Math.floor(100 * p.fraction);
  // the fraction is of estimated work, so the ETA assumes the rest runs at the rate seen so far
  const eta =
    p.fraction > 0.01 && p.fraction < 1 ? `  ETA ~${formatDuration((elapsedMs * (1 - p.fraction)) / p.fraction)}` : '';
  return `trial: ${STAGE_NAMES[p.stage]}  ${String(pct).padStart(3)}%  ${formatDuration(elapsedMs)} elapsed${eta}`;
}

export class TrialProgressLine {
  private readonly t0 = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly mode: ProgressMode,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  readonly update = (p: TrialProgress): void => {
    if (this.mode === 'never') return;
    const now = Date.now(),
      elapsed = now - this.t0;
    if (this.mode === 'auto' && elapsed < QUIET_MS) return;
    const line = formatTrialProgress(p, elapsed);
    if (this.stream.isTTY) {
      if (now - this.lastDraw < REDRAW_MS && p.fraction < 1) return;
      this.lastDraw = now;
      this.stream.write(`\r\x1b[2K${line}`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor(10 * p.fraction);
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.stream.write(`${line}\n`);
  };

  /** Ends a redrawn line, so what follows starts on its own line. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/**
 * The trials a sweep is running and how far each is, for the sweep's progress bar: it names the
 * one that has run longest once that one has run for a few seconds.
 */
export class RunningTrials {
  private next = 0;
  private readonly running = new Map<number, { what: string; t0: number; p: TrialProgress | null }>();

  /** Registers a trial; returns its listener and the function to call when it ends. */
  start(what: string): { onProgress: (p: TrialProgress) => void; end: () => void } {
    const key = this.next++;
    const entry = { what, t0: Date.now(), p: null as TrialProgress | null };
    this.running.set(key, entry);
    return { onProgress: (p) => (entry.p = p), end: () => this.running.delete(key) };
  }

  /** `none d=65536 n=4000000 at 45% (stage 2/3, ETA ~1:20)`, or '' when no trial has run for long. */
  note(now = Date.now()): string {
    let oldest: { what: string; t0: number; p: TrialProgress | null } | null = null;
    for (const e of this.running.values()) if (!oldest || e.t0 < oldest.t0) oldest = e;
    if (!oldest?.p || now - oldest.t0 < QUIET_MS) return '';
    const { fraction, stage } = oldest.p;
    const elapsed = now - oldest.t0;
    const eta =
      fraction > 0.01 && fraction < 1 ? `, ETA ~${formatDuration((elapsed * (1 - fraction)) / fraction)}` : '';
    return `${oldest.what} at ${Math.floor(100 * fraction)}% (stage ${STAGE_NUMBER[stage]}/3${eta})`;
  }
}
