#!/usr/bin/env node
// The browser build, run by scripts/build.mjs after the wasm module is embedded: esbuild bundles
// straight from src/ (TypeScript in, no tsc on this path) into dist/web/:
//   prunelab.browser.js  the ESM library (the package's `browser` export), wasm embedded, no fetch
//   prunelab.worker.js   the Web Worker entry of the pool (an ES module worker)
//   demo.js              the demo page's script: a classic script with the library inside, so the
//                        page also opens from file://; it sets globalThis.prunelab
//   index.html, demo.css the demo page
// All four bundles build in one esbuild context, in parallel; this takes well under a second.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'browser');
const out = join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });
const t0 = Date.now();

const common = {
  bundle: true,
  platform: 'browser',
  target: ['es2022', 'chrome100', 'firefox114', 'safari16.4'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  charset: 'utf8',
};

await Promise.all([
  build({
    ...common,
    entryPoints: { 'prunelab.browser': join(src, 'index.ts') },
    format: 'esm',
    outdir: out,
    sourcemap: 'linked',
  }),
  build({
    ...common,
    entryPoints: { 'prunelab.worker': join(src, 'worker.ts') },
    format: 'esm',
    outdir: out,
    sourcemap: 'linked',
  }),
  // import.meta is empty in a classic script; the demo always passes the worker's URL explicitly.
  build({
    ...common,
    entryPoints: { demo: join(src, 'demo.ts') },
    format: 'iife',
    outdir: out,
    logOverride: { 'empty-import-meta': 'silent' },
  }),
]);
for (const f of ['index.html', 'demo.css']) copyFileSync(join(src, f), join(out, f));

const kb = (f) => `${(statSync(join(out, f)).size / 1024).toFixed(0)} KiB`;
process.stderr.write(
  `browser: ${relative(root, out)}/ prunelab.browser.js ${kb('prunelab.browser.js')}, prunelab.worker.js ${kb('prunelab.worker.js')}, demo.js ${kb('demo.js')} in ${Date.now() - t0} ms\n`,
);
