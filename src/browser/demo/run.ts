// Running a sweep from the page: the request's design on Web Workers (or in the page), every
// record shown as it arrives, the progress line, and Stop: the first press lets running trials
// finish and keeps them, as Ctrl-C does in the CLI; a second abandons them.
import { runDesign } from '../../experiment/design.js';
import { isAbortError, type SweepProgress } from '../../experiment/sweep.js';
import { sweepOf, type SweepRequest } from '../../experiment/sweep-request.js';
import { fmtInt } from '../../analysis/report/svg.js';
import { formatDuration } from '../../core/duration.js';
import { createWebTrialRunner, WORKER_FILE, type WebTrialRunner } from '../pool-web.js';
import { busy, changed, clearRecords, session, setState } from './session.js';
import { fail, setBar, setStatus } from './status.js';
import { addTrialRow, clearTrials } from './trials.js';
import { render, renderSoon } from './render.js';
import { endJob, pressStop, type RunningJob } from './stop.js';

let current: RunningJob | null = null;

export async function runSweep(request: SweepRequest, workers: number): Promise<void> {
  if (current || busy()) return;
  const { spec, design } = sweepOf(request);
  clearRecords(spec.name);
  clearTrials();
  setState('running');
  render();
  setStatus('Starting workers…', '', 'running');
  setBar(0, false);
  let runner: WebTrialRunner;
  try {
    // the page is a classic script, so the worker bundle is found next to the page, not by import.meta
    runner = await createWebTrialRunner({ workers, workerUrl: new URL(WORKER_FILE, document.baseURI).href });
  } catch (e) {
    fail(e);
    return;
  }
  const ac = new AbortController();
  const job = { runner, ac, presses: 0 };
  current = job;
  const t0 = performance.now();
  try {
    const result = await runDesign(design, spec, {
      runner,
      signal: ac.signal,
      onResult: (rec) => {
        session.records.push(rec);
        addTrialRow(rec, session.records.length, true);
        changed();
        renderSoon();
      },
      onProgress: showProgress,
    });
    session.result = result;
    const decided = result.searches.filter((s) => s.complete).length;
    setStatus(
      result.aborted ? 'Stopped.' : 'Done.',
      `${fmtInt(result.trialsRun)} trials in ${formatDuration(performance.now() - t0)} · ${decided} of ${result.searches.length} searches decided${result.aborted ? ' (undecided n* are provisional)' : ''}`,
      result.aborted ? '' : 'done',
    );
    setBar(result.aborted ? decided / Math.max(1, result.searches.length) : 1, !result.aborted);
    setState(result.aborted ? 'stopped' : 'done');
  } catch (e) {
    if (isAbortError(e) && ac.signal.aborted) {
      setStatus('Stopped.', `${fmtInt(session.records.length)} trials kept`, '');
      setState('stopped');
    } else fail(e);
  } finally {
    current = null;
    await endJob(job);
    session.seconds = (performance.now() - t0) / 1000;
    render();
  }
}

export function stopSweep(): void {
  if (current) pressStop(current, () => setState('stopping'));
}

function showProgress(p: SweepProgress): void {
  if (session.state !== 'running') return;
  const finished = p.done + p.resumed;
  setBar(p.estimatedTotal > 0 ? finished / p.estimatedTotal : 0, false);
  // Rough: it assumes the remaining trials cost what the finished ones did, and larger d and n cost more.
  const eta =
    finished > 0 && p.estimatedTotal > finished ? (p.elapsedMs * (p.estimatedTotal - finished)) / finished : null;
  setStatus(
    `Running: ${fmtInt(finished)} of about ${fmtInt(p.estimatedTotal)} trials`,
    [
      `${p.searchesDone}/${p.searchesTotal} searches decided`,
      p.current ? `now ${p.current.method}, d = ${fmtInt(p.current.d)}, n = ${fmtInt(p.current.n)}` : '',
      `${formatDuration(p.elapsedMs)} elapsed`,
      eta !== null ? `roughly ${formatDuration(eta)} left` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    'running',
  );
}
