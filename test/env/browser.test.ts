// End-to-end in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core; never a
// browser download): the demo page served by the demo server loads with no errors, a sweep run
// by clicking fills the plots and the table, and trial records made in the page (main thread,
// Web Worker pool, the ESM bundle and the demo's classic bundle, cross-origin isolated or not,
// and from file://) equal Node's records byte for byte apart from `timings`.
//
// Without /usr/bin/chromium this suite prints a loud notice and `prunelab:skip` (scripts/test.mjs
// lists it as SKIP); PRUNELAB_REQUIRE_BROWSER=1 turns the skip into a failure.
import { trialInputOf } from '../../src/trial/record.js';
import type { RecordedConfig } from '../../src/core/types.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openBrowser, requireChromium, type BrowserSession } from '../helpers/chromium.js';

requireChromium('browser', 180);

const { startDemoServer, defaultWebRoot } = await import('../../src/node/demo-server.js');
const { createLab } = await import('../../src/trial/lab.js');
const { adaptiveDesign, runDesign } = await import('../../src/experiment/design.js');
const { applyOverrides, presetSpec } = await import('../../src/experiment/sweep.js');
const { parseSweepFlags } = await import('../../src/node/commands/sweep.js');
type Page = import('playwright-core').Page;

// One pruned and one dense trial, plus kernels the defaults do not reach (lq, he2+he3, gradmag, r = 2,
// the soft family's profile, made with our own expd/logd, and its rank placement), the subspace
// simulation of the dense fresh-batch learner (DESIGN §2.2b: gamma draws with our own log and exp,
// Bartlett factors, the Jacobi square root) and the compact one (§2.2c: the same, and the
// Householder re-orthonormalisation in plain doubles).
const CONFIGS = [
  { d: 256, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 2048, seed: 7 },
  { d: 128, alpha: 0.25, link: 'he2', method: 'none', n: 1024, seed: 3 },
  { d: 200, alpha: 0.5, link: 'he2+he3', sparsity: 'lq', q: 0.5, method: 'hermite', n: 1448, seed: 11 },
  { d: 96, alpha: 0.4, r: 2, link: 'sum-he2', method: 'gradmag', n: 724, seed: 2 },
  { d: 4096, alpha: 0.25, link: 'he2', method: 'none', batch: 'fresh', sim: 'subspace', n: 12000, seed: 5 },
  { d: 300, alpha: 0.3, link: 'he2', sparsity: 'soft', q: 0.5, gamma: 3, method: 'hermite-thr', n: 2048, seed: 13 },
  { d: 65536, alpha: 0.25, link: 'he3', method: 'none', batch: 'fresh', sim: 'compact', n: 20000, seed: 6 },
] as const;
const SUBSPACE = CONFIGS.find((c) => 'sim' in c && c.sim === 'subspace')!;
const COMPACT = CONFIGS.find((c) => 'sim' in c && c.sim === 'compact')!;

/** A record as one JSON line without its timings: what must match byte for byte. */
function canon(r: unknown): string {
  const c = { ...(r as Record<string, unknown>) };
  delete c.timings;
  return JSON.stringify(c);
}

const inputOf = (rc: Record<string, unknown>): object => trialInputOf(rc as unknown as RecordedConfig);

const lab = await createLab();
const nodeCanon = (cfg: object) => canon(lab.trial(cfg as Parameters<typeof lab.trial>[0]));

let browser: BrowserSession;
const server = await startDemoServer({ port: 0 });
async function open(url: string, label: string): Promise<Page> {
  const page = await browser.page(label);
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.state === 'ready', null, { timeout: 10_000 });
  return page;
}
const noProblems = () => browser.noProblems();

test.before(async () => {
  browser = await openBrowser();
});

test.after(async () => {
  await browser?.close();
  await server.close();
});

