// `prunelab <command> [flags]`. Exit codes: 0 success, 2 bad input or a refused resource (memory,
// compute, a results file another process holds; one line, no stack trace), 1 internal error (or a
// RunFailure: what a command drives kept failing, e.g. a job step after its retries; one line). Every command parses its flags with node:util parseArgs (strict), so an
// unknown flag is named in the error.
import { ConfigError, ResourceError } from '../core/errors.js';
import { commands } from './commands/index.js';
import { RunFailure, UsageError } from './usage.js';

export { UsageError };

const HELP = `prunelab: sample complexity of pruned vs dense networks on sparse index models

usage: prunelab <command> [flags]

${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run \`prunelab <command> --help\` for its flags.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(
      `prunelab: unknown command ${JSON.stringify(name)}; expected one of ${Object.keys(commands).join(', ')}\n`,
    );
    return 2;
  }
  return runReporting(name, () => command.run(joinNegativeValues(rest)));
}

/**
 * parseArgs reads `--eta -1` as two flags; a negative number after a flag is its value, so it is
 * rewritten to `--eta=-1` and then validated (and reported) like any other value.
 */
export function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!,
      next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-(\d|\.\d|inf)/i.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Runs a command and turns its errors into exit codes: 2 with one line for bad input or a refused resource, 1 with the stack otherwise. */
export async function runReporting(name: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ResourceError || e instanceof UsageError || isParseArgsError(e)) {
      process.stderr.write(`prunelab ${name}: ${cleanParseArgsMessage((e as Error).message)}\n`);
      return 2;
    }
    if (e instanceof RunFailure) {
      process.stderr.write(`prunelab ${name}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`prunelab ${name}: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 1;
  }
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

// parseArgs says "Unknown option '--frobnicate'. To specify a positional argument starting with a '-', ..."
function cleanParseArgsMessage(m: string): string {
  const unknown = /Unknown option '--?([^']+)'/.exec(m);
  if (unknown) return `unknown flag --${unknown[1]} (see --help for the flags this command takes)`;
  const ambiguous = /Option '--?([^']+)' argument is ambiguous/.exec(m);
  if (ambiguous)
    return `flag --${ambiguous[1]} needs a value (write --${ambiguous[1]}=VALUE for a value starting with "-")`;
  return m.split('\n')[0]!.split('. To specify')[0]!;
}
