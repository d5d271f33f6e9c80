#!/usr/bin/env node
// Runs every uvu suite in dist/test (one process per file, so a crash names its file).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const files = walk(join(root, 'dist', 'test')).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
let failed = [];
if (files.length === 0) { console.log(`no test suites found under dist/test${only.length ? ` matching ${only.join(', ')}` : ''}; did the build run?`); process.exit(1); }
const t0 = Date.now();
for (const f of files) {
  const name = relative(join(root, 'dist'), f);
  const t = Date.now();
  const r = spawnSync(process.execPath, [f], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', cwd: root });
  const out = r.stdout ?? '';
  const ok = r.status === 0;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
  if (!ok) { process.stdout.write(out); failed.push(name); }
  else if (process.env.VERBOSE) process.stdout.write(out);
}
console.log(`\n${files.length - failed.length}/${files.length} suites passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (failed.length) { console.log(`failed: ${failed.join(', ')}`); process.exit(1); }
