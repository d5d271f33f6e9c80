// The sweep's progress line on stderr: trials done/estimated total, the batch running, elapsed
// time and ETA. It draws only on a TTY (and never more than 10 times a second), so logs and
// pipes stay clean.
import type { SweepProgress } from '../experiment/sweep.js';
import { formatDuration } from '../core/duration.js';

export { formatDuration };

/** One progress line (no newline), at most `width` characters. */
export function formatProgress(p: SweepProgress, width = 100, note = ''): string {
  const used = p.done + p.resumed;
  const total = Math.max(p.estimatedTotal, used, 1);
  const frac = Math.min(1, used / total);
  const barWidth = 20;
  const filled = Math.round(frac * barWidth);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  // ETA from the trials run in this session (resumed ones cost nothing); an estimate, as the total is
  const eta = p.done > 0 && used < total ? `ETA ~${formatDuration((p.elapsedMs / p.done) * (total - used))}` : '';
  // a note (the longest-running trial and how far it is) says more than the batch last submitted
  const cur = note || (p.current ? `${p.current.method} d=${p.current.d} n=${p.current.n}` : '');
  const parts = [
    bar,
    `${used}/~${total} trials`,
    cur,
    formatDuration(p.elapsedMs),
    eta,
    `searches ${p.searchesDone}/${p.searchesTotal}`,
  ].filter(Boolean);
  const line = parts.join('  ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export class ProgressBar {
  private last = 0;
  private drawn = false;
  private latest: SweepProgress | null = null;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = stream.isTTY === true,
    /** Text appended to the bar, e.g. how far the longest-running trial is (src/node/trial-progress.ts). */
    private readonly note: () => string = () => '',
  ) {}

  /** Redraws the last state, so the note moves while no trial finishes. */
  refresh(): void {
    if (this.enabled && this.latest) this.draw(this.latest);
  }

  update(p: SweepProgress): void {
    this.latest = p;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.draw(p);
  }

  private draw(p: SweepProgress): void {
    const width = Math.max(40, (this.stream.columns || 100) - 1);
    this.stream.write(`\r\x1b[2K${formatProgress(p, width, this.note())}`);
    this.drawn = true;
  }

  /** Clears the line, so what follows starts at column 0. */
  clear(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** Writes a message above the bar and redraws it. */
  log(message: string): void {
    this.clear();
    this.stream.write(`${message}\n`);
    if (this.enabled && this.latest) this.draw(this.latest);
  }
}
