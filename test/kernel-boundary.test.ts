// The kernel boundary of DESIGN §3 as a checked rule: the wasm exports are called only from
// src/kernels/ (the typed wrappers, which check shapes first) and src/wasm/ (loading, the arena).
// Outside those folders a file may not reach an instance's exports (`x.exports`), name a kernel
// export (as a property, in a destructuring, as an indexed key or as a string, e.g. an op handed to
// a helper thread), or hold the KernelExports / ThreadExports types. The export names are read from
// the export list itself, and the source with the TypeScript parser, so comments cannot fool it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = process.cwd(); // scripts/test.mjs runs suites from the repository root
const ALLOWED = ['src/kernels/', 'src/wasm/'];
const EXPORT_TYPES = ['KernelExports', 'ThreadExports'];

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir))
    .sort()
    .flatMap((f) => {
      const p = `${dir}/${f}`;
      if (statSync(join(root, p)).isDirectory()) return tsFiles(p);
      return p.endsWith('.ts') ? [p] : [];
    });
}

const parse = (file: string, source: string) => ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);

/** The callable members of the export interfaces (memory and CHUNK_ROWS are not kernels). */
function kernelNames(): Set<string> {
  const names = new Set<string>();
  for (const file of ['src/wasm/exports.ts', 'src/wasm/threads.ts']) {
    const visit = (n: ts.Node): void => {
      if (ts.isInterfaceDeclaration(n) && EXPORT_TYPES.includes(n.name.text))
        for (const m of n.members) if (ts.isMethodSignature(m) && ts.isIdentifier(m.name)) names.add(m.name.text);
      ts.forEachChild(n, visit);
    };
    visit(parse(file, readFileSync(join(root, file), 'utf8')));
  }
  return names;
}

/** Every use of the wasm exports among `files` (path → source) outside the allowed folders. */
export function exportUses(files: ReadonlyMap<string, string>, kernels: ReadonlySet<string>): string[] {
  const bad: string[] = [];
  for (const [file, source] of files) {
    if (ALLOWED.some((dir) => file.startsWith(dir))) continue;
    const sf = parse(file, source);
    const at = (n: ts.Node, what: string) =>
      bad.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${what}`);
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n)) {
        const name = n.name.text;
        if (name === 'exports') at(n, `reaches the wasm exports (${n.getText(sf)})`);
        else if (kernels.has(name)) at(n, `calls the kernel export ${name}`);
      } else if (ts.isBindingElement(n)) {
        const key = n.propertyName ?? n.name;
        if (ts.isIdentifier(key) && (key.text === 'exports' || kernels.has(key.text)))
          at(n, `destructures ${key.text} from the wasm exports`);
      } else if (ts.isStringLiteralLike(n) && kernels.has(n.text)) {
        at(n, `names the kernel export '${n.text}'`);
      } else if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName) && EXPORT_TYPES.includes(n.typeName.text)) {
        at(n, `holds the ${n.typeName.text} type`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return bad;
}

test('the export list is read (every kernel family is there)', () => {
  const names = kernelNames();
  for (const n of [
    'gauss_fill_cols',
    'hermite_score_stream',
    'net_grad',
    'net_step',
    'readout_predict',
    'thread_use_scratch',
  ])
    assert.ok(names.has(n), n);
  assert.not.ok(names.has('memory'));
});

test('no file outside src/kernels/ and src/wasm/ calls a wasm export', () => {
  const files = new Map(tsFiles('src').map((f) => [f, readFileSync(join(root, f), 'utf8')]));
  assert.ok(files.size > 60, `read ${files.size} files`);
  const bad = exportUses(files, kernelNames());
  assert.equal(bad, [], bad.join('\n'));
});

test('the checker catches every way of reaching an export, and lets the wrappers be', () => {
  const kernels = kernelNames();
  const files = new Map([
    ['src/trial/pipeline.ts', 'const bad = w.exports.net_step(W, m, k, k, G, k, a, eta, 0);'],
    ['src/trial/stage-x.ts', 'const { net_grad } = w.exports;'],
    [
      'src/node/threads-worker.ts',
      "const e = await instantiateThreads(m, mem);\ne.thread_use_scratch(8);\nhelpers.start(0, 'gauss_fill_cols', []);",
    ],
    ['src/experiment/sweep.ts', "function f(e: KernelExports) { return e['readout_predict']; }"],
    ['src/kernels/net.ts', 'w.exports.net_step(W, m, k, k, G, k, a, eta, 0); // allowed: a wrapper'],
    ['src/wasm/index.ts', 'this.exports.arena_mark(); // allowed: the wasm layer'],
    [
      'src/trial/lab.ts',
      "// w.exports.net_grad() in a comment is not a call\nnetStep(w, { W, m, k, G, a, eta }); const s = 'net step';",
    ],
  ]);
  assert.equal(exportUses(files, kernels), [
    'src/trial/pipeline.ts:1: calls the kernel export net_step',
    'src/trial/pipeline.ts:1: reaches the wasm exports (w.exports)',
    'src/trial/stage-x.ts:1: destructures net_grad from the wasm exports',
    'src/trial/stage-x.ts:1: reaches the wasm exports (w.exports)',
    'src/node/threads-worker.ts:2: calls the kernel export thread_use_scratch',
    "src/node/threads-worker.ts:3: names the kernel export 'gauss_fill_cols'",
    'src/experiment/sweep.ts:1: holds the KernelExports type',
    "src/experiment/sweep.ts:1: names the kernel export 'readout_predict'",
  ]);
});

test.run();
