// Running the paper's checklist from the page: runClaims over Web Workers (or in the page), the
// same call `prunelab paper` makes over worker threads, so the same trials run with the same
// seeds and give the same records. As records arrive, the claims' verdicts are recomputed on the
// records so far (claimResults, on this thread: throttled to a small share of the time) and drawn
// as provisional; at the end, the final checklist. Stop works as in the sweep view: the first
// press lets running trials finish and keeps them, a second abandons them.
import {
  claimResults,
  experimentChains,
  experimentsToRun,
  runClaims,
  selectClaims,
} from '../../experiment/claims-run.js';
import type { Experiment } from '../../experiment/claims.js';
import { isAbortError, type SweepProgress } from '../../experiment/sweep.js';
import { fmtInt } from '../../analysis/report/svg.js';
import { formatDuration } from '../../core/duration.js';
import { createWebTrialRunner, WORKER_FILE, type WebTrialRunner } from '../pool-web.js';
import { errorText, setBar, setStatus } from './status.js';
import { paper, paperBusy, paperChanged, recordCount, setPaperState } from './paper-session.js';
import { renderPaper } from './paper-render.js';
import { endJob, pressStop, type RunningJob } from './stop.js';
import { estimateRun, type RunEstimate } from './paper-estimate.js';

const P = 'paper-';

/** The live verdicts take at most about this share of the page's thread, and come at most this often. */
const VERDICT_SHARE = 0.1;
const VERDICT_MIN_MS = 1500;

let current: RunningJob | null = null;
let verdictTimer: ReturnType<typeof setTimeout> | null = null;
let lastVerdictAt = 0;
let lastVerdictMs = 0;

function verdictsNow(): void {
  if (verdictTimer !== null) {
    clearTimeout(verdictTimer);
    verdictTimer = null;
  }
  const t = performance.now();
  paper.results = claimResults(selectClaims(paper.claims), paper.records);
  renderPaper(paperBusy());
  lastVerdictAt = performance.now();
  lastVerdictMs = lastVerdictAt - t;
}

/** Recomputes the verdicts soon: when the last computation is old enough for the share it may take. */
function verdictsSoon(): void {
  if (verdictTimer !== null) return;
  const gap = Math.max(VERDICT_MIN_MS, lastVerdictMs / VERDICT_SHARE);
  verdictTimer = setTimeout(verdictsNow, Math.max(0, gap - (performance.now() - lastVerdictAt)));
}

export interface PaperRunOptions {
  /** Claim ids (default: the view's, C1 and C4). */
  claims?: string[];
  /** Web Workers; 0 runs trials in the page. */
  workers: number;
  /**
   * Smaller stand-ins for registry experiments of the same name (experimentsToRun): for tests and
   * scripts only, never set by the page's own controls; the view then says, above the checklist,
   * that its verdicts are not the paper's.
   */
  experiments?: Experiment[];
}

