// Source rules for the modules whose output we publish (fits, theory, n*, plots, report, the soft
// family's profile, which sets the bits of V):
// no host transcendental Math, no Math.random, no `**`; and src/ outside src/node/ imports no
// node: module (it must run unchanged in browsers).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd(); // scripts/test.mjs runs suites from the repository root
const PUBLISHED = [
  'src/core/math.ts',
  'src/core/prng.ts',
  'src/stats',
  'src/experiment/design-adaptive.ts',
  'src/trial/soft-profile.ts',
  'src/analysis',
];

function files(p: string): string[] {
  const abs = join(root, p);
  if (statSync(abs).isDirectory())
    return readdirSync(abs)
      .sort()
      .flatMap((f) => files(join(p, f)));
  return p.endsWith('.ts') ? [p] : [];
}

/** Source with comments and string literals blanked, so prose about Math.log does not count. */
function code(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, '""');
}

test('published modules use src/core/math.ts, never host transcendental Math or Math.random', () => {
  const banned =
    /\bMath\.(log|log2|log10|log1p|exp|expm1|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt|hypot|random)\b|\*\*/;
  const found: string[] = [];
  const all = PUBLISHED.flatMap(files);
  assert.ok(all.length >= 10 && all.includes('src/analysis/report/plots.ts'), `scanned ${all.join(', ')}`);
  for (const f of all) {
    code(readFileSync(join(root, f), 'utf8'))
      .split('\n')
      .forEach((line, i) => {
        if (banned.test(line)) found.push(`${f}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.equal(found, [], found.join('\n'));
});

test('src/ outside src/node/ imports no node: modules', () => {
  const found: string[] = [];
  for (const f of files('src')) {
    if (f.startsWith('src/node/')) continue;
    if (/from\s+['"]node:|import\(\s*['"]node:|require\(/.test(readFileSync(join(root, f), 'utf8'))) found.push(f);
  }
  assert.equal(found, []);
});

test.run();