test('the demo page loads cross-origin isolated, interactive quickly, with the library on globalThis', async () => {
  const page = await open(server.url, 'load');
  const info = await page.evaluate(() => {
    const g = globalThis as unknown as { prunelab: Record<string, unknown> };
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      interactiveMs: performance.getEntriesByName('prunelab:interactive')[0]?.startTime ?? null,
      loadMs: nav.loadEventEnd,
      isolated: crossOriginIsolated,
      api: [
        'createLab',
        'runDesign',
        'searchDesign',
        'createWebPool',
        'nStarPlot',
        'heatMap',
        'renderReport',
        'fitSlope',
        'theory',
        'PRESETS',
      ].filter((k) => !(k in g.prunelab)),
      run: (document.getElementById('run') as HTMLButtonElement).disabled,
      cli: document.getElementById('cli')!.textContent,
    };
  });
  process.stdout.write(
    `page interactive at ${info.interactiveMs?.toFixed(0)} ms, load event at ${info.loadMs.toFixed(0)} ms\n`,
  );
  assert.ok(info.interactiveMs !== null && info.interactiveMs < 3000, `interactive at ${info.interactiveMs} ms`);
  assert.is(info.isolated, true);
  assert.equal(info.api, [], 'missing from globalThis.prunelab');
  assert.is(info.run, false, 'Run is enabled');
  assert.is(info.cli, 'prunelab sweep --d 256,1024');
  await page.close();
  noProblems();
});

test('lab.trial in the page equals Node record for record, byte for byte but timings', async () => {
  const page = await open(server.url, 'lab');
  const got = await page.evaluate(
    async (configs) => {
      const pl = (
        globalThis as unknown as { prunelab: { createLab(): Promise<{ trial(c: unknown): Record<string, unknown> }> } }
      ).prunelab;
      const lab = await pl.createLab();
      return configs.map((c) => {
        const r = { ...lab.trial(c) };
        delete r.timings;
        return JSON.stringify(r);
      });
    },
    CONFIGS as unknown as object[],
  );
  CONFIGS.forEach((c, i) => {
    assert.is(got[i], nodeCanon(c), `${c.method} d=${c.d}`);
  });
  assert.is(JSON.parse(got[CONFIGS.indexOf(SUBSPACE)]!).config.sim, 'subspace', 'the subspace path ran');
  assert.is(JSON.parse(got[CONFIGS.indexOf(COMPACT)]!).config.sim, 'compact', 'the compact path ran');
  await page.close();
  noProblems();
});

test('the ESM bundle and its Web Worker pool (2 workers) give Node records', async () => {
  const page = await open(server.url, 'esm');
  const got = await page.evaluate(
    async (configs) => {
      const m = await import(new URL('prunelab.browser.js', document.baseURI).href);
      const pool = m.createWebPool({ workers: 2 });
      try {
        const recs: Record<string, unknown>[] = await pool.map(configs);
        return {
          size: pool.size,
          recs: recs.map((r) => {
            const c = { ...r };
            delete c.timings;
            return JSON.stringify(c);
          }),
        };
      } finally {
        await pool.close();
      }
    },
    CONFIGS as unknown as object[],
  );
  assert.is(got.size, 2);
  CONFIGS.forEach((c, i) => {
    assert.is(got.recs[i], nodeCanon(c), `${c.method} d=${c.d}`);
  });
  await page.close();
  noProblems();
});

