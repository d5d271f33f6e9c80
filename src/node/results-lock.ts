// One writer per results file. A sweep takes the lock before it reads or appends its --out, and a
// second process aiming at the same file is refused with the pid (and host) that holds it.
//
// The lock is proper-lockfile's (an atomic mkdir of `<file>.lock`, refreshed every second by the
// holder on its own thread, src/node/lock-keeper.ts), so it works on local and network file
// systems alike. Beside it, `<file>.lock.json` names the holder for the refusal message.
// Takeover of a lock left by a killed process:
// - any holder that stopped refreshing for `staleMs` (default 10 s) is dead, on any host;
// - when the recorded holder is on this host and its pid no longer runs, the lock is taken once
//   it has not been refreshed for 3 s (a live holder refreshes every second, so it would need to
//   be starved for 3 s to lose it), so a rerun after kill -9 waits at most that long.
// A holder that loses its lock anyway (suspended for longer than that) learns it through
// `check()`, and the sweep stops rather than write beside another process.
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ResourceError } from '../core/errors.js';
import type { FromKeeper, KeeperData } from './lock-keeper.js';

export interface LockOptions {
  /** A lock not refreshed for this long is stale, whoever holds it (default 10 s, at least 2 s). */
  staleMs?: number;
  /** What the holder is doing, for the refusal message (e.g. "prunelab sweep"). */
  command?: string;
}

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface ResultsLock {
  readonly path: string;
  /** Set when the lock was taken from a dead holder: who it was. */
  readonly tookOverFrom: LockOwner | null;
  /** Throws a ResourceError when the lock was lost to another process since it was taken. */
  check(): void;
  release(): Promise<void>;
}

const UPDATE_MS = 1000;
const DEAD_PID_STALE_MS = 3000;

export const lockDirOf = (path: string) => `${path}.lock`;
export const lockOwnerFileOf = (path: string) => `${path}.lock.json`;

export function readLockOwner(path: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(lockOwnerFileOf(path), 'utf8')) as LockOwner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : null;
  } catch {
    return null;
  }
}

/** Whether a pid runs on this host (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(o: LockOwner | null): string {
  if (!o) return 'another process (its pid is not recorded yet)';
  return `pid ${o.pid}${o.host === hostname() ? '' : ` on ${o.host}`} (${o.command}, since ${o.since})`;
}

/** Takes the lock on a results file, or throws a ResourceError naming the holder. */
export async function lockResultsFile(path: string, opts: LockOptions = {}): Promise<ResultsLock> {
  const staleMs = Math.max(2000, opts.staleMs ?? 10_000);
  mkdirSync(dirname(path), { recursive: true });
  const before = existsSync(lockDirOf(path)) ? readLockOwner(path) : null;
  const deadHere = before !== null && before.host === hostname() && !pidAlive(before.pid);
  const data: KeeperData = {
    lockPath: path,
    staleMs: deadHere ? Math.min(staleMs, DEAD_PID_STALE_MS) : staleMs,
    updateMs: UPDATE_MS,
    waitMs: deadHere ? Math.min(staleMs, DEAD_PID_STALE_MS) + 2 * UPDATE_MS : 0,
  };
  const worker = new Worker(new URL('./lock-keeper.js', import.meta.url), { workerData: data });
  worker.unref();
  let compromised: string | null = null;
  let onReleased: (() => void) | null = null;
  const first = await new Promise<FromKeeper>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: FromKeeper) => {
      if (m.type === 'compromised') compromised = m.message;
      else if (m.type === 'released') onReleased?.();
      else resolve(m);
    });
  });
  if (first.type === 'held')
    throw new ResourceError(
      'file',
      `${path} is being written by ${describe(readLockOwner(path))}; wait for it to finish, or choose another --out`,
    );
  if (first.type === 'failed') throw new ResourceError('file', `cannot lock ${path}: ${first.message}`);

  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    command: opts.command ?? 'prunelab',
    since: new Date().toISOString(),
  };
  writeFileSync(lockOwnerFileOf(path), `${JSON.stringify(me)}\n`);
  let held = true;
  // a process that ends without releasing (an uncaught error, process.exit) still frees the file
  const onExit = () => {
    if (!held || compromised) return;
    try {
      unlinkSync(lockOwnerFileOf(path));
    } catch {}
    try {
      rmSync(lockDirOf(path), { recursive: true, force: true });
    } catch {}
  };
  process.once('exit', onExit);
  return {
    path,
    tookOverFrom: before,
    check() {
      if (compromised)
        throw new ResourceError(
          'file',
          `lost the lock on ${path} (${compromised}); now held by ${describe(readLockOwner(path))}`,
        );
    },
    async release() {
      if (!held) return;
      held = false;
      process.off('exit', onExit);
      if (!compromised && readLockOwner(path)?.pid === me.pid) {
        try {
          unlinkSync(lockOwnerFileOf(path));
        } catch {}
      }
      await new Promise<void>((resolve) => {
        onReleased = resolve;
        worker.once('exit', () => resolve());
        worker.postMessage('release');
      });
    },
  };
}
