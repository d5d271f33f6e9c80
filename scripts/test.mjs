#!/usr/bin/env node
// Runs every uvu suite in dist/test (one process per file, so a crash names its file).
// A suite that cannot run here (the Chromium suite without /usr/bin/chromium) prints a line
// `prunelab:skip <reason>` and exits 0: it is listed as SKIP, loudly, and counted as skipped.
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
const failed = [];
if (files.length === 0) {
  console.log(
    `no test suites found under dist/test${only.length ? ` matching ${only.join(', ')}` : ''}; did the build run?`,
  );
  process.exit(1);
}
const skipped = [];
const t0 = Date.now();
for (const f of files) {
  const name = relative(join(root, 'dist'), f);
  const t = Date.now();
  const r = spawnSync(process.execPath, [f], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', cwd: root });
  const out = r.stdout ?? '';
  const ok = r.status === 0;
  const skip = ok ? /^prunelab:skip (.*)$/m.exec(out) : null;
  const secs = `(${((Date.now() - t) / 1000).toFixed(1)} s)`;
  if (skip) {
    process.stdout.write(`SKIP ${name} ${secs}: ${skip[1]}\n`);
    skipped.push(`${name}: ${skip[1]}`);
    continue;
  }
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name} ${secs}\n`);
  if (!ok) {
    process.stdout.write(out);
    failed.push(name);
  } else if (process.env.VERBOSE) process.stdout.write(out);
}
const passed = files.length - failed.length - skipped.length;
console.log(`\n${passed}/${files.length} suites passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (skipped.length)
  console.log(
    `\n!!! ${skipped.length} suite(s) SKIPPED, not passed:\n${skipped.map((s) => `!!!   ${s}`).join('\n')}\n`,
  );
if (failed.length) console.log(`failed: ${failed.join(', ')}`);
console.log(`suites: ${passed} passed, ${failed.length} failed${skipped.length ? `, ${skipped.length} skipped` : ''}`);
if (failed.length) process.exit(1);
