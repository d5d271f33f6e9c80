#!/usr/bin/env node
// The CLI entry. A fresh clone after `npm ci` has no dist/ yet: build once, then run.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'src', 'node', 'cli.js');
if (!existsSync(cli)) {
  // the CLI needs the wasm and dist/ only; the demo also serves the browser bundles (the full build)
  const what = process.argv[2] === 'demo' ? [] : ['--start'];
  process.stderr.write('prunelab: first run, building (about 5 s)...\n');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), ...what], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const { main } = await import(new URL(`file://${cli}`).href);
process.exitCode = await main(process.argv.slice(2));