test('a sweep run by clicking fills the progress, plots, table and JSONL; its records equal Node', async () => {
  const page = await open(server.url, 'ui');
  await page.click('#full-preset');
  assert.is(await page.textContent('#cli'), 'prunelab sweep');
  await page.selectOption('#f-preset', 'alpha');
  assert.is(await page.textContent('#cli'), 'prunelab sweep --preset alpha --d 256,1024');
  assert.is(await page.isDisabled('#f-seeds'), true, 'seeds belong to the search and grid designs');
  assert.is(await page.isVisible('#f-seeds'), false);
  await page.selectOption('#f-design', 'search');
  assert.is(await page.isDisabled('#f-seeds'), false);
  assert.is(await page.textContent('#cli'), 'prunelab sweep --preset alpha --d 256,1024 --seeds 3 --design search');
  await page.selectOption('#f-preset', 'separation');
  await page.fill('#f-d', '64, 128');
  await page.fill('#f-seeds', '2');
  assert.is(await page.textContent('#cli'), 'prunelab sweep --d 64,128 --seeds 2 --design search');
  await page.click('#run');
  await page.waitForFunction(
    () => ['done', 'failed', 'stopped'].includes(document.documentElement.dataset.state ?? ''),
    null,
    { timeout: 60_000 },
  );
  const ui = await page.evaluate(() => {
    const demo = (
      globalThis as unknown as {
        prunelabDemo: {
          records: Record<string, unknown>[];
          result: { searches: { method: string; d: number; nStar: number | null; complete: boolean }[] };
        };
      }
    ).prunelabDemo;
    const q = (s: string) => document.querySelectorAll(s).length;
    return {
      state: document.documentElement.dataset.state,
      status: document.getElementById('status')!.textContent,
      records: demo.records.map((r) => {
        const c = { ...r };
        delete c.timings;
        return JSON.stringify(c);
      }),
      configs: demo.records.map((r) => r.config),
      searches: demo.result.searches.map((s) => ({ method: s.method, d: s.d, nStar: s.nStar, complete: s.complete })),
      points: q('#nstar-plot svg .pl-point'),
      heatMaps: q('#heat svg'),
      heatCells: q('#heat svg .pl-cellrect'),
      nStarRows: q('#summary table.nstar tr'),
      exponentRows: q('#summary table.exponents tr'),
      tableRows: q('#trials tbody tr'),
      bar: document.getElementById('bar')!.getAttribute('aria-valuenow'),
    };
  });
  assert.is(ui.state, 'done', ui.status ?? '');
  assert.ok(ui.records.length >= 8, `${ui.records.length} trials`);
  assert.is(ui.searches.length, 4);
  assert.ok(
    ui.searches.every((s) => s.complete),
    JSON.stringify(ui.searches),
  );
  const decided = ui.searches.filter((s) => s.nStar !== null).length;
  assert.ok(ui.points >= decided && decided >= 2, `${ui.points} n* points drawn, ${decided} decided`);
  assert.is(ui.heatMaps, 2);
  assert.ok(ui.heatCells >= ui.records.length / 2, `${ui.heatCells} heat cells`);
  assert.is(ui.nStarRows, 7, 'the CLI summary: a header, and n*50, each d alone and the grid rule for each learner');
  assert.is(ui.exponentRows, 3, 'a header and a row per learner');
  assert.is(ui.tableRows, ui.records.length);
  assert.is(ui.bar, '100');
  // Spot-check the sweep's records (run on the demo bundle's workers) against Node.
  for (const k of [0, Math.floor(ui.records.length / 2), ui.records.length - 1]) {
    assert.is(ui.records[k], nodeCanon(inputOf(ui.configs[k] as Record<string, unknown>)), `trial ${k}`);
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-jsonl')]);
  assert.is(download.suggestedFilename(), 'separation.jsonl');
  const file = await download.path();
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(
    lines.map((l) => canon(JSON.parse(l))),
    ui.records,
  );
  // Copy CLI command puts the command on the clipboard.
  await browser
    .context()
    .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  await page.click('#copy-cli');
  await page.waitForFunction(() => document.getElementById('copy-status')!.textContent === 'Copied.');
  assert.is(
    await page.evaluate(() => navigator.clipboard.readText()),
    'prunelab sweep --d 64,128 --seeds 2 --design search',
  );
  // A fresh page shows the downloaded file again: same plots, same table.
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.state === 'ready');
  await page.setInputFiles('#open-jsonl', file);
  await page.waitForFunction(() => document.documentElement.dataset.state === 'done');
  assert.is(await page.locator('#nstar-plot svg .pl-point').count(), ui.points);
  assert.is(await page.locator('#trials tbody tr').count(), ui.records.length);
  await page.close();
  noProblems();
});

test('the adaptive design (the default) run by clicking runs the same trials as in Node, record for record', async () => {
  const page = await open(server.url, 'adaptive');
  await page.fill('#f-d', '64, 128');
  // --workers reaches the command only when it differs from the page's default (every core)
  const cores = await page.inputValue('#f-workers');
  await page.fill('#f-workers', '2');
  assert.is(await page.textContent('#cli'), `prunelab sweep --d 64,128${cores === '2' ? '' : ' --workers 2'}`);
  await page.click('#run');
  await page.waitForFunction(
    () => ['done', 'failed', 'stopped'].includes(document.documentElement.dataset.state ?? ''),
    null,
    { timeout: 120_000 },
  );
  const inPage = await page.evaluate(() =>
    (globalThis as unknown as { prunelabDemo: { records: Record<string, unknown>[] } }).prunelabDemo.records.map(
      (r) => {
        const c = { ...r };
        delete c.timings;
        return JSON.stringify(c);
      },
    ),
  );
  const inNode: string[] = [];
  await runDesign(adaptiveDesign(), applyOverrides(presetSpec('separation'), { d: [64, 128] }), {
    runner: { run: async (trial) => lab.trial(trial) },
    onResult: (r) => inNode.push(canon(r)),
  });
  assert.ok(inNode.length >= 8, `${inNode.length} trials`);
  assert.equal([...inPage].sort(), [...inNode].sort());
  await page.close();
  noProblems();
});

