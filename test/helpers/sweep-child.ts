// `prunelab sweep` with the fake trial on real worker threads, as a child process for the CLI
// tests (kill -9, Ctrl-C, resume): node dist/test/helpers/sweep-child.js [sweep flags]
// PRUNELAB_FAKE_MS sets how long each fake trial sleeps; PRUNELAB_TEST_DISK_BYTES makes its files'
// disk full at that size. Records of another build are replayed
// with the same fake trial, in this thread.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { runReporting } from '../../src/node/cli.js';
import { runSweepCommand } from '../../src/node/commands/sweep.js';
import { createNodeTrialRunner } from '../../src/node/pool-node.js';
import { trialInputOf } from '../../src/trial/record.js';
import { fakeTrial } from './fake-trial.js';

const ms = Number(process.env.PRUNELAB_FAKE_MS ?? '5');
const diskBytes = process.env.PRUNELAB_TEST_DISK_BYTES;
if (diskBytes !== undefined) failWritesBeyond(Number(diskBytes));

/**
 * Where no small file system can be mounted: every regular file this process writes with
 * fs.writeSync behaves as if its disk held `limit` bytes, the way a full disk answers (the write
 * that crosses the limit is cut short, the next one fails with ENOSPC).
 */
function failWritesBeyond(limit: number): void {
  const real = fs.writeSync;
  const patched = (fd: number, buffer: NodeJS.ArrayBufferView, offset?: number, length?: number) => {
    const st = fs.fstatSync(fd);
    const off = offset ?? 0,
      len = length ?? buffer.byteLength - off;
    if (!st.isFile()) return real(fd, buffer, off, len);
    const room = limit - st.size;
    if (room <= 0)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'write',
      });
    return real(fd, buffer, off, Math.min(len, room));
  };
  fs.writeSync = patched as typeof fs.writeSync;
  syncBuiltinESMExports();
}
const module = new URL('./fake-trial.js', import.meta.url).href;
process.exitCode = await runReporting('sweep', () =>
  runSweepCommand(process.argv.slice(2), {
    createRunner: ({ workers }) => createNodeTrialRunner({ workers, task: 'slowFake', module, options: { ms } }),
    build: { version: 'fake', wasmSha: 'fake' },
    replay: (rc) => fakeTrial(trialInputOf(rc)),
  }),
);
