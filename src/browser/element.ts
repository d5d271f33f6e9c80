// <prunelab-experiment>: a live experiment in one tag, for articles, lecture notes and blog posts.
//   <script type="module" src="prunelab.browser.js"></script>
//   <prunelab-experiment preset="separation" d="256,1024" seeds="3"></prunelab-experiment>
// It runs the preset's sweep on Web Workers (workers="N", 0 = in the page), redraws the n* plot
// and the verdict as trials finish, and fires DOM events: `prunelab-trial` (detail: the record)
// per trial and `prunelab-done` (detail: {records, verdict}) at the end, or `prunelab-error`.
// Attributes: preset, d, methods, seeds, design (read as `prunelab sweep` reads those flags), workers,
// worker-url. Records equal Node's bit for bit.
import { analyze } from '../analysis/report/analyze.js';
import { nStarPlot } from '../analysis/report/plots.js';
import { verdict } from '../analysis/report/summary.js';
import { runDesign } from '../experiment/design.js';
import { parseSweepRequest, sweepOf, type SweepRequestValues } from '../experiment/sweep-request.js';
import type { TrialRecord } from '../core/types.js';
import { createWebTrialRunner } from './pool-web.js';

// The attributes that are sweep flags, read by the CLI's own parser (seeds="3" selects the search, as --seeds does).
const FLAG_ATTRIBUTES = ['preset', 'd', 'methods', 'seeds', 'design'] as const;

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
    const values: SweepRequestValues = {};
    for (const a of FLAG_ATTRIBUTES) {
      const v = this.getAttribute(a);
      if (v !== null) values[a] = v;
    }
    const { spec, design } = sweepOf(parseSweepRequest(values));
    const workers = this.getAttribute('workers');
    const workerUrl = this.getAttribute('worker-url') ?? new URL('./prunelab.worker.js', import.meta.url).href;
    const runner = await createWebTrialRunner({
      workerUrl,
      ...(workers !== null ? { workers: Number(workers) } : {}),
    });
    this.draw('running…');
    try {
      await runDesign(design, spec, {
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
