// worker_threads entry that holds one results-file lock (src/node/results-lock.ts). The lock is
// proper-lockfile's: an atomic mkdir of `<file>.lock` whose mtime the holder refreshes every
// `updateMs`; a lock not refreshed for `staleMs` belongs to a dead process and is taken over.
// It lives on its own thread so the refresh keeps its beat while the main thread is busy with
// an in-process trial (`--workers 0`), which may block it for minutes.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

export interface KeeperData {
  lockPath: string;
  staleMs: number;
  updateMs: number;
  /** Retry for this long when the lock is held (the holder may be dead and its lock going stale). */
  waitMs: number;
}
export type FromKeeper =
  | { type: 'locked' }
  | { type: 'held'; message: string }
  | { type: 'failed'; message: string }
  | { type: 'compromised'; message: string }
  | { type: 'released' };

const port = parentPort;
if (!port) throw new Error('lock-keeper.js is a worker_threads entry; load it with new Worker(...)');
const lockfile = createRequire(import.meta.url)('proper-lockfile') as typeof import('proper-lockfile');
const data = workerData as KeeperData;
const send = (m: FromKeeper) => port.postMessage(m);

try {
  const release = await lockfile.lock(data.lockPath, {
    realpath: false,
    stale: data.staleMs,
    update: data.updateMs,
    retries: data.waitMs > 0 ? { retries: Math.ceil(data.waitMs / 250), minTimeout: 250, maxTimeout: 250 } : 0,
    onCompromised: (e) => send({ type: 'compromised', message: e.message }),
  });
  send({ type: 'locked' });
  port.on('message', async () => {
    try {
      await release();
    } finally {
      send({ type: 'released' });
      port.close();
    }
  });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  send({ type: err.code === 'ELOCKED' ? 'held' : 'failed', message: err.message });
  port.close();
}
