// <prunelab-experiment>: a live experiment in one tag, for articles, lecture notes and blog posts.
//   <script type="module" src="prunelab.browser.js"></script>
//   <prunelab-experiment preset="separation" d="256,1024" seeds="3"></prunelab-experiment>
// It runs the preset's sweep on Web Workers (workers="N", 0 = in the page), redraws the n* plot
// and the verdict as trials finish, and fires DOM events: `prunelab-trial` (detail: the record)
// per trial and `prunelab-done` (detail: {records, verdict}) at the end, or `prunelab-error`.
// Attributes: preset, d, methods, seeds, workers, worker-url. Records equal Node's bit for bit.
import { analyze } from '../analysis/report/analyze.js';
import { nStarPlot } from '../analysis/report/plots.js';
import { verdict } from '../analysis/report/summary.js';
import { applyOverrides, presetSpec, runSweep, type SweepOverrides } from '../experiment/sweep.js';
import type { Method, TrialRecord } from '../core/types.js';
import { createWebTrialRunner } from './pool-web.js';

const list = (s: string | null) => (s ? s.split(',').map((x) => x.trim()) : undefined);

const Base: typeof HTMLElement =
  typeof HTMLElement === 'undefined' ? (class {} as unknown as typeof HTMLElement) : HTMLElement;

export class PrunelabExperiment extends Base {
  /** Every record so far, in order of arrival. */
  readonly records: TrialRecord[] = [];
  private started = false;

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    void this.run().catch((e: unknown) => {
      this.textContent = `prunelab-experiment: ${(e as Error)?.message ?? e}`;
      this.dispatchEvent(new CustomEvent('prunelab-error', { detail: e, bubbles: true }));
    });
  }

  private async run(): Promise<void> {
    const overrides: SweepOverrides = {};
    const d = list(this.getAttribute('d'));
    if (d) overrides.d = d.map(Number);
    const methods = list(this.getAttribute('methods'));
    if (methods) overrides.methods = methods as Method[];
    const seeds = this.getAttribute('seeds');
    if (seeds) overrides.seeds = Number(seeds);
    const spec = applyOverrides(presetSpec(this.getAttribute('preset') ?? 'separation'), overrides);
    const workers = this.getAttribute('workers');
    const workerUrl = this.getAttribute('worker-url') ?? new URL('./prunelab.worker.js', import.meta.url).href;
    const runner = await createWebTrialRunner({
      workerUrl,
      ...(workers !== null ? { workers: Number(workers) } : {}),
    });
    this.draw('running…');
    try {
      await runSweep(spec, {
        runner,
        onResult: (record) => {
          this.records.push(record);
          this.draw('running…');
          this.dispatchEvent(new CustomEvent('prunelab-trial', { detail: record, bubbles: true }));
        },
      });
    } finally {
      await runner.pool.close();
    }
    const v = this.draw(null);
    this.dispatchEvent(
      new CustomEvent('prunelab-done', { detail: { records: this.records.slice(), verdict: v }, bubbles: true }),
    );
  }

  /** Redraws the plot and the verdict (or `status` while running); returns the verdict. */
  private draw(status: string | null): string | null {
    const panel = this.records.length ? analyze(this.records, { replicates: 200 }).panels[0] : undefined;
    const v = panel ? verdict(panel) : null;
    const text = status ?? v ?? '';
    this.innerHTML = `${panel ? nStarPlot(panel, { width: 640 }) : ''}<p class="prunelab-verdict">${escapeHtml(
      `${this.records.length} trial(s). ${text}`,
    )}</p>`;
    return v;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Defines <prunelab-experiment> once (the browser entry does it on import). */
export function defineExperimentElement(name = 'prunelab-experiment'): void {
  if (typeof customElements !== 'undefined' && !customElements.get(name))
    customElements.define(name, PrunelabExperiment);
}
