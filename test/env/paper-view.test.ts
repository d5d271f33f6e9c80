// The demo page's paper view in real Chromium (/usr/bin/chromium via playwright-core, as in
// browser.test.ts): the quick checklist of C1 and C4 run in the tab on Web Workers gives, for
// every experiment, the records `runClaimExperiments` gives in Node with an in-thread runner (the
// same trials, the same seeds, bit for bit apart from `timings`), and the claims' verdicts the
// page shows, downloads and writes in claims.json are Node's `claimResults` on those records.
//
// The registry's quick tier takes minutes, so the run goes through the view's script hook
// (prunelabDemo.paper.run({ experiments })) with stand-ins for k2 and alpha at d = 64, 128 (and
// two α for C4): the same claims, rules, design and code path, a few seconds of trials. The hook
// is also checked to say so on the page. Run and Stop are tested on the registry's own
// experiments, stopped after a few trials.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import type { TrialRecord } from '../../src/core/types.js';
import type { Experiment } from '../../src/experiment/claims.js';
import { openBrowser, requireChromium, type BrowserSession } from '../helpers/chromium.js';

requireChromium('paper view', 150);

const { startDemoServer } = await import('../../src/node/demo-server.js');
const { createLab } = await import('../../src/trial/lab.js');
const { EXPERIMENTS } = await import('../../src/experiment/claims.js');
const { claimResults, runClaimExperiments, selectClaims } = await import('../../src/experiment/claims-run.js');
const { parseClaimsJson } = await import('../../src/analysis/report/claims.js');
type Page = import('playwright-core').Page;

/** A registry experiment at small d (and, for alpha, two α), everything else as registered. */
function standIn(name: string, d: number[], alphas?: number[]): Experiment {
  const e = structuredClone(EXPERIMENTS[name]!);
  e.spec.d = d;
  delete e.spec.extraD;
  if (alphas) e.spec.settings = alphas.map((alpha) => ({ ...e.spec.settings[0]!, alpha }));
  return e;
}
const STAND_INS = [
  standIn('k2', [64, 128]),
  standIn('alpha', [64, 128], [0.25, 0.5]),
  standIn('alpha-high', [64, 128], [0.625]),
];
const CLAIM_IDS = ['C1', 'C4'];

const canon = (r: unknown): string => {
  const c = { ...(r as Record<string, unknown>) };
  delete c.timings;
  return JSON.stringify(c);
};

const lab = await createLab();
const inNode: Record<string, TrialRecord[]> = Object.fromEntries(STAND_INS.map((e) => [e.name, []]));
await runClaimExperiments(selectClaims(CLAIM_IDS), {
  tier: 'quick',
  runner: { run: async (trial) => lab.trial(trial) },
  experiments: STAND_INS,
  onResult: (r, e) => inNode[e.name]!.push(r),
});

const server = await startDemoServer({ port: 0 });
let browser: BrowserSession;

async function open(label: string): Promise<Page> {
  const page = await browser.page(label);
  await page.goto(`${server.url}#paper`);
  await page.waitForFunction(() => document.documentElement.dataset.paperState === 'ready', null, {
    timeout: 10_000,
  });
  return page;
}
const noProblems = () => browser.noProblems();
const settled = (page: Page, timeout: number) =>
  page.waitForFunction(
    () => ['done', 'stopped', 'failed'].includes(document.documentElement.dataset.paperState ?? ''),
    null,
    { timeout },
  );

test.before(async () => {
  browser = await openBrowser();
});

test.after(async () => {
  await browser?.close();
  await server.close();
});

test('the #paper address opens the paper view, with the claims, the estimate and the command before any run', async () => {
  const page = await open('open');
  assert.is(await page.isVisible('main[data-view="paper"]'), true);
  assert.is(await page.isVisible('main[data-view="sweep"]'), false);
  assert.is(await page.getAttribute('#views [data-view-tab="paper"]', 'aria-selected'), 'true');
  assert.equal(
    await page.locator('#paper-claims input:checked').evaluateAll((b) => b.map((x) => (x as HTMLInputElement).value)),
    CLAIM_IDS,
  );
  assert.is(await page.textContent('#paper-cli'), 'prunelab paper --claim C1,C4 --tier quick');
  assert.match(
    (await page.textContent('#paper-estimate')) ?? '',
    /Experiments k2, alpha, alpha-high: about \d+ trials .* min/,
  );
  await page.uncheck('#paper-claims input[value="C4"]');
  assert.is(await page.textContent('#paper-cli'), 'prunelab paper --claim C1 --tier quick');
  assert.match((await page.textContent('#paper-estimate')) ?? '', /^Experiments k2: /);
  await page.fill('#paper-workers', 'x');
  assert.match((await page.textContent('#paper-setup-error')) ?? '', /workers/);
  assert.is(await page.isDisabled('#paper-run'), true);
  assert.is(await page.locator('#paper-checklist .claim').count(), 2, 'a card per claim, not run yet');
  assert.is(await page.locator('#paper-checklist .v.not-run').count(), 4);
  await page.close();
  noProblems();
});