export async function runPaper(opts: PaperRunOptions): Promise<void> {
  if (current || paperBusy()) return;
  const t0 = performance.now();
  let runner: WebTrialRunner | null = null;
  let ac: AbortController | null = null;
  try {
    const ids = opts.claims ?? paper.claims;
    const claims = selectClaims(ids);
    const standIns = opts.experiments ?? [];
    paper.experiments = experimentsToRun(claims, 'quick', standIns);
    expected = estimateRun(
      paper.experiments.map((e) => e.name),
      opts.workers,
      standIns.length > 0,
    );
    chainsShown = paper.experiments.flatMap((e) =>
      experimentChains(e).map(({ plan }) => ({
        name: e.name,
        method: plan.method,
        label: plan.label,
        ds: plan.chain.ds,
      })),
    );
    paper.claims = claims.map((c) => c.id);
    paper.standIns = standIns;
    paper.records = Object.fromEntries(paper.experiments.map((e) => [e.name, []]));
    paper.results = [];
    paper.trialsRun = 0;
    paper.seconds = null;
    lastVerdictMs = 0;
    setPaperState('running');
    renderPaper(true);
    setStatus('Starting workers…', '', 'running', P);
    setBar(0, false, P);
    // the page is a classic script, so the worker bundle is found next to the page, not by import.meta
    runner = await createWebTrialRunner({
      workers: opts.workers,
      workerUrl: new URL(WORKER_FILE, document.baseURI).href,
    });
    ac = new AbortController();
    current = { runner, ac, presses: 0 };
    const out = await runClaims(claims, {
      tier: 'quick',
      runner,
      signal: ac.signal,
      experiments: standIns,
      onResult: (r, e) => {
        paper.records[e.name]!.push(r);
        paper.trialsRun++;
        paperChanged();
        verdictsSoon();
      },
      onProgress: (p) => showProgress(p, t0),
    });
    const aborted = out.sweep.aborted;
    paper.results = out.results;
    const decided = out.sweep.searches.filter((s) => s.complete).length;
    setStatus(
      aborted ? 'Stopped.' : 'Done.',
      `${fmtInt(out.sweep.trialsRun)} trials in ${formatDuration(performance.now() - t0)} · ${decided} of ${out.sweep.searches.length} searches decided${aborted ? ' (the verdicts below rest on what finished)' : ''}`,
      aborted ? '' : 'done',
      P,
    );
    setBar(aborted ? decided / Math.max(1, out.sweep.searches.length) : 1, !aborted, P);
    finish(aborted ? 'stopped' : 'done', t0);
  } catch (e) {
    if (isAbortError(e) && ac?.signal.aborted) {
      setStatus('Stopped.', `${fmtInt(recordCount())} trials kept`, '', P);
      paper.results = claimResults(selectClaims(paper.claims), paper.records);
      finish('stopped', t0);
    } else {
      setStatus('Failed.', errorText(e), 'failed', P);
      finish('failed', t0);
    }
  } finally {
    const job = current;
    current = null;
    if (job) await endJob(job);
    else if (runner) await runner.pool.close();
  }
}

function finish(state: 'done' | 'stopped' | 'failed', t0: number): void {
  if (verdictTimer !== null) {
    clearTimeout(verdictTimer);
    verdictTimer = null;
  }
  paper.seconds = (performance.now() - t0) / 1000;
  // the state first, so the checklist is drawn final (full replicates, no "provisional")
  setPaperState(state);
  renderPaper(false);
}

export function stopPaper(): void {
  if (current) pressStop(current, () => setPaperState('stopping'), P);
}

/** What the run was expected to take (paper-estimate.ts), for the time left; null for stand-ins. */
let expected: RunEstimate | null = null;

/** Which experiment each chain belongs to, to name the one the latest batch is for. */
let chainsShown: { name: string; method: string; label: string; ds: readonly number[] }[] = [];

/**
 * The experiment of the batch most recently submitted. Chains of two experiments can be the same
 * trials (alpha's α = 1/4 is k2's pruned chain at its first d); the first, whose file the records
 * go to, is named.
 */
function experimentOf(c: NonNullable<SweepProgress['current']>): string {
  return chainsShown.find((x) => x.method === c.method && x.label === c.label && x.ds.includes(c.d))?.name ?? '';
}

function showProgress(p: SweepProgress, t0: number): void {
  if (paper.state !== 'running') return;
  const finished = p.done + p.resumed;
  setBar(p.estimatedTotal > 0 ? finished / p.estimatedTotal : 0, false, P);
  const elapsed = performance.now() - t0;
  // Rough. By trials it assumes the remaining ones cost what the finished ones did, but the costly
  // trials (the dense learner at the largest d, α = 3/4 at large n) come last; so it is never put
  // below what the measured cost of these experiments leaves.
  const byTrials =
    finished > 0 && p.estimatedTotal > finished ? (elapsed * (p.estimatedTotal - finished)) / finished : null;
  const byCost = expected ? expected.seconds * 1000 - elapsed : null;
  const eta = byTrials === null ? null : Math.max(byTrials, byCost ?? 0);
  const perExperiment = paper.experiments.map((e) => `${e.name} ${fmtInt(paper.records[e.name]?.length ?? 0)}`);
  setStatus(
    `Running: ${fmtInt(finished)} of about ${fmtInt(p.estimatedTotal)} trials`,
    [
      `${p.searchesDone}/${p.searchesTotal} searches decided`,
      `trials by experiment: ${perExperiment.join(', ')}`,
      p.current
        ? `now ${experimentOf(p.current)}: ${p.current.method}, ${p.current.label}, d = ${fmtInt(p.current.d)}, n = ${fmtInt(p.current.n)}`
        : '',
      `${formatDuration(elapsed)} elapsed`,
      eta !== null ? `roughly ${formatDuration(eta)} left` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    'running',
    P,
  );
}
