// The command registry: one file per command.
// Commands import UsageError from ../cli.js, which imports this file: enter through cli.ts (as
// bin/prunelab.js and the tests do), not through a command module, or `commands` is read too early.
import { report } from './report.js';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  report,
};