test('the form set from a CLI command (the page address carries its flags) gives that command back, parsing to the same request', async () => {
  // each as sweepRequestFlags writes it: all three designs, with their options and overrides
  const commands = [
    ['--preset', 'alpha', '--d', '64,128', '--seeds', '2', '--design', 'grid', '--n-max', '4096'],
    ['--d', '128', '--methods', 'hermite-thr,none,oracle', '--link', 'he2+he3', '--target-width', '0.75'],
    ['--preset', 'k3', '--alpha', '0.25,0.4', '--budget', '1048576', '--start', '64', '--design', 'search'],
  ];
  for (const argv of commands) {
    const query = argv
      .flatMap((a, i) => (i % 2 ? [] : [`${a.slice(2)}=${encodeURIComponent(argv[i + 1]!)}`]))
      .join('&');
    const page = await open(`${server.url}?${query}`, `command ${argv.join(' ')}`);
    const shown = await page.textContent('#cli');
    assert.is(shown, ['prunelab', 'sweep', ...argv].join(' '));
    // the command the page shows, read by the CLI's own flag parser, is the request the page holds and Node reads
    const want = parseSweepFlags(argv).request;
    assert.equal(parseSweepFlags(shown!.split(' ').slice(2)).request, want);
    const inPage = await page.evaluate(
      () => (globalThis as unknown as { prunelabDemo: { request: unknown } }).prunelabDemo.request,
    );
    assert.equal(inPage, JSON.parse(JSON.stringify(want)));
    assert.is(await page.isEnabled('#run'), true);
    // the page's own link to this setup carries the same flags
    const link = await page.getAttribute('#setup-link', 'href');
    assert.equal(
      [...new URL(link!, server.url).searchParams].flatMap(([k, v]) => [`--${k}`, v]),
      argv,
    );
    await page.close();
  }
  // a bad value is the CLI's error, shown next to the field it names, and Run waits for a fix
  const page = await open(`${server.url}?d=64,abc`, 'bad command');
  const cliMessage = (() => {
    try {
      parseSweepFlags(['--d', '64,abc']);
    } catch (e) {
      return (e as Error).message;
    }
  })();
  assert.ok(cliMessage);
  assert.is(await page.textContent('label:has(#f-d) .field-error'), cliMessage);
  assert.is(await page.getAttribute('#f-d', 'class'), 'invalid');
  assert.is(await page.isDisabled('#run'), true);
  await page.fill('#f-d', '64');
  assert.is(await page.isVisible('label:has(#f-d) .field-error'), false);
  await page.fill('#f-alpha', '2');
  assert.match(
    (await page.textContent('label:has(#f-alpha) .field-error')) ?? '',
    /^`alpha` must be a number in \(0, 1\], got 2/,
  );
  assert.is(await page.isDisabled('#run'), true);
  await page.close();
  noProblems();
});

test('Stop ends a sweep early and keeps what finished', async () => {
  const page = await open(server.url, 'stop');
  await page.click('#run');
  await page.waitForFunction(
    () => (globalThis as unknown as { prunelabDemo: { records: unknown[] } }).prunelabDemo.records.length >= 4,
    null,
    { timeout: 30_000 },
  );
  await page.click('#stop');
  await page.waitForFunction(() => document.documentElement.dataset.state === 'stopped', null, { timeout: 30_000 });
  const n = await page.evaluate(
    () => (globalThis as unknown as { prunelabDemo: { records: unknown[] } }).prunelabDemo.records.length,
  );
  assert.ok(n >= 4 && n < 117, `${n} trials kept`);
  assert.is(await page.textContent('#status'), 'Stopped.');
  assert.is(await page.isEnabled('#run'), true);
  await page.close();
  noProblems();
});

