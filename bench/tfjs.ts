// The GEMM peer: @tensorflow/tfjs-backend-wasm (a pinned devDependency), loaded from its own
// package files with setWasmPaths pointing at its dist folder, so nothing is fetched.
//
// Which variant runs. tfjs picks its wasm file by two feature flags. In Node, WASM_HAS_SIMD_SUPPORT
// probes true and the SIMD build (tfjs-backend-wasm-simd.wasm, XNNPACK kernels) loads. The threaded
// SIMD build does not: tfjs hard-wires WASM_HAS_MULTITHREAD_SUPPORT to false under Node, and forcing
// it on fails (Emscripten starts its pthread workers from a blob: URL, which Node's Worker refuses
// with ERR_WORKER_PATH). So the baseline is the single-threaded SIMD variant, like our kernels.
//
// How it is called. tfjs-wasm sends a matMul to XNNPACK only when neither operand is transposed;
// with a transpose flag it falls back to a scalar blocked loop (0.3–1.5 GFLOP/s here). So each of
// our products is given to tfjs in its fast layout, transposed once outside the timing:
//   Z = X·Wᵀ  →  matMul(X [n×k], Wᵀ [k×m])        G = Dᵀ·X  →  matMul(Dᵀ [m×n], X [n×k])
// XNNPACK packs the right operand once and caches the packed copy by tensor id, so repeated calls
// (the warm-up included) time the product alone: the baseline at its best.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

type Tf = typeof import('@tensorflow/tfjs-core');
export interface TfMatMul {
  /** The wasm file tfjs loaded ('tfjs-backend-wasm-simd.wasm', ...). */
  variant: string;
  /** A timed body computing a·b (a rows×inner, b inner×cols, row-major data) and discarding it. */
  product(
    a: Float32Array,
    rows: number,
    inner: number,
    b: Float32Array,
    cols: number,
  ): { run: () => void; dispose: () => void };
}

let loaded: Promise<TfMatMul> | undefined;

export function loadTfjsWasm(): Promise<TfMatMul> {
  loaded ??= init();
  return loaded;
}

async function init(): Promise<TfMatMul> {
  const tf: Tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(`${dist}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm did not initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const variant = `tfjs-backend-wasm${threads ? '-threaded' : ''}${simd ? '-simd' : ''}.wasm`;
  return {
    variant,
    product(a, rows, inner, b, cols) {
      const ta = tf.tensor2d(a, [rows, inner]),
        tb = tf.tensor2d(b, [inner, cols]);
      return {
        run: () => {
          tf.matMul(ta, tb).dispose();
        },
        dispose: () => {
          ta.dispose();
          tb.dispose();
        },
      };
    },
  };
}

/** Row-major transpose of an r×c matrix. */
export function transpose(a: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j]!;
  return out;
}
