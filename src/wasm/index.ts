// The only module that touches WebAssembly. It decodes the embedded bytes, compiles them once
// per realm, instantiates through @assemblyscript/loader (which turns AssemblyScript abort()
// into a JavaScript Error naming the message, file and line), and owns the arena and the views.
import { instantiate } from '@assemblyscript/loader';
import { ResourceError } from '../core/errors.js';
import { WASM_BASE64, WASM_SHA256 } from './embedded.generated.js';
import type { KernelExports } from './exports.js';

export type { KernelExports } from './exports.js';
export { WASM_SHA256 };

/** wasm32 addresses 2^32 bytes; anything at or beyond this is refused before calling wasm. */
export const WASM32_MAX_BYTES = 4 * 1024 ** 3;

/** Thrown when a request cannot fit in wasm32 linear memory. */
export class MemoryLimitError extends ResourceError {
  constructor(
    readonly bytes: number,
    readonly what: string,
  ) {
    super(
      'memory',
      `${what} needs ${formatBytes(bytes)} of wasm memory, beyond the 4 GiB that wasm32 can address; ` +
        'reduce n or d, or lower the memory budget so rows are regenerated in chunks',
    );
    this.name = 'MemoryLimitError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** The compiled module, shared by every instance in this realm. */
export function compileModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(WASM_BASE64) as BufferSource).catch((e: unknown) => {
    compiled = undefined;
    const hint =
      typeof WebAssembly.validate === 'function' && !simdSupported()
        ? ' (this engine lacks WebAssembly SIMD; use Node >= 20 or a current browser)'
        : '';
    throw new Error(`prunelab: could not compile the wasm module${hint}: ${(e as Error).message}`);
  });
  return compiled;
}

// The smallest module that uses a v128 instruction: (func (result v128) v128.const 0).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 11,
]);
export function simdSupported(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

/**
 * One instance with its memory. Typed views over the whole memory are rebuilt whenever the
 * buffer changes (memory.grow detaches the old one), so callers always read `wasm.f32` etc.
 * fresh after any call that may allocate, and never keep a view across such calls.
 */
export class Wasm {
  /** SHA-256 of the module this instance runs (the threads build has its own, src/wasm/threads.ts). */
  readonly sha: string;
  private buf: ArrayBuffer | undefined;
  private _f32!: Float32Array;
  private _f64!: Float64Array;
  private _i32!: Int32Array;
  private _u32!: Uint32Array;
  private _u8!: Uint8Array;

  constructor(
    readonly exports: KernelExports,
    sha: string = WASM_SHA256,
  ) {
    this.sha = sha;
  }

  private refresh(): void {
    const b = this.exports.memory.buffer as ArrayBuffer;
    if (b === this.buf) return;
    this.buf = b;
    this._f32 = new Float32Array(b);
    this._f64 = new Float64Array(b);
    this._i32 = new Int32Array(b);
    this._u32 = new Uint32Array(b);
    this._u8 = new Uint8Array(b);
  }
  get f32(): Float32Array {
    this.refresh();
    return this._f32;
  }
  get f64(): Float64Array {
    this.refresh();
    return this._f64;
  }
  get i32(): Int32Array {
    this.refresh();
    return this._i32;
  }
  get u32(): Uint32Array {
    this.refresh();
    return this._u32;
  }
  get u8(): Uint8Array {
    this.refresh();
    return this._u8;
  }

  /** Allocates `bytes` (16-byte aligned) in the arena; refuses requests beyond wasm32 up front. */
  alloc(bytes: number, what = 'this allocation'): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new RangeError(`${what}: byte count must be a non-negative integer, got ${bytes}`);
    const top = this.exports.arena_mark() >>> 0;
    if (top + bytes + 16 > WASM32_MAX_BYTES) throw new MemoryLimitError(top + bytes, what);
    return this.exports.arena_alloc(bytes) >>> 0;
  }
  allocF32(n: number, what?: string): number {
    return this.alloc(n * 4, what);
  }
  allocF64(n: number, what?: string): number {
    return this.alloc(n * 8, what);
  }
  allocI32(n: number, what?: string): number {
    return this.alloc(n * 4, what);
  }

  /** Copies a typed array into a fresh arena buffer and returns its pointer. */
  put(data: Float32Array | Float64Array | Int32Array | Uint32Array, what?: string): number {
    const ptr = this.alloc(data.byteLength, what);
    this.u8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ptr);
    return ptr;
  }

  mark(): number {
    return this.exports.arena_mark() >>> 0;
  }
  /** Bytes the arena holds now (its top less its base). */
  used(): number {
    return this.exports.arena_used() >>> 0;
  }
  reset(mark: number): void {
    this.exports.arena_reset(mark);
  }
  /** Runs `fn` and frees everything it allocated, even when it throws. */
  scoped<T>(fn: () => T): T {
    const m = this.mark();
    try {
      return fn();
    } finally {
      this.reset(m);
    }
  }

  /** Copies (never views) of wasm memory, for anything that leaves the package. */
  copyF32(ptr: number, n: number): Float32Array {
    return this.f32.slice(ptr >>> 2, (ptr >>> 2) + n);
  }
  copyF64(ptr: number, n: number): Float64Array {
    return this.f64.slice(ptr >>> 3, (ptr >>> 3) + n);
  }
  copyI32(ptr: number, n: number): Int32Array {
    return this.i32.slice(ptr >>> 2, (ptr >>> 2) + n);
  }
  copyU32(ptr: number, n: number): Uint32Array {
    return this.u32.slice(ptr >>> 2, (ptr >>> 2) + n);
  }
}

/** A new instance (own memory) of the shared compiled module. */
export async function loadWasm(): Promise<Wasm> {
  const module = await compileModule();
  const { exports } = await instantiate<Record<string, unknown>>(module, {});
  return new Wasm(exports as unknown as KernelExports);
}
