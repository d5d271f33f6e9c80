// `prunelab paper` with the fake trial (test/helpers/fake-trial.ts) on real worker threads, as a
// child process for the CLI tests: node dist/test/helpers/paper-child.js [paper flags]
import { runReporting } from '../../src/node/cli.js';
import { runPaperCommand } from '../../src/node/commands/paper.js';
import { createNodeTrialRunner } from '../../src/node/pool-node.js';

const module = new URL('./fake-trial.js', import.meta.url).href;
process.exitCode = await runReporting('paper', () =>
  runPaperCommand(process.argv.slice(2), {
    createRunner: ({ workers }) => createNodeTrialRunner({ workers, task: 'slowFake', module, options: { ms: 0 } }),
    build: { version: 'fake', wasmSha: 'fake' },
  }),
);
