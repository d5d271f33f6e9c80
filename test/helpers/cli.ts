// What the CLI tests share: reading a results file as lines or as canonical records (timings
// dropped, sorted, so runs compare record for record), and running the fake-trial sweep child
// (test/helpers/sweep-child.ts) in a working directory.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SWEEP_CHILD = fileURLToPath(new URL('./sweep-child.js', import.meta.url));

/** The flags of a small adaptive sweep: one chain, d = 64 and 128, at most `maxTrials` trials per d. */
export const smallAdaptiveFlags = (maxTrials: number): string[] => [
  '--preset',
  'separation',
  '--d',
  '64,128',
  '--methods',
  'hermite-thr',
  '--max-trials',
  String(maxTrials),
];

export const lines = (f: string): string[] =>
  existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];

/** The records of a results file without their timings, sorted: equal for equal runs. */
export const canon = (f: string): string[] =>
  lines(f)
    .map((l) => {
      const r = JSON.parse(l);
      delete r.timings;
      return JSON.stringify(r);
    })
    .sort();

/** Runs `prunelab sweep` over fake trials of `ms` milliseconds each, in `cwd`. */
export function sweepChild(cwd: string, args: string[], ms = 1) {
  const r = spawnSync(process.execPath, [SWEEP_CHILD, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, PRUNELAB_FAKE_MS: String(ms) },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
