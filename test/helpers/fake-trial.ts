// A deterministic stand-in for lab.trial, for tests only: success is a pure function of the
// config (a threshold in n that grows with d, times a per-trial "luck" factor from a hash, so
// seeds disagree near the threshold and outcomes are not monotone in n). Like lab.trial, the
// record depends on the config only as recorded (its id is the hash of the recorded config), so a
// record's config runs the same fake trial again (trialInputOf). Also the task module the
// worker-pool tests load into real worker threads (its `tasks` export).
import { ConfigError } from '../../src/core/errors.js';
import type { TrialRequest } from '../../src/experiment/design-search.js';
import type { TrialRunner } from '../../src/experiment/sweep.js';
import type { TaskRegistry } from '../../src/experiment/pool/protocol.js';
import type { RecordedConfig, TrialRecord } from '../../src/core/types.js';
import { prepareTrial, type PreparedTrial } from '../../src/trial/prepare.js';

/** 32-bit FNV-1a. */
export function fnv(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The n a trial needs (before luck): dense ~ 2d, pruned ~ 4 sqrt(d) log2 d, oracle 100, random and gradmag never. */
export function fakeThreshold(c: RecordedConfig): number {
  const d = c.d;
  const k = c.link === 'he3' ? 2 : 1;
  switch (c.method) {
    case 'none':
      return 2 * d * k;
    case 'hermite':
    case 'hermite-thr':
      return 4 * Math.sqrt(d) * Math.log2(d) * k * (c.alpha !== null && c.alpha >= 0.5 ? Math.sqrt(d) / 4 : 1);
    case 'oracle':
      return 100 * k;
    default:
      return Infinity;
  }
}

/** A factor in [0.75, 1.35) from the hash of (method, d, n, seed, alpha, link). */
export function fakeLuck(c: RecordedConfig): number {
  return 0.75 + 0.6 * (fnv(`${c.method}|${c.d}|${c.n}|${c.seed}|${c.alpha}|${c.link}`) / 2 ** 32);
}

/** A fake record for a trial: the real prepared id and recorded config, so sweeps, summaries and resume read it as real. */
export function fakeTrial(input: TrialRequest | PreparedTrial): TrialRecord {
  const t0 = performance.now();
  const trial = prepareTrial(input);
  const c = trial.recorded;
  const need = fakeThreshold(c) * fakeLuck(c);
  const success = c.n >= need;
  const relMse = Math.min(1, need / c.n / 5);
  return {
    id: trial.id,
    version: 'fake',
    wasmSha: 'fake',
    config: trial.recorded,
    metrics: {
      relMse,
      alignMax: 1 - relMse,
      alignMedian: 1 - relMse,
      supportRecall: 1,
      supportPrecision: 1,
      maskSize: 4,
    },
    success,
    alignSuccess: success,
    diverged: null,
    timings: { maskMs: performance.now() - t0, firstLayerMs: Math.random(), readoutMs: 0 },
  };
}

/** A runner that calls fakeTrial after a delay of 0..maxDelay ms (varied by `jitterSeed`), recording every call. */
export function fakeRunner(
  opts: { maxDelay?: number; jitterSeed?: number } = {},
): TrialRunner & { calls: PreparedTrial[] } {
  const calls: PreparedTrial[] = [];
  let state = opts.jitterSeed ?? 1;
  return {
    calls,
    run: async (c, o) => {
      if (o?.signal?.aborted) {
        const e = new Error('aborted');
        e.name = 'AbortError';
        throw e;
      }
      calls.push(c);
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const ms = opts.maxDelay ? (state >>> 8) % (opts.maxDelay + 1) : 0;
      await new Promise((r) => setTimeout(r, ms));
      return fakeTrial(c);
    },
  };
}

/** Sleeps this thread (a worker) without yielding. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Deterministic work whose duration varies with the input, so completion order is shuffled. */
export function work(x: number): { x: number; h: number } {
  sleepSync((x * 37) % 11);
  let h = x >>> 0;
  for (let i = 0; i < 1000 + (x % 7) * 1000; i++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return { x, h };
}

export const tasks: TaskRegistry = {
  fake: () => (c: TrialRequest) => fakeTrial(c),
  slowFake: (options) => {
    const ms = (options as { ms?: number } | undefined)?.ms ?? 10;
    return (c: TrialRequest) => {
      sleepSync(ms);
      return fakeTrial(c);
    };
  },
  work: () => (x: number, ctx) => {
    ctx.progress({ started: x });
    return work(x);
  },
  throws: () => (x: string) => {
    if (x === 'config') throw new ConfigError('alpha', 1.5, 'a number in (0, 1]');
    if (x === 'plain') throw new TypeError('plain failure');
    return `ok:${x}`;
  },
  exits: () => (x: string) => {
    if (x === 'die') process.exit(3);
    return `ok:${x}`;
  },
  initFails: () => {
    throw new Error('cannot create the lab here');
  },
};
