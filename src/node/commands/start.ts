// `npm start` = `prunelab start`: the default experiment of DESIGN §2.3. The separation preset
// (k* = 2, alpha = 1/4, hermite-thr vs the dense net) with the adaptive design on every core, its summary
// (n* table, slopes with intervals, dense/pruned ratios, a verdict), the JSONL and the report.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { VERSION } from '../../core/version.js';
import { WASM_SHA256 } from '../../wasm/index.js';
import { readResults } from '../jsonl.js';
import { formatDuration } from '../progress.js';
import { report } from './report.js';
import { runSweepCommand } from './sweep.js';
import { describeRefusal, inProcessReplay, judgeBuilds, moveBuildsNote } from '../builds-note.js';
import type { Command } from './index.js';

const HELP = `usage: prunelab start [--fresh] [--workers N]

Runs the default experiment: the separation preset with the adaptive design on all cores, then writes
results/separation.jsonl and results/separation.html. An earlier results file is resumed when its
records are what this build makes: made by this build, or by another one whose trials this build
replays byte for byte (3 of them, the same rule as sweep --resume). Any other is kept as
results/separation.previous.jsonl. --fresh always reruns.`;

export const start: Command = {
  summary: 'run the default experiment (npm start): separation preset, adaptive design, report',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: { fresh: { type: 'boolean' }, workers: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const dir = 'results',
      jsonl = `${dir}/separation.jsonl`,
      html = `${dir}/separation.html`;
    mkdirSync(dir, { recursive: true });
    const sweepArgs = [
      '--preset',
      'separation',
      '--out',
      jsonl,
      '--workers',
      values.workers ?? String(availableParallelism()),
    ];
    // decided under the sweep's lock: moving the file aside while another start writes it would
    // send that writer's records into the moved file
    const resumeOrMoveAside = async (): Promise<boolean> => {
      if (!existsSync(jsonl)) return false;
      const { records } = readResults(jsonl, { repair: true });
      if (records.length > 0 && !values.fresh) {
        const build = { version: VERSION, wasmSha: WASM_SHA256 };
        const v = await judgeBuilds(records, build, inProcessReplay(), (line) =>
          process.stderr.write(`prunelab start: ${jsonl}: ${line}\n`),
        );
        if (v.ok) {
          const others = v.checks.reduce((k, c) => k + c.records, 0);
          process.stderr.write(
            `prunelab start: resuming ${jsonl} (${records.length} records` +
              `${others ? `, ${others} of them from another build that this one reproduces` : ' from this build'}; --fresh reruns everything)\n`,
          );
          return true;
        }
        process.stderr.write(`prunelab start: not resuming ${jsonl}: ${describeRefusal(v, build)}\n`);
      }
      renameSync(jsonl, `${dir}/separation.previous.jsonl`);
      moveBuildsNote(jsonl, `${dir}/separation.previous.jsonl`);
      process.stderr.write(`prunelab start: kept the earlier results as ${dir}/separation.previous.jsonl\n`);
      return false;
    };
    const t0 = Date.now();
    const code = await runSweepCommand(sweepArgs, undefined, resumeOrMoveAside);
    if (code !== 0) return code;
    process.stdout.write('\n');
    const rc = await report.run([
      jsonl,
      '--out',
      html,
      '--title',
      'prunelab: pruned vs dense sample complexity (separation preset)',
    ]);
    process.stdout.write(`results: ${jsonl}\nreport:  ${html}\ntook ${formatDuration(Date.now() - t0)}\n`);
    return rc;
  },
};
