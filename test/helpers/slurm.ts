// What the Slurm tests share: the test cluster scripts/slurm-up.sh starts (found by its
// slurm.conf, never a developer's own cluster), the small adaptive sweep both runners run, and
// running `prunelab` as a child process. Records compare with canon (./cli.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { smallAdaptiveFlags } from './cli.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'prunelab.js');

/** A small adaptive sweep: one chain, d = 64 and 128, at most 8 trials per d (16 in all). */
export const SMALL_ADAPTIVE = ['sweep', ...smallAdaptiveFlags(8)];

export function prunelab(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The environment that reaches the test cluster (SLURM_CONF set), or the reason there is none.
 * Only a slurm.conf of ClusterName=prunelab is used, so the tests never submit to a real cluster.
 */
export function testCluster(): { env: NodeJS.ProcessEnv } | { reason: string } {
  const dir = process.env.PRUNELAB_SLURM_DIR ?? '/tmp/prunelab-slurm';
  const conf = join(dir, 'slurm.conf');
  const start = 'bash scripts/slurm-up.sh --install starts one (root, Debian; .ci/run does it)';
  if (spawnSync('sinfo', ['--version']).error) return { reason: `Slurm is not installed; ${start}` };
  if (!existsSync(conf) || !/^ClusterName=prunelab$/m.test(readFileSync(conf, 'utf8')))
    return { reason: `no test cluster (${conf} is missing); ${start}` };
  // a controller that is not running makes sinfo retry for seconds: look at its pid first
  if (!alive(join(dir, 'slurmctld.pid'))) return { reason: `the test cluster in ${dir} is not running; ${start}` };
  const env = { ...process.env, SLURM_CONF: conf };
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { env, encoding: 'utf8', timeout: 10_000 });
  const state = (r.stdout ?? '').trim();
  if (r.status !== 0 || !/^(idle|mixed|allocated)/.test(state))
    return {
      reason: `the test cluster in ${dir} is not up (sinfo: ${state || r.stderr.trim() || r.status}); ${start}`,
    };
  return { env };
}

/**
 * The test cluster, or: SKIP with the reason (scripts/test.mjs lists it), or under CI=true a
 * failure, since CI starts the cluster before npm test and a silent skip would hide a broken one.
 */
export function requireTestCluster(suite: string): NodeJS.ProcessEnv {
  const found = testCluster();
  if ('env' in found) return found.env;
  if (process.env.CI === 'true') {
    process.stderr.write(`${suite}: CI=true and ${found.reason}\n`);
    process.exit(1);
  }
  process.stderr.write(`\n!!! ${suite} SKIPPED: ${found.reason}\n\n`);
  process.stdout.write(`prunelab:skip ${found.reason}\n`);
  process.exit(0);
}

function alive(pidFile: string): boolean {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, and another user's
  }
}