test('the checklist run in the page (3 workers) has Node records per experiment and Node verdicts; the files carry it on', async () => {
  const page = await open('run');
  await page.evaluate(
    (experiments) =>
      (globalThis as unknown as { prunelabDemo: { paper: { run(o: object): Promise<void> } } }).prunelabDemo.paper.run({
        workers: 3,
        experiments,
      }),
    STAND_INS as unknown as object[],
  );
  await settled(page, 60_000);
  const got = await page.evaluate(() => {
    const p = (
      globalThis as unknown as {
        prunelabDemo: { paper: { state: string; records: Record<string, unknown[]>; results: unknown[] } };
      }
    ).prunelabDemo.paper;
    return {
      state: p.state,
      status: document.getElementById('paper-status-detail')!.textContent,
      records: p.records,
      // as text: the results share arrays (a condition's ds is its first α's), which the page's serialiser would cut
      results: JSON.stringify(p.results),
    };
  });
  assert.is(got.state, 'done', got.status ?? '');
  for (const name of STAND_INS.map((e) => e.name)) {
    const page = (got.records[name] ?? []).map(canon).sort();
    const node = inNode[name]!.map(canon).sort();
    assert.ok(node.length >= 20, `${name}: ${node.length} trials in Node`);
    assert.equal(page, node, `${name}: the page's records are Node's`);
  }
  // the verdicts are Node's on the same records in the same order (the page's arrival order)
  const want = claimResults(selectClaims(CLAIM_IDS), got.records as unknown as Record<string, TrialRecord[]>);
  assert.is(got.results, JSON.stringify(want));

  // the checklist: a summary row and a card per claim, each condition with its value, interval and range
  const shown = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#paper-checklist .claim')].map((c) => ({
      id: c.id,
      verdict: c.dataset.verdict,
      badge: c.querySelector('h2 .v')?.textContent,
      provisional: c.querySelector('.provisional') !== null,
      rows: [...c.querySelectorAll('table tr')].slice(1).map((tr) => [...tr.children].map((td) => td.textContent)),
      svg: c.querySelectorAll('svg').length,
      command: c.querySelector('.claim-foot code')?.textContent,
    })),
  );
  assert.equal(
    shown.map((c) => [c.id, c.verdict, c.provisional]),
    want.map((r) => [`claim-${r.id}`, r.verdict, false]),
  );
  want.forEach((r, i) => {
    const c = shown[i]!;
    assert.is(c.badge, r.verdict === 'fails' ? 'FAILS' : r.verdict);
    assert.is(c.rows.length, r.conditions.length, r.id);
    r.conditions.forEach((cond, j) => {
      assert.is(c.rows[j]![0], cond.label);
      assert.is(c.rows[j]![2], cond.range.text);
      assert.is(c.rows[j]![3], cond.verdict === 'fails' ? 'FAILS' : cond.verdict);
    });
    assert.ok(c.svg >= 1, `${r.id} has its figure`);
    assert.is(c.command, `prunelab paper --claim ${r.id} --tier quick --out results/paper`);
  });
  assert.is(await page.locator('#paper-checklist table.checklist tr[data-claim]').count(), 2);
  // the hook says so: the stand-ins are named above the checklist
  assert.match((await page.textContent('#paper-stand-in')) ?? '', /^Test size\. A script replaced the experiments k2/);
  assert.is(await page.isVisible('#paper-stand-in'), true);

  // the files: each experiment's JSONL is its records; claims.json is the verdicts
  for (const name of STAND_INS.map((e) => e.name)) {
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`#paper-experiment-files button[data-experiment="${name}"]`),
    ]);
    assert.is(dl.suggestedFilename(), `${name}.jsonl`);
    const lines = readFileSync(await dl.path(), 'utf8')
      .trim()
      .split('\n');
    assert.equal(lines.map((l) => canon(JSON.parse(l))).sort(), inNode[name]!.map(canon).sort());
  }
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#paper-download-claims')]);
  assert.is(dl.suggestedFilename(), 'claims.stand-in.json', 'a stand-in run cannot pass for the paper');
  const file = parseClaimsJson(readFileSync(await dl.path(), 'utf8'));
  assert.equal(
    file.claims.map((c) => [c.id, c.verdict, c.trials]),
    want.map((c) => [c.id, c.verdict, c.trials]),
  );
  await page.close();
  noProblems();
});

test('Run starts the registry quick tier and Stop keeps what finished, judged as far as it goes', async () => {
  const page = await open('stop');
  await page.uncheck('#paper-claims input[value="C4"]');
  await page.fill('#paper-workers', '2');
  await page.click('#paper-run');
  await page.waitForFunction(
    () =>
      Object.values(
        (globalThis as unknown as { prunelabDemo: { paper: { records: Record<string, unknown[]> } } }).prunelabDemo
          .paper.records,
      ).flat().length >= 4,
    null,
    { timeout: 30_000 },
  );
  assert.match((await page.textContent('#paper-status')) ?? '', /^Running: \d+ of about \d+ trials/);
  assert.match((await page.textContent('#paper-status-detail')) ?? '', /trials by experiment: k2 \d+/);
  assert.is(await page.isDisabled('#paper-claims input[value="C1"]'), true, 'the setup is locked while running');
  await page.click('#paper-stop');
  await settled(page, 60_000);
  assert.is(await page.evaluate(() => document.documentElement.dataset.paperState), 'stopped');
  assert.is(await page.textContent('#paper-status'), 'Stopped.');
  assert.is(await page.isVisible('#paper-stand-in'), false, 'the Run button runs the registry, no stand-ins');
  const n = await page.evaluate(
    () =>
      (globalThis as unknown as { prunelabDemo: { paper: { records: Record<string, unknown[]> } } }).prunelabDemo.paper
        .records.k2!.length,
  );
  assert.ok(n >= 4, `${n} trials kept`);
  assert.is(await page.textContent('#paper-experiment-files button[data-experiment="k2"] .count'), `(${n})`);
  assert.is(await page.locator('#claim-C1 table tr').count(), 3, 'a header and C1’s two conditions');
  assert.is(await page.isEnabled('#paper-run'), true);
  await page.close();
  noProblems();
});

test.run();
