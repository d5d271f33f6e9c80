// `prunelab report results.jsonl [more.jsonl ...] [--out report.html]`: the self-contained HTML
// report from result files. Prints the path it wrote; warnings (a torn last line) go to stderr.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, checkInt, checkNumber } from '../../core/errors.js';
import { parseJsonl } from '../../experiment/results.js';
import { renderReport } from '../../analysis/report/html.js';
import type { TrialRecord } from '../../core/types.js';
import { UsageError } from '../usage.js';
import type { Command } from './index.js';
import { ALIGN_SUCCESS, SUCCESS_REL_MSE } from '../../core/rules.js';

const HELP = `usage: prunelab report results.jsonl [more.jsonl ...] [--out report.html]

Writes a self-contained HTML report (inline SVG, no network): n*(d) on log-log axes with fitted
slopes and reference scalings, the n* table, success heat maps, alignment and MSE against n.

  --out, -o FILE       where to write (default: the first input with .html for .jsonl)
  --replicates N       bootstrap replicates per slope (default 1000; 0 skips the intervals)
  --level P            interval coverage in (0, 1) (default 0.9)
  --boot-seed N        bootstrap seed (default 1)
  --criterion C        success (relMse < ${SUCCESS_REL_MSE}, default) or align (alignment > ${ALIGN_SUCCESS})
  --title TEXT         page title
  --help, -h           this help`;

function toInt(flag: string, v: string | undefined, dflt: number, lo: number, hi: number): number {
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v.trim())) throw new ConfigError(flag, v, `an integer in [${lo}, ${hi}]`);
  return checkInt(flag, Number(v), lo, hi);
}

export const report: Command = {
  summary: 'write the HTML report (plots, n* table, slopes) from result files',
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        replicates: { type: 'string' },
        level: { type: 'string' },
        'boot-seed': { type: 'string' },
        criterion: { type: 'string' },
        title: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (positionals.length === 0)
      throw new UsageError('give a results file: prunelab report results.jsonl [--out report.html]');
    const replicates = toInt('--replicates', values.replicates, 1000, 0, 100000);
    const seed = toInt('--boot-seed', values['boot-seed'], 1, 0, Number.MAX_SAFE_INTEGER);
    const level =
      values.level === undefined
        ? 0.9
        : checkNumber('--level', Number(values.level), 0, 1, { openLo: true, openHi: true });
    const crit = values.criterion ?? 'success';
    if (crit !== 'success' && crit !== 'align') throw new ConfigError('--criterion', crit, 'success or align');

    const records: TrialRecord[] = [];
    for (const file of positionals) {
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
      for (const w of parsed.warnings) process.stderr.write(`prunelab report: warning: ${w}\n`);
      records.push(...parsed.records);
    }
    if (records.length === 0)
      throw new UsageError(`no trial records in ${positionals.map((f) => JSON.stringify(f)).join(', ')}`);

    const out = values.out ?? positionals[0]!.replace(/\.jsonl?$/i, '') + '.html';
    if (positionals.some((f) => resolve(f) === resolve(out)))
      throw new UsageError(`--out ${JSON.stringify(out)} would overwrite an input file`);
    const html = renderReport(records, {
      replicates,
      level,
      seed,
      criterion: crit === 'align' ? 'alignSuccess' : 'success',
      source: positionals.map((f) => basename(f)).join(', '),
      ...(values.title !== undefined ? { title: values.title } : {}),
    });
    try {
      writeFileSync(out, html);
    } catch (e) {
      throw new UsageError(`cannot write ${JSON.stringify(out)}: ${(e as Error).message}`);
    }
    process.stdout.write(`${out}\n`);
    return 0;
  },
};
