// A helper thread of a threaded lab (src/node/threads.ts): one instance of the threads build over
// the lab's shared memory, running the kernel calls the main thread posts in a SharedArrayBuffer.
// It blocks in Atomics.wait between calls and never allocates.
import { workerData, parentPort } from 'node:worker_threads';
import { instantiateHelper } from '../wasm/threads.js';
import { HELPER_OPS, helperKernel } from '../kernels/helpers.js';
import { SLOT, type HelperData } from './threads.js';

const data = workerData as HelperData;
const ctrl = new Int32Array(data.ctrl),
  args = new Float64Array(data.args);
const instance = await instantiateHelper(data.module, data.memory, data.scratch);
const kernels = HELPER_OPS.map((_, op) => helperKernel(instance, op));
const base = data.slot * SLOT;
parentPort!.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, base, seen);
  seen = Atomics.load(ctrl, base);
  const op = ctrl[base + 2]!;
  if (op < 0) break;
  try {
    const n = ctrl[base + 3]!;
    const a: number[] = [];
    for (let j = 0; j < n; j++) a.push(args[base + j]!);
    args[base + 15] = kernels[op]!(...a);
    ctrl[base + 4] = 0;
  } catch (e) {
    process.stderr.write(`prunelab helper thread: ${HELPER_OPS[op]} failed: ${(e as Error).message}\n`);
    ctrl[base + 4] = 1;
  }
  Atomics.store(ctrl, base + 1, seen);
  Atomics.notify(ctrl, base + 1);
}
