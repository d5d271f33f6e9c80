// Bad command-line input that is not a config field: the CLI prints it as one line and exits 2.
// Its own module so commands can import it without importing cli.ts (which imports them).
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A command that could not finish because what it drives kept failing (a job step, after its
 * retries): not bad input, so the CLI exits 1, but with the one line that says what to do.
 */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}
