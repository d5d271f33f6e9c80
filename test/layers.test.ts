// The layers of DESIGN §3 as a checked rule: a file under src/<layer>/ imports only from its own
// layer or from layers listed before it. node/ and browser/ are peers at the top: neither may
// import the other. src/index.ts is the public API and may import anything. Type-only imports
// count too, since they still tie the layers together. Imports are read with the TypeScript
// compiler's own pre-processor, so comments and strings cannot fool it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

const LAYERS = [
  'core',
  'wasm',
  'kernels',
  'reference',
  'trial',
  'stats',
  'experiment',
  'analysis',
  'node',
  'browser',
] as const;
/** Rank of each layer; equal ranks are peers that may not import each other. */
const RANK: Record<string, number> = {
  core: 0,
  wasm: 1,
  kernels: 2,
  reference: 3,
  trial: 4,
  stats: 5,
  experiment: 6,
  analysis: 7,
  node: 8,
  browser: 8,
};

const RANK_TOP = 8;

const root = process.cwd(); // scripts/test.mjs runs suites from the repository root

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(join(root, p)).isDirectory()) return tsFiles(p);
      return p.endsWith('.ts') ? [p] : [];
    });
}

const layerOf = (file: string): string | null => {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? (parts[1] ?? null) : null;
};

/** Every upward or sideways import among `files` (path → source), as readable lines. */
export function layerViolations(files: ReadonlyMap<string, string>): string[] {
  const bad: string[] = [];
  for (const [file, source] of files) {
    const from = layerOf(file);
    if (from === null) continue; // src/index.ts
    const fromRank = RANK[from];
    if (fromRank === undefined) {
      bad.push(`${file}: lives in src/${from}/, which is not a layer (${LAYERS.join(', ')})`);
      continue;
    }
    for (const ref of ts.preProcessFile(source, true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue; // packages and node: builtins
      const target = normalize(join(dirname(file), ref.fileName));
      const to = layerOf(target);
      if (to === null || to === from) {
        // The public index gathers every layer, so only the top layers (node/, browser/) may use it.
        if (to === null && target.startsWith('src/') && fromRank < RANK_TOP)
          bad.push(`${file} (${from}) imports ${ref.fileName} (the public index)`);
        continue;
      }
      const toRank = RANK[to];
      if (toRank === undefined || toRank >= fromRank) bad.push(`${file} (${from}) imports ${ref.fileName} (${to})`);
    }
  }
  return bad;
}

test('every src/ file sits in a layer folder, except the public index', () => {
  const loose = tsFiles('src').filter((f) => layerOf(f) === null && f !== 'src/index.ts');
  assert.equal(loose, [], `files outside the layers: ${loose.join(', ')}`);
  const folders = readdirSync(join(root, 'src'))
    .filter((f) => statSync(join(root, 'src', f)).isDirectory())
    .sort();
  assert.equal(folders, [...LAYERS].sort());
});

test('no src/ file imports from a later layer or a peer', () => {
  const files = new Map(
    tsFiles('src').map((f) => [relative(root, join(root, f)), readFileSync(join(root, f), 'utf8')]),
  );
  assert.ok(files.size > 60, `read ${files.size} files`);
  const bad = layerViolations(files);
  assert.equal(bad, [], bad.join('\n'));
});

test('the checker catches an upward import, a peer import, a type-only import and a use of the public index', () => {
  const files = new Map([
    ['src/core/math.ts', "import { x } from '../trial/config.js';"],
    ['src/node/cli.ts', "import { demo } from '../browser/demo.js';"],
    ['src/kernels/gemm.ts', "import type { Lab } from '../trial/lab.js';\nimport { Wasm } from '../wasm/index.js';"],
    ['src/trial/lab.ts', "import { gemm } from '../kernels/gemm.js'; // allowed: a lower layer"],
    [
      'src/analysis/report/html.ts',
      "import { fit } from '../fit.js'; import { grid } from '../../experiment/grid.js';",
    ],
    ['src/experiment/sweep.ts', "import { createLab } from '../index.js';"],
    ['src/browser/index.ts', "export * from '../index.js'; // allowed: the top re-exports the API"],
  ]);
  assert.equal(layerViolations(files), [
    'src/core/math.ts (core) imports ../trial/config.js (trial)',
    'src/node/cli.ts (node) imports ../browser/demo.js (browser)',
    'src/kernels/gemm.ts (kernels) imports ../trial/lab.js (trial)',
    'src/experiment/sweep.ts (experiment) imports ../index.js (the public index)',
  ]);
});

test.run();
