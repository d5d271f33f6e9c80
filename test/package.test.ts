// The package as users get it: `npm pack`, then an offline install of the tarball into a fresh
// project (the npm cache holds the dependencies after `npm ci`). There the CLI runs, the library
// imports from Node ESM, a TypeScript consumer type-checks, and a browser consumer bundles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'prunelab-pkg-'));
const app = join(dir, 'app');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: app, encoding: 'utf8' });

let tarball = '';
test('npm pack ships the library, the CLI, the types and the web build, and nothing else', () => {
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], root)) as {
    filename: string;
    entryCount: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  tarball = join(dir, info!.filename);
  const paths = info!.files.map((f) => f.path);
  for (const p of paths)
    assert.ok(
      /^(package\.json|README\.md|bin\/prunelab\.js|dist\/src\/.*\.(js|d\.ts)|dist\/web\/[^/]+\.(js|html|css))$/.test(
        p,
      ),
      `unexpected file in the tarball: ${p}`,
    );
  for (const p of ['bin/prunelab.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/web/prunelab.browser.js'])
    assert.ok(paths.includes(p), `missing ${p}`);
  // beyond a .js and a .d.ts per module of dist/src (the pattern above): the bin, the web build
  // (3 bundles, a page and its style), package.json and README, and nothing else
  const others = paths.filter((p) => !p.startsWith('dist/src/'));
  assert.ok(others.length <= 8, `files outside dist/src: ${others.join(', ')}`);
  // a tripwire for stray files (source maps, tests): 1.54 MB with the demo's paper view, 1.74 MB with
  // the stats layer's joint model, local exponents and the adaptive design on b (in dist/src and in
  // each of the three web bundles)
  assert.ok(info!.unpackedSize < 1.85e6, `${info!.unpackedSize} bytes unpacked`);
  console.log(
    `  tarball: ${info!.entryCount} files, ${(info!.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${(statSync(tarball).size / 1e3).toFixed(0)} kB packed`,
  );
});

// `npm install --offline` of a bare tarball needs registry metadata the cache does not keep after
// `npm ci` (which fetches tarballs by integrity only), so the consumer gets a lockfile: the
// tarball plus the dependency closure copied from our own package-lock.json, installed with
// `npm ci --offline` from the cache alone.
test('installs offline into a fresh project', () => {
  mkdirSync(app);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string; dependencies?: Record<string, string>; dev?: boolean }>;
  };
  const mine = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const packages: Record<string, unknown> = {};
  const todo = Object.keys(mine.dependencies);
  while (todo.length) {
    const name = todo.pop()!;
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const entry = lock.packages[key];
    assert.ok(entry, `${name} is in package-lock.json`);
    const { dev: _dev, ...rest } = entry;
    // our lockfile records integrity only; the registry address is spelled out so npm looks the
    // tarball up in its cache by integrity instead of asking the registry where it is
    const resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    packages[key] = { resolved, ...rest };
    todo.push(...Object.keys(entry.dependencies ?? {}));
  }
  const integrity = `sha512-${createHash('sha512')
    .update(new Uint8Array(readFileSync(tarball)))
    .digest('base64')}`;
  const spec = `file:../${basename(tarball)}`;
  const pkg = { name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { prunelab: spec } };
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg));
  writeFileSync(
    join(app, 'package-lock.json'),
    JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'consumer', version: '1.0.0', dependencies: { prunelab: spec } },
        'node_modules/prunelab': {
          version: '0.1.0',
          resolved: spec,
          integrity,
          dependencies: mine.dependencies,
          bin: { prunelab: 'bin/prunelab.js' },
        },
        ...packages,
      },
    }),
  );
  npm(['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
});

test('the CLI runs', () => {
  const r = run(join(app, 'node_modules', '.bin', 'prunelab'), [
    'trial',
    '--d',
    '64',
    '--alpha',
    '0.5',
    '--link',
    'he2',
    '--method',
    'oracle',
    '--n',
    '256',
    '--json',
  ]);
  assert.is(r.status, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).config.d, 64);
  const bad = run(join(app, 'node_modules', '.bin', 'prunelab'), ['trial', '--d', '0']);
  assert.is(bad.status, 2, bad.stderr);
});

test('the library imports from Node ESM, kernels included', () => {
  writeFileSync(
    join(app, 'use.mjs'),
    `import { createLab, gemmXwt, netGrad, validateConfig } from 'prunelab';
const lab = await createLab();
const w = lab.wasm;
const X = w.put(new Float32Array([1, 2, 3, 4])), W = w.put(new Float32Array([1, 1])), Z = w.allocF32(2);
gemmXwt(w, X, 2, 2, 2, W, 1, 2, Z, 1);
const r = lab.trial({ d: 64, alpha: 0.5, link: 'he2', method: 'oracle', n: 256 });
console.log(JSON.stringify({ z: Array.from(w.copyF32(Z, 2)), netGrad: typeof netGrad, id: r.id, v: validateConfig(r.config.d ? { d: 64, s: 8, link: 'he2', method: 'none', n: 64 } : {}).m }));
`,
  );
  const r = run(process.execPath, ['use.mjs']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.z, [3, 7]);
  assert.is(out.netGrad, 'function');
  assert.is(out.v, 32);
});

test('a TypeScript consumer type-checks against the shipped types', () => {
  writeFileSync(
    join(app, 'use.ts'),
    `import { createLab, type TrialRecord, ConfigError } from 'prunelab';
const lab = await createLab();
const r: TrialRecord = lab.trial({ d: 64, alpha: 0.5, link: 'he2', method: 'oracle', n: 256 });
const mse: number | null = r.metrics.relMse;
const e: ConfigError = new ConfigError('d', 0, 'an integer >= 1');
export { mse, e };
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
        lib: ['es2022', 'dom'],
      },
      files: ['use.ts'],
    }),
  );
  const r = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  assert.is(r.status, 0, r.stdout + r.stderr);
  const wrong = readFileSync(join(app, 'use.ts'), 'utf8').replace('n: 256', "n: '256'");
  writeFileSync(join(app, 'use.ts'), wrong);
  const bad = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  assert.is.not(bad.status, 0, 'a wrong field type is caught by the shipped types');
});

test('a browser consumer bundles with esbuild (the browser build, wasm inside)', () => {
  writeFileSync(
    join(app, 'page.js'),
    `import { createLab } from 'prunelab';\nconst lab = await createLab();\ndocument.body.textContent = JSON.stringify(lab.trial({ d: 64, alpha: 0.5, link: 'he2', method: 'oracle', n: 256 }).metrics);\n`,
  );
  const r = run(join(root, 'node_modules', '.bin', 'esbuild'), [
    'page.js',
    '--bundle',
    '--format=esm',
    '--platform=browser',
    '--outfile=out/page.js',
    '--log-level=warning',
  ]);
  assert.is(r.status, 0, r.stderr);
  const js = readFileSync(join(app, 'out', 'page.js'), 'utf8');
  assert.not.match(js, /node:fs|worker_threads/, 'no Node modules in the browser bundle');
  assert.match(js, /AGFzbQ/, 'the wasm bytes are inside');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
