// The one benchmark harness: every suite measures our kernel and its baseline(s) in the same
// process with tinybench, and reports entries that carry the ratio. `bench/run.ts` prints them as
// a table and, with --json FILE, writes { env, results } so later runs can be compared.
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { WASM_SHA256 } from '../src/wasm/index.js';

/**
 * One reported number. `ratio` is always "higher is better": value / baseline.value for rates, and
 * baseline.value / value for times (entries in ms, whose baseline is a time budget).
 */
export interface BenchEntry {
  name: string;
  unit: string;
  value: number;
  baseline: { name: string; value: number } | null;
  ratio: number | null;
  /** The DESIGN §5 goal for `ratio` (or for `value` when there is no baseline), when there is one. */
  goal?: number;
  note?: string;
}

export interface BenchEnv {
  node: string;
  cpu: string;
  wasmSha: string;
  date: string;
}
export interface BenchReport {
  env: BenchEnv;
  results: BenchEntry[];
}

/** A suite: a named group of measurements; bench/run.ts runs every `bench/*.bench.ts` suite. */
export interface Suite {
  name: string;
  run(ctx: BenchContext): Promise<BenchEntry[]>;
}

/** Latency of one task: the median (reported) and its spread, in milliseconds. */
export interface Measurement {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number;
}

export interface MeasureOptions {
  /** Time budget in ms (default 1000, a quarter of it with --quick). */
  time?: number;
  /** Minimum number of timed calls (default 10). */
  iterations?: number;
  /** Untimed calls first, so V8 has tiered the wasm up to TurboFan (default 3). */
  warmup?: number;
}

export class BenchContext {
  constructor(
    readonly quick = false,
    readonly log: (line: string) => void = () => {},
  ) {}

  /** Runs `fn` under tinybench and returns the median latency (noisy machine: medians, not means). */
  async measure(name: string, fn: () => void, opts: MeasureOptions = {}): Promise<Measurement> {
    const time = (opts.time ?? 1000) * (this.quick ? 0.25 : 1);
    const warmup = opts.warmup ?? 3;
    for (let i = 0; i < warmup; i++) fn();
    const bench = new Bench({ time, iterations: opts.iterations ?? 10, warmup: false });
    bench.add(name, fn);
    await bench.run();
    const r = bench.tasks[0]!.result;
    if (r.state !== 'completed') throw new Error(`bench ${name}: ${r.state === 'errored' ? r.error.message : r.state}`);
    const m = { medianMs: r.latency.p50, minMs: r.latency.min, maxMs: r.latency.max, samples: r.latency.samplesCount };
    this.log(
      `  ${name}: median ${fmt(m.medianMs)} ms (min ${fmt(m.minMs)}, max ${fmt(m.maxMs)}, ${m.samples} samples)`,
    );
    return m;
  }

  /**
   * Measures several tasks in alternating rounds (a tinybench run of every task per round, `time`
   * ms each) and returns each task's median over all its samples. On a shared machine the load
   * comes and goes over seconds: alternating puts ours and its baseline under the same load, so
   * their ratio is far steadier than two back-to-back measurements.
   */
  /** One measurement per task, in the tasks' order (a tuple of the same length). */
  async measureInterleaved<const T extends readonly { name: string; fn: () => void; warmup?: number }[]>(
    tasks: T,
    opts: { rounds?: number; time?: number; iterations?: number } = {},
  ): Promise<{ [K in keyof T]: Measurement }> {
    const rounds = Math.max(1, Math.round((opts.rounds ?? 5) * (this.quick ? 0.4 : 1)));
    for (const t of tasks) for (let i = 0; i < (t.warmup ?? 3); i++) t.fn();
    const samples: number[][] = tasks.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < tasks.length; i++) {
        const bench = new Bench({
          time: opts.time ?? 200,
          iterations: opts.iterations ?? 3,
          warmup: false,
          retainSamples: true,
        });
        bench.add(tasks[i]!.name, tasks[i]!.fn);
        await bench.run();
        const res = bench.tasks[0]!.result;
        if (res.state !== 'completed')
          throw new Error(`bench ${tasks[i]!.name}: ${res.state === 'errored' ? res.error.message : res.state}`);
        samples[i]!.push(...(res.latency.samples ?? [res.latency.p50]));
      }
    }
    // map keeps the length and order, which is what the tuple type says; TS cannot see it through map
    return tasks.map((t, i): Measurement => {
      const s = samples[i]!.sort((a, b) => a - b);
      const m = { medianMs: s[s.length >> 1]!, minMs: s[0]!, maxMs: s[s.length - 1]!, samples: s.length };
      this.log(
        `  ${t.name}: median ${fmt(m.medianMs)} ms (min ${fmt(m.minMs)}, max ${fmt(m.maxMs)}, ${m.samples} samples in ${rounds} rounds)`,
      );
      return m;
    }) as { [K in keyof T]: Measurement };
  }
}

/** An entry comparing two rates; the ratio is ours over the baseline's. */
export function compare(
  name: string,
  unit: string,
  value: number,
  baseline: { name: string; value: number } | null,
  extra: { goal?: number; note?: string } = {},
): BenchEntry {
  return { name, unit, value, baseline, ratio: baseline ? value / baseline.value : null, ...extra };
}

/** A wall time against a time budget: the ratio is budget / time, so ≥ 1 means within budget. */
export function budget(name: string, ms: number, budgetMs: number, note?: string): BenchEntry {
  return {
    name,
    unit: 'ms',
    value: ms,
    baseline: { name: 'budget (issue 6)', value: budgetMs },
    ratio: budgetMs / ms,
    goal: 1,
    ...(note ? { note } : {}),
  };
}

export function environment(): BenchEnv {
  const c = cpus();
  return {
    node: process.version,
    cpu: `${c[0]?.model ?? 'unknown'} ×${c.length}`,
    wasmSha: WASM_SHA256,
    date: new Date().toISOString(),
  };
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

/** A plain-text table: entry, value, baseline, ratio, goal. */
export function table(results: BenchEntry[]): string {
  const rows = [['entry', 'value', 'baseline', 'baseline value', 'ratio', 'goal']];
  for (const r of results) {
    const met = r.goal === undefined ? '' : (r.ratio ?? r.value) >= r.goal ? ' ok' : ' below';
    rows.push([
      r.name,
      `${fmt(r.value)} ${r.unit}`,
      r.baseline?.name ?? '',
      r.baseline ? `${fmt(r.baseline.value)} ${r.unit}` : '',
      r.ratio === null ? '' : `${fmt(r.ratio)}×`,
      r.goal === undefined ? '' : `≥ ${r.goal}×${met}`,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ');
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const notes = results.filter((r) => r.note).map((r) => `  ${r.name}: ${r.note}`);
  return out.join('\n') + (notes.length ? `\nnotes:\n${notes.join('\n')}` : '');
}
