// Reading result files for the report, in Node and browsers: the shared JSONL reader of
// results.ts, with a torn last line (a writer killed mid-line) turned into a warning.
import { parseJsonl as parseResults } from '../../experiment/results.js';
import type { TrialRecord } from '../../core/types.js';

export { checkRecord } from '../../experiment/results.js';

export interface ParsedRecords {
  records: TrialRecord[];
  warnings: string[];
}

/** Parse JSONL. Blank lines are ignored; a torn last line is skipped with a warning; other damage is a ResultsFileError (a ConfigError). */
export function parseJsonl(text: string, source = 'input'): ParsedRecords {
  const parsed = parseResults(text, source);
  const torn = parsed.torn;
  const line = torn ? text.slice(0, torn.keep).split('\n').length : 0;
  const warnings = torn
    ? [
        `${source}: skipped a torn last line (line ${line}, ${torn.text.length} characters, no newline): the writer was probably interrupted`,
      ]
    : [];
  return { records: parsed.records, warnings };
}
