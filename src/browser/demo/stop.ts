// The Stop button of a run on the page (a sweep, or the paper view's checklist), as Ctrl-C in the
// CLI: the first press starts no new trials and lets the running ones finish, so they are kept; a
// second press abandons them.
import type { WebTrialRunner } from '../pool-web.js';
import { setStatus } from './status.js';

/** A run in progress: its runner, the abort of its design, and how often Stop was pressed. */
export interface RunningJob {
  runner: WebTrialRunner;
  ac: AbortController;
  presses: number;
}

/** One press of Stop on `job`; `stopping` marks the page's state, `prefix` picks the view's status line. */
export function pressStop(job: RunningJob, stopping: () => void, prefix = ''): void {
  job.presses++;
  if (job.presses === 1) {
    job.ac.abort();
    setStatus(
      'Stopping…',
      'no new trials start; running trials finish and are kept (press again to abandon them)',
      'running',
      prefix,
    );
    stopping();
  } else {
    void job.runner.pool.terminate();
    setStatus('Stopping now…', 'running trials abandoned', 'running', prefix);
  }
}

/** Ends a finished or stopped job's workers: terminated after a second press, closed otherwise. */
export async function endJob(job: RunningJob): Promise<void> {
  if (job.presses > 1) await job.runner.pool.terminate();
  else await job.runner.pool.close();
}
