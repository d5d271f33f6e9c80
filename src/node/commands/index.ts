// The command registry: one file per command.
import { bench } from './bench.js';
import { demo } from './demo.js';
import { fit } from './fit.js';
import { merge } from './merge.js';
import { report } from './report.js';
import { sweep } from './sweep.js';
import { start } from './start.js';
import { trial } from './trial.js';
import { paper } from './paper.js';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, Command> = { start, trial, sweep, fit, report, merge, paper, bench, demo };
