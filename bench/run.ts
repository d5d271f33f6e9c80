// Runs every bench/*.bench.ts suite (compiled next to this file), prints one table and, with
// --json FILE, writes the report. Usage: node dist/bench/run.js [suite-name ...] [--json FILE] [--quick]
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchContext, environment, table, type BenchEntry, type BenchReport, type Suite } from './harness.js';

const { values, positionals } = parseArgs({
  options: { json: { type: 'string' }, quick: { type: 'boolean', default: false }, quiet: { type: 'boolean', default: false } },
  allowPositionals: true,
});

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.bench.js')).sort();
const suites: Suite[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { suite?: Suite };
  if (!mod.suite) throw new Error(`${f} does not export a \`suite\``);
  if (positionals.length === 0 || positionals.includes(mod.suite.name)) suites.push(mod.suite);
}
if (suites.length === 0) {
  process.stderr.write(`no suite matches ${positionals.join(', ')}; suites: ${files.map((f) => f.replace('.bench.js', '')).join(', ')}\n`);
  process.exit(2);
}

const ctx = new BenchContext(values.quick, values.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`));
const results: BenchEntry[] = [];
for (const s of suites) {
  if (!values.quiet) process.stderr.write(`suite ${s.name}\n`);
  results.push(...(await s.run(ctx)));
}
const report: BenchReport = { env: environment(), results };
console.log(`${report.env.node}, ${report.env.cpu}, wasm ${report.env.wasmSha.slice(0, 12)}\n`);
console.log(table(results));
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`wrote ${values.json}\n`);
}
