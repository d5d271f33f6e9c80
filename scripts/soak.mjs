#!/usr/bin/env node
// Soak: 1000 trials in one process; resident memory must stay flat (within 10%) after warm-up.
// node scripts/soak.mjs [trials=1000] (after a build). Prints RSS at warm-up, its range after, and
// exits 1 when the range leaves ±10% of the warm-up value. Trials cycle through methods and
// seeds (d = 1024, n = 2048), so every stage, arena reset and copy-out path runs many times.
import { createLab } from '../dist/src/trial/lab.js';

const total = Number(process.argv[2] ?? 1000);
const warm = Math.min(100, Math.floor(total / 10));
const methods = ['hermite-thr', 'hermite', 'oracle', 'random', 'none', 'gradmag'];
const lab = await createLab();
const rss = () => process.memoryUsage().rss;
let base = 0,
  lo = Infinity,
  hi = 0;
const t0 = performance.now();
for (let i = 0; i < total; i++) {
  const method = methods[i % methods.length];
  lab.trial({ d: 1024, alpha: 0.25, link: 'he2', method, n: method === 'none' ? 512 : 2048, seed: 1 + (i % 97) });
  if (i + 1 === warm) {
    globalThis.gc?.();
    base = rss();
  } else if (i + 1 > warm && (i + 1) % 10 === 0) {
    const r = rss();
    lo = Math.min(lo, r);
    hi = Math.max(hi, r);
  }
}
const mb = (b) => (b / 2 ** 20).toFixed(1);
const dev = Math.max(hi / base - 1, 1 - lo / base);
console.log(
  `soak: ${total} trials in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS after ${warm} (warm-up) ${mb(base)} MiB, ` +
    `after that ${mb(lo)}..${mb(hi)} MiB (max deviation ${(dev * 100).toFixed(1)}%)`,
);
process.exitCode = dev <= 0.1 ? 0 : 1;
