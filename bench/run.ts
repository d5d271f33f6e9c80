// Runs every bench/*.bench.ts suite (compiled next to this file), prints one table and, with
// --json FILE, writes the report.
// Usage: node dist/bench/run.js [suite-name ...] [--json FILE] [--quick] [--repeat N]
// --repeat N runs all the suites N times over and reports each entry's median value, baseline and
// ratio (the ratio's median over the runs, each run having measured ours and its baseline side by
// side), with the range of the ratio in the note: on a shared machine one run can land in a busy
// minute, and N = 3 is what docs/performance.md reports.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchContext, environment, fmt, table, type BenchEntry, type BenchReport, type Suite } from './harness.js';

const { values, positionals } = parseArgs({
  options: {
    json: { type: 'string' },
    quick: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    child: { type: 'string' }, // internal: run one suite in this process and print its entries as JSON
  },
  allowPositionals: true,
});

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .sort();
const suites: Suite[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { suite?: Suite };
  if (!mod.suite) throw new Error(`${f} does not export a \`suite\``);
  if (positionals.length === 0 || positionals.includes(mod.suite.name)) suites.push(mod.suite);
}
if (suites.length === 0) {
  process.stderr.write(
    `no suite matches ${positionals.join(', ')}; suites: ${files.map((f) => f.replace('.bench.js', '')).join(', ')}\n`,
  );
  process.exit(2);
}

const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) {
  process.stderr.write(`--repeat must be an integer in [1, 20], got ${values.repeat}\n`);
  process.exit(2);
}
const ctx = new BenchContext(values.quick, values.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`));
if (values.child !== undefined) {
  const s = suites.find((x) => x.name === values.child)!;
  process.stdout.write(`${JSON.stringify(await s.run(ctx))}\n`);
  process.exit(0);
}

// Each suite runs in its own process: a suite that loads tfjs or grows a wasm memory to 1 GiB
// must not slow the next one (the dense trial measured ~12% slower after the gemm suite).
function runSuite(name: string): BenchEntry[] {
  const args = [
    fileURLToPath(import.meta.url),
    '--child',
    name,
    ...(values.quick ? ['--quick'] : []),
    ...(values.quiet ? ['--quiet'] : []),
  ];
  const r = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench suite ${name} failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as BenchEntry[];
}

const runs: BenchEntry[][] = [];
for (let r = 0; r < repeat; r++) {
  const run: BenchEntry[] = [];
  for (const s of suites) {
    if (!values.quiet) process.stderr.write(`suite ${s.name}${repeat > 1 ? ` (run ${r + 1}/${repeat})` : ''}\n`);
    run.push(...runSuite(s.name));
  }
  runs.push(run);
}
const results: BenchEntry[] =
  repeat === 1 ? runs[0]! : runs[0]!.map((_e, i) => medianEntry(runs.map((run) => run[i]!)));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
function medianEntry(es: BenchEntry[]): BenchEntry {
  const e = es[0]!;
  const ratios = es.map((x) => x.ratio).filter((r): r is number => r !== null);
  const spread = ratios.length
    ? `ratio ${fmt(Math.min(...ratios))}–${fmt(Math.max(...ratios))}`
    : `value ${fmt(Math.min(...es.map((x) => x.value)))}–${fmt(Math.max(...es.map((x) => x.value)))}`;
  return {
    ...e,
    value: median(es.map((x) => x.value)),
    baseline: e.baseline ? { name: e.baseline.name, value: median(es.map((x) => x.baseline!.value)) } : null,
    ratio: ratios.length ? median(ratios) : null,
    note: `median of ${es.length} runs (${spread})${e.note ? `; ${e.note}` : ''}`,
  };
}
const report: BenchReport = { env: environment(), results };
console.log(`${report.env.node}, ${report.env.cpu}, wasm ${report.env.wasmSha.slice(0, 12)}\n`);
console.log(table(results));
if (values.json) {
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`wrote ${values.json}\n`);
}
