// The demo page's script (dist/web/demo.js, for index.html): the library on globalThis.prunelab,
// the page's views (src/browser/demo/, one concern per file), and a handle for scripts and tests,
// globalThis.prunelabDemo. Bundled as a classic script so the page also opens from file://, where
// module scripts and workers are refused (trials then run in the page).
import * as prunelab from './index.js';
import { showEnv } from './demo/env.js';
import { session, setState } from './demo/session.js';
import { fail, setStatus } from './demo/status.js';
import { currentRequest, runForm, setRequest, sweepView } from './demo/sweep-view.js';
import { stopSweep } from './demo/run.js';
import { mountViews } from './demo/views.js';
import { paperHandle, paperView } from './demo/paper-view.js';
import { byId } from './demo/dom.js';

(globalThis as unknown as { prunelab: typeof prunelab }).prunelab = prunelab;

/** For scripts and tests: the page's state, records and request (the library itself is globalThis.prunelab). */
(globalThis as unknown as { prunelabDemo: unknown }).prunelabDemo = {
  get state() {
    return session.state;
  },
  get records() {
    return session.records.slice();
  },
  get result() {
    return session.result;
  },
  get seconds() {
    return session.seconds;
  },
  get command() {
    return byId('cli').textContent;
  },
  /** The request the form describes (null while it holds a bad value). */
  get request() {
    return currentRequest();
  },
  setRequest,
  run: runForm,
  stop: stopSweep,
  /** The paper view: its state, records by experiment, verdicts, run and stop (see paper-view.ts). */
  paper: paperHandle,
};

function start(): void {
  const canRun = showEnv();
  mountViews([sweepView, paperView]);
  if (!canRun)
    fail(
      new Error(
        'This browser has no WebAssembly SIMD, which prunelab needs: use a current Chromium, Firefox or Safari.',
      ),
    );
  else {
    setStatus('Ready.', 'Set up an experiment and press Run.', '');
    setState('ready');
  }
  performance.mark('prunelab:interactive');
  window.addEventListener('unhandledrejection', (e) => fail(e.reason));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
