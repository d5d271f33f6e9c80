// `prunelab sweep` with the fake trial on real worker threads, as a child process for the CLI
// tests (kill -9, Ctrl-C, resume): node dist/test/helpers/sweep-child.js [sweep flags]
// PRUNELAB_FAKE_MS sets how long each fake trial sleeps. Records of another build are replayed
// with the same fake trial, in this thread.
import { runReporting } from '../../src/node/cli.js';
import { runSweepCommand } from '../../src/node/commands/sweep.js';
import { createNodeTrialRunner } from '../../src/node/pool-node.js';
import { trialInputOf } from '../../src/trial/record.js';
import { fakeId, fakeTrial } from './fake-trial.js';

const ms = Number(process.env.PRUNELAB_FAKE_MS ?? '5');
const module = new URL('./fake-trial.js', import.meta.url).href;
process.exitCode = await runReporting('sweep', () =>
  runSweepCommand(process.argv.slice(2), {
    createRunner: ({ workers }) =>
      createNodeTrialRunner({ workers, task: 'slowFake', module, options: { ms }, id: fakeId }),
    build: { version: 'fake', wasmSha: 'fake' },
    replay: (rc) => fakeTrial(trialInputOf(rc)),
  }),
);
