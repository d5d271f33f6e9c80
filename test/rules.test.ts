// Each shared rule is defined once, in src/core/rules.ts: the list of methods and the two success
// thresholds. A second copy (a method list written out again, a comparison against 0.2 or 0.95)
// anywhere else in src/ fails this suite, so the copies cannot drift apart again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd(); // scripts/test.mjs runs suites from the repository root
const HOME = 'src/core/rules.ts';

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(join(root, p)).isDirectory()) return tsFiles(p);
      return p.endsWith('.ts') && !p.endsWith('.generated.ts') ? [p] : [];
    });
}

/** Source with comments blanked, so prose about "relMse < 0.2" does not count. */
const code = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/[^\n]*/g, '$1');

const RULES: { name: string; pattern: RegExp }[] = [
  { name: 'the method list', pattern: /['"]none['"]\s*,\s*['"]oracle['"]/ },
  { name: 'the relMse threshold', pattern: /[<>]=?\s*0\.2(?![\d])/ },
  { name: 'the alignment threshold', pattern: /[<>]=?\s*0\.95(?![\d])/ },
];

/** Every place outside HOME that defines one of the rules again. */
export function copies(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [f, src] of files) {
    if (f === HOME) continue;
    code(src)
      .split('\n')
      .forEach((line, i) => {
        for (const r of RULES) if (r.pattern.test(line)) out.push(`${f}:${i + 1}: ${r.name} again: ${line.trim()}`);
      });
  }
  return out;
}

test('the methods and the success thresholds are defined once, in src/core/rules.ts', () => {
  const files = new Map(tsFiles('src').map((f) => [f, readFileSync(join(root, f), 'utf8')]));
  const home = files.get(HOME) ?? '';
  for (const r of RULES.slice(0, 1)) assert.ok(r.pattern.test(home), `${HOME} defines ${r.name}`);
  assert.match(home, /SUCCESS_REL_MSE = 0\.2;/);
  assert.match(home, /ALIGN_SUCCESS = 0\.95;/);
  const found = copies(files);
  assert.equal(found, [], found.join('\n'));
});

test('a second definition is caught; prose in comments is not', () => {
  const files = new Map([
    ['src/experiment/results.ts', "const METHODS = ['none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'];"],
    ['src/trial/record.ts', 'success: metrics.relMse < 0.2,\n// relMse < 0.2 is the rule'],
    ['src/analysis/report/plots.ts', "const thr = metric === 'alignMax' ? 0.95 : t; const ok = a > 0.95;"],
    ['src/core/rules.ts', 'export const SUCCESS_REL_MSE = 0.2; const x = y < 0.2;'],
  ]);
  assert.equal(copies(files), [
    "src/experiment/results.ts:1: the method list again: const METHODS = ['none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'];",
    'src/trial/record.ts:1: the relMse threshold again: success: metrics.relMse < 0.2,',
    "src/analysis/report/plots.ts:1: the alignment threshold again: const thr = metric === 'alignMax' ? 0.95 : t; const ok = a > 0.95;",
  ]);
});

test.run();