test('without COOP/COEP the page is not isolated and workers still give Node records', async () => {
  const plain = await startDemoServer({ port: 0, isolate: false });
  try {
    const page = await open(plain.url, 'plain');
    const got = await page.evaluate(
      async (cfg) => {
        const g = globalThis as unknown as {
          prunelab: {
            createWebPool(o: object): {
              size: number;
              run(c: unknown): Promise<Record<string, unknown>>;
              close(): Promise<void>;
            };
          };
        };
        const pool = g.prunelab.createWebPool({ workers: 1 });
        const r = { ...(await pool.run(cfg)) };
        await pool.close();
        delete r.timings;
        return { isolated: crossOriginIsolated, size: pool.size, rec: JSON.stringify(r) };
      },
      CONFIGS[0] as unknown as object,
    );
    assert.is(got.isolated, false);
    assert.is(got.size, 1);
    assert.is(got.rec, nodeCanon(CONFIGS[0]));
    await page.close();
  } finally {
    await plain.close();
  }
  noProblems();
});

test('opened from file:// the page works, running trials in the page', async () => {
  const page = await open(pathToFileURL(join(defaultWebRoot(), 'index.html')).href, 'file');
  const got = await page.evaluate(
    async (cfg) => {
      const g = globalThis as unknown as {
        prunelab: {
          createWebPool(): { size: number; run(c: unknown): Promise<Record<string, unknown>>; close(): Promise<void> };
        };
      };
      const pool = g.prunelab.createWebPool();
      const r = { ...(await pool.run(cfg)) };
      await pool.close();
      delete r.timings;
      return {
        size: pool.size,
        workersField: (document.getElementById('f-workers') as HTMLInputElement).value,
        rec: JSON.stringify(r),
      };
    },
    CONFIGS[1] as unknown as object,
  );
  assert.is(got.size, 0, 'an in-page pool');
  assert.is(got.workersField, '0');
  assert.is(got.rec, nodeCanon(CONFIGS[1]));
  await page.close();
  noProblems();
});

test('the embedding snippets of docs/browser.md work as written, from a folder of their own', async () => {
  const doc = readFileSync('docs/browser.md', 'utf8');
  const html = /```html\n([\s\S]*?)```/.exec(doc)?.[1];
  const js = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(html && js, 'docs/browser.md has an html and a js snippet');
  const dir = mkdtempSync(join(tmpdir(), 'prunelab-embed-'));
  for (const f of ['prunelab.browser.js', 'prunelab.worker.js']) copyFileSync(join(defaultWebRoot(), f), join(dir, f));
  const page = (body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>embed</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`;
  writeFileSync(join(dir, 'index.html'), page(html));
  // The sweep snippet, shrunk to one small dimension and one seed to keep this suite fast.
  const small = js.replace('{ d: [256, 1024], seeds: 3 }', '{ d: [64], seeds: 1 }');
  assert.not.equal(small, js, 'the sweep snippet still has the overrides this test shrinks');
  writeFileSync(
    join(dir, 'sweep.html'),
    page(`<script type="module">${small}document.body.dataset.done = '1';</script>`),
  );
  const srv = await startDemoServer({ root: dir, port: 0, isolate: false });
  try {
    const p1 = await browser.page('embed');
    await p1.goto(srv.url);
    await p1.waitForFunction(() => document.getElementById('out')?.textContent?.includes('relMse'), null, {
      timeout: 10_000,
    });
    const want = JSON.stringify(
      lab.trial({ d: 1024, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 4096, seed: 1 }).metrics,
      null,
      2,
    );
    assert.is(await p1.textContent('#out'), want);
    await p1.close();
    const p2 = await browser.page('embed-sweep');
    await p2.goto(`${srv.url}sweep.html`);
    await p2.waitForFunction(() => document.body.dataset.done === '1', null, { timeout: 30_000 });
    assert.ok((await p2.locator('svg.plot .pl-point').count()) >= 1, 'the n* plot has points');
    await p2.close();
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
  noProblems();
});

test.run();
