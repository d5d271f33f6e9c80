// What this browser offers the page, as pills in the header: WebAssembly SIMD (prunelab needs it),
// workers (none from file://), cross-origin isolation, and the build whose records the page makes.
import { simdSupported, WASM_SHA256 } from '../../wasm/index.js';
import { VERSION } from '../../core/version.js';
import { esc } from '../../analysis/report/svg.js';
import { defaultWebWorkers, isolation, webWorkersAvailable } from '../pool-web.js';
import { byId } from './dom.js';

/** Shows the pills; returns whether the page can run trials at all. */
export function showEnv(): boolean {
  const simd = simdSupported();
  const workers = webWorkersAvailable();
  const iso = isolation().crossOriginIsolated;
  const pills = [
    [simd, simd ? 'WebAssembly SIMD' : 'no WebAssembly SIMD: use a current browser'],
    [workers, workers ? `${defaultWebWorkers()} cores` : 'no workers (file://): trials run in the page'],
    [iso, iso ? 'cross-origin isolated' : 'not cross-origin isolated'],
  ] as const;
  byId('env').innerHTML =
    pills.map(([ok, t]) => `<span class="pill ${ok ? 'ok' : 'no'}">${esc(t)}</span>`).join('') +
    `<span class="pill" title="SHA-256 of the embedded wasm module: ${esc(WASM_SHA256)}">prunelab ${esc(VERSION)} · wasm ${esc(WASM_SHA256.slice(0, 8))}</span>`;
  byId('foot-build').textContent = `prunelab ${VERSION}, wasm SHA-256 ${WASM_SHA256.slice(0, 12)}.`;
  return simd;
}
