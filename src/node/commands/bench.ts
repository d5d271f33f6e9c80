// `prunelab bench`: the kernel benchmarks of bench/ (the same as `npm run bench`). Each suite runs
// in its own process and prints ours against its baselines measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../usage.js';
import type { Command } from './index.js';

export const bench: Command = {
  summary: 'run the kernel benchmarks (gauss, gemm, hermite, step, trial) with their baselines',
  async run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(
        'usage: prunelab bench [gauss|gemm|hermite|step|trial ...] [--json FILE] [--repeat N] [--quick]\n',
      );
      return 0;
    }
    // dist/src/node/commands -> dist/bench/run.js
    const runner = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'run.js');
    if (!existsSync(runner))
      throw new UsageError(`the benchmarks are not built (${runner} is missing); run npm run build`);
    const r = spawnSync(process.execPath, [runner, ...argv], { stdio: 'inherit' });
    return r.status ?? 1;
  },
};
