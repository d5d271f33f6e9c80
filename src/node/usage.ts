// Bad command-line input that is not a config field: the CLI prints it as one line and exits 2.
// Its own module so commands can import it without importing cli.ts (which imports them).
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
