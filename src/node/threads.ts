// Threads inside one trial, in Node: a lab whose wasm instance lives on a shared memory, plus
// helper worker_threads running kernel calls on it (src/kernels/helpers.ts says what the kernel
// wrappers split).
// Results are bit-identical to the single-thread lab's; see docs/performance.md for the speed-up.
//
//   const lab = await createThreadedLab({ threads: 2 });   // falls back to 1 thread when unsupported
//   lab.trial({ d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 16384 });
//   await lab.close();
//
// The main thread blocks in Atomics.wait while a helper finishes, which Node allows on its main
// thread (browsers do not: there the lab would have to live in a worker).
import { Worker } from 'node:worker_threads';
import { createLabOn, type Lab } from '../trial/lab.js';
import { loadThreadedWasm, threadsSupported } from '../wasm/threads.js';
import { loadWasm } from '../wasm/index.js';
import { HELPER_OPS, type Helpers } from '../kernels/helpers.js';

/** Int32 / Float64 slots per helper in the control and argument arrays. */
export const SLOT = 16;

export interface HelperData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctrl: SharedArrayBuffer;
  args: SharedArrayBuffer;
  slot: number;
  scratch: number;
}

export interface ThreadedLab extends Lab {
  /** Threads in use, the main one included (1 when threads are not supported). */
  readonly threads: number;
  /** Stops the helper threads. */
  close(): Promise<void>;
}

/** A lab running each trial on `threads` threads (default 2); 1 thread is the plain lab. */
export async function createThreadedLab(opts: { threads?: number } = {}): Promise<ThreadedLab> {
  const threads = Math.max(1, Math.floor(opts.threads ?? 2));
  if (threads === 1 || !threadsSupported()) {
    const lab = createLabOn(await loadWasm(), null);
    return Object.assign(lab, { threads: 1, close: async () => {} });
  }
  const { wasm, module, memory, helperScratchBytes } = await loadThreadedWasm();
  const n = threads - 1;
  const ctrl = new SharedArrayBuffer(4 * SLOT * n),
    args = new SharedArrayBuffer(8 * SLOT * n);
  const c = new Int32Array(ctrl),
    a = new Float64Array(args);
  const seq = new Array<number>(n).fill(0);
  const workers: Worker[] = [];
  // helper scratch lives in the arena below every trial's mark, so trials never reset it
  for (let i = 0; i < n; i++) {
    const scratch = wasm.alloc(helperScratchBytes, 'helper thread scratch');
    const data: HelperData = { module, memory, ctrl, args, slot: i, scratch };
    const w = new Worker(new URL('./threads-worker.js', import.meta.url), { workerData: data });
    workers.push(w);
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`prunelab helper thread exited with code ${code} while starting`)));
    });
    w.unref(); // a lab left open must not keep the process alive (close() still stops the helpers)
  }
  const helpers: Helpers = {
    size: n,
    start(i, op, argv) {
      const base = i * SLOT;
      if (argv.length > 15) throw new RangeError(`helper op ${op}: at most 15 arguments`);
      for (let j = 0; j < argv.length; j++) a[base + j] = argv[j]!;
      c[base + 2] = HELPER_OPS.indexOf(op);
      c[base + 3] = argv.length;
      seq[i]! += 1;
      Atomics.store(c, base, seq[i]!);
      Atomics.notify(c, base);
    },
    wait(i) {
      const base = i * SLOT;
      for (;;) {
        const done = Atomics.load(c, base + 1);
        if (done === seq[i]) break;
        Atomics.wait(c, base + 1, done);
      }
      if (c[base + 4] !== 0) throw new Error(`prunelab helper thread ${i + 1} failed (its message is on stderr)`);
      return a[base + 15]!;
    },
  };
  const lab = createLabOn(wasm, helpers);
  return Object.assign(lab, {
    threads,
    close: async () => {
      for (let i = 0; i < n; i++) {
        workers[i]!.ref(); // keep the process alive until the helpers have exited
        const base = i * SLOT;
        c[base + 2] = -1;
        seq[i]! += 1;
        Atomics.store(c, base, seq[i]!);
        Atomics.notify(c, base);
      }
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              setTimeout(() => {
                void w.terminate();
              }, 2000).unref();
            }),
        ),
      );
    },
  });
}
