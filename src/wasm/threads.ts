// The threads variant of the kernels (asconfig.threads.json): the same code over a shared
// WebAssembly.Memory, one instance per thread, each with its own kernel scratch
// (assembly/threads.ts). The main instance allocates everything; helper instances only compute.
// The single-thread module stays the default; this one is opt-in (src/node/threads.ts).
import { instantiate } from '@assemblyscript/loader';
import { WASM_THREADS_BASE64, WASM_THREADS_SHA256 } from './embedded-threads.generated.js';
import type { KernelExports } from './exports.js';
import { Wasm } from './index.js';

export { WASM_THREADS_SHA256 };

/** The threads build's extra exports. */
export interface ThreadExports extends KernelExports {
  thread_scratch_bytes(): number;
  thread_use_scratch(block: number): void;
}

// The smallest module importing a shared memory and using an atomic:
// (module (import "e" "m" (memory 1 1 shared)) (func (drop (i32.atomic.load (i32.const 0)))))
const THREADS_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 1, 101, 1, 109, 2, 3, 1, 1, 3, 2, 1, 0, 10, 11, 1, 9, 0, 65,
  0, 254, 16, 2, 0, 26, 11,
]);

/** True when this engine has shared WebAssembly memory and atomics, and SharedArrayBuffer exists. */
export function threadsSupported(): boolean {
  try {
    return (
      typeof SharedArrayBuffer === 'function' &&
      WebAssembly.validate(THREADS_PROBE) &&
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor).buffer instanceof
        SharedArrayBuffer
    );
  } catch {
    return false;
  }
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** The compiled threads module (compile once per realm; helpers receive it by postMessage). */
export function compileThreadsModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(Uint8Array.from(atob(WASM_THREADS_BASE64), (c) => c.charCodeAt(0)) as BufferSource);
  return compiled;
}

/** A new shared memory large enough for the threads module's static data. */
export function sharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true } as WebAssembly.MemoryDescriptor);
}

/** One instance of the threads module over `memory`. */
export async function instantiateThreads(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<ThreadExports> {
  const { exports } = await instantiate<Record<string, unknown>>(module, { env: { memory } });
  return exports as unknown as ThreadExports;
}

/**
 * A helper thread's instance over `memory`, its kernel scratch moved into `scratch` (a block of
 * helperScratchBytes the main instance allocated) before it runs any kernel.
 */
export async function instantiateHelper(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  scratch: number,
): Promise<ThreadExports> {
  const exports = await instantiateThreads(module, memory);
  exports.thread_use_scratch(scratch);
  return exports;
}

/**
 * The main instance: a Wasm (arena, views) over a fresh shared memory. Its `sha` is the threads
 * build's; `helperScratchBytes` is what each helper instance needs for its kernel scratch.
 */
export async function loadThreadedWasm(): Promise<{
  wasm: Wasm;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  helperScratchBytes: number;
}> {
  const module = await compileThreadsModule();
  const memory = sharedMemory();
  const exports = await instantiateThreads(module, memory);
  const wasm = new Wasm(exports, WASM_THREADS_SHA256);
  return { wasm, module, memory, helperScratchBytes: exports.thread_scratch_bytes() >>> 0 };
}
