// The Web Worker entry of the pool (bundled to dist/web/prunelab.worker.js): wraps the worker's
// global scope as a WorkerPort and serves the shipped tasks, as src/node/pool-worker.ts does for
// worker_threads.
import { shippedTasks } from '../experiment/pool/tasks.js';
import { serveWorker } from '../experiment/pool/worker.js';
import type { FromWorker, ToWorker } from '../experiment/pool/protocol.js';

interface WorkerScope {
  postMessage(msg: unknown): void;
  addEventListener(type: 'message', handler: (ev: { data: unknown }) => void): void;
}
const g = globalThis as unknown as { WorkerGlobalScope?: unknown; document?: unknown };
if (g.WorkerGlobalScope === undefined || g.document !== undefined) {
  throw new Error('prunelab.worker.js is a Web Worker entry; start it with new Worker(url, { type: "module" })');
}
const scope = globalThis as unknown as WorkerScope;
serveWorker(
  {
    post: (msg: FromWorker) => scope.postMessage(msg),
    listen: (handler) => scope.addEventListener('message', (ev) => handler(ev.data as ToWorker)),
  },
  shippedTasks,
);
