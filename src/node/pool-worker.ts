// The Node worker_threads entry of the pool: wraps parentPort and serves the shipped tasks.
import { parentPort } from 'node:worker_threads';
import { shippedTasks } from '../experiment/pool/tasks.js';
import { serveWorker } from '../experiment/pool/worker.js';
import type { FromWorker, ToWorker } from '../experiment/pool/protocol.js';

const port = parentPort;
if (!port) throw new Error('pool-worker.js is a worker_threads entry; load it with new Worker(...)');
serveWorker(
  {
    post: (msg: FromWorker) => port.postMessage(msg),
    listen: (handler) => port.on('message', (msg: ToWorker) => handler(msg)),
  },
  shippedTasks,
);
