#!/usr/bin/env node
// Soak: 1000 trials in one process; resident memory must stay flat (within 10%) after warm-up.
// node scripts/soak.mjs [trials=1000] [--engine-default] (after a build). Trials cycle through
// methods and seeds (d = 1024, n = 2048), so every stage, arena reset and copy-out path runs many
// times. Exits 1 when RSS, the live JS heap or the wasm memory leaves ±10% of its warm-up value.
//
// Why the child's V8 flags: with its defaults V8 doubles the young generation (8 -> 16 -> 32 MiB)
// at its own pace (32 MiB by about trial 500) and lets dead objects pile up in the old generation
// until a major GC, so RSS rises by half with nothing retained (docs/performance.md has the
// figures). A leak check must see what the process keeps, so the child starts the young
// generation at the size V8 grows it to anyway (16 MiB semi-spaces, its 64-bit maximum) and
// samples after a full GC. --engine-default runs with V8's defaults and no GC, for comparison.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const engineDefault = args.includes('--engine-default');
const totalArg = args.find((a) => !a.startsWith('--'));
const total = Number(totalArg ?? 1000);
if (!Number.isInteger(total) || total < 20) {
  console.error(`soak: trials must be an integer ≥ 20, got ${totalArg}`);
  process.exit(2);
}

const ENGINE_FLAGS = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'];
if (!engineDefault && typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, [...ENGINE_FLAGS, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

const { createLab } = await import('../dist/src/trial/lab.js');
const warm = Math.min(100, Math.floor(total / 10));
const methods = ['hermite-thr', 'hermite', 'oracle', 'random', 'none', 'gradmag'];
const lab = await createLab();
const collect = engineDefault ? () => {} : () => globalThis.gc();
const sample = () => {
  collect();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, wasm: lab.wasm.exports.memory.buffer.byteLength };
};
const keys = ['rss', 'heap', 'wasm'];
let base = null;
const lo = {},
  hi = {};
const t0 = performance.now();
for (let i = 0; i < total; i++) {
  const method = methods[i % methods.length];
  lab.trial({ d: 1024, alpha: 0.25, link: 'he2', method, n: method === 'none' ? 512 : 2048, seed: 1 + (i % 97) });
  if (i + 1 === warm) base = sample();
  else if (i + 1 > warm && (i + 1) % 10 === 0) {
    const s = sample();
    for (const k of keys) {
      lo[k] = Math.min(lo[k] ?? Infinity, s[k]);
      hi[k] = Math.max(hi[k] ?? 0, s[k]);
    }
  }
}
const mb = (b) => (b / 2 ** 20).toFixed(1);
const dev = (k) => Math.max(hi[k] / base[k] - 1, 1 - lo[k] / base[k]);
const label = { rss: 'RSS', heap: 'live JS heap', wasm: 'wasm memory' };
const mode = engineDefault ? 'V8 defaults, no GC before samples' : `${ENGINE_FLAGS.join(' ')}, GC before samples`;
console.log(`soak: ${total} trials in ${((performance.now() - t0) / 1000).toFixed(1)} s (${mode})`);
for (const k of keys)
  console.log(
    `  ${label[k].padEnd(12)} after ${warm} (warm-up) ${mb(base[k])} MiB, after that ${mb(lo[k])}..${mb(hi[k])} MiB ` +
      `(max deviation ${(dev(k) * 100).toFixed(1)}%)`,
  );
process.exitCode = keys.every((k) => dev(k) <= 0.1) ? 0 : 1;
