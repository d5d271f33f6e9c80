// `prunelab fit results.jsonl... [--json]`: the fits of DESIGN §2.4 from result files: per setting
// and learner n*50(d) with intervals, the exponents against log d and against the theory
// scaling, and Δb between the learners with its interval; the √2-grid rule beside them.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, checkNumber } from '../../core/errors.js';
import { analyze } from '../../analysis/report/analyze.js';
import { parseJsonl } from '../../experiment/results.js';
import { summarize, summaryJson } from '../../analysis/report/summary.js';
import type { TrialRecord } from '../../core/types.js';
import { UsageError } from '../usage.js';
import type { Command } from './index.js';
import { ALIGN_SUCCESS, SUCCESS_REL_MSE } from '../../core/rules.js';

const HELP = `usage: prunelab fit results.jsonl [more.jsonl ...] [--json]

Fits the records (DESIGN §2.4): per (learner, setting, d) a psychometric probit
P(success | n) = 0.01 + 0.98·Φ((log2 n − μ)/σ) with a grid posterior over (μ, σ), so n*50 = 2^μ
with a 90% credible interval; per learner the exponent b of log2 n*50 = a + b·log2 x(d) (x = d,
and x = the learner's theory scaling) from the joint posterior; Δb between pruned and dense
learners over the dimensions both have. The sqrt(2)-grid rule is printed beside it as a cross-check.

  --json               one JSON object: per setting, learners with learner, exponent, exponentCI, vs, nstar
  --level P            interval level in (0, 1) (default 0.9)
  --criterion C        success (relMse < ${SUCCESS_REL_MSE}, default) or align (alignment > ${ALIGN_SUCCESS})
  --help, -h           this help`;

/** All records of the given files (a torn last line is a warning on stderr). */
export function readRecordFiles(files: readonly string[], command: string): TrialRecord[] {
  const records: TrialRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new UsageError(
        `cannot read ${JSON.stringify(file)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`,
      );
    }
    const parsed = parseJsonl(text, basename(file));
    for (const w of parsed.warnings) process.stderr.write(`prunelab ${command}: warning: ${w}\n`);
    records.push(...parsed.records);
  }
  if (records.length === 0)
    throw new UsageError(`no trial records in ${files.map((f) => JSON.stringify(f)).join(', ')}`);
  return records;
}

export const fit: Command = {
  summary: 'fit n*50(d) with intervals, the exponents and Δb from result files (--json)',
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        level: { type: 'string' },
        criterion: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('give a results file: prunelab fit results.jsonl [--json]');
    const level =
      values.level === undefined
        ? 0.9
        : checkNumber('--level', Number(values.level), 0, 1, { openLo: true, openHi: true });
    const crit = values.criterion ?? 'success';
    if (crit !== 'success' && crit !== 'align') throw new ConfigError('--criterion', crit, 'success or align');
    const records = readRecordFiles(positionals, 'fit');
    const analysis = analyze(records, { level, criterion: crit === 'align' ? 'alignSuccess' : 'success' });
    process.stdout.write(
      values.json ? `${JSON.stringify(summaryJson(analysis), null, 2)}\n` : `${summarize(analysis)}\n`,
    );
    return 0;
  },
};
