// <prunelab-experiment> in real Chromium (/usr/bin/chromium via playwright-core): two elements on
// one page run their sweeps on Web Workers, fire an event per trial and one at the end, draw the
// n* plot and the verdict, and every record equals Node's apart from `timings`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trialInputOf } from '../../src/trial/record.js';
import type { RecordedConfig, TrialRecord } from '../../src/core/types.js';
import { openBrowser, requireChromium } from '../helpers/chromium.js';

requireChromium('element', 180);

const { startDemoServer, defaultWebRoot } = await import('../../src/node/demo-server.js');
const { createLab } = await import('../../src/trial/lab.js');
const lab = await createLab();
const canon = (r: TrialRecord) => {
  const c = { ...r } as Partial<TrialRecord>;
  delete c.timings;
  return JSON.stringify(c);
};

const page1 = `<!doctype html><meta charset="utf-8"><title>two experiments</title><link rel="icon" href="data:,">
<script type="module" src="./prunelab.browser.js"></script>
<h3>separation</h3><prunelab-experiment id="a" preset="separation" d="64,128" seeds="1" workers="2"></prunelab-experiment>
<h3>multi</h3><prunelab-experiment id="b" preset="multi" d="64" seeds="1" workers="1"></prunelab-experiment>
<script>
  window.events = { a: [], b: [] }; window.done = {};
  for (const id of ['a', 'b']) {
    document.getElementById(id).addEventListener('prunelab-trial', (e) => window.events[id].push(e.detail));
    document.getElementById(id).addEventListener('prunelab-done', (e) => { window.done[id] = e.detail; });
    document.getElementById(id).addEventListener('prunelab-error', (e) => { window.done[id] = { error: String(e.detail) }; });
  }
</script>`;

const root = defaultWebRoot();
const pageFile = join(root, 'element-test.html');
writeFileSync(pageFile, page1);
const server = await startDemoServer({ port: 0 });

test('two <prunelab-experiment> on one page: events, plot, verdict, records equal to Node', async () => {
  const browser = await openBrowser();
  try {
    const page = await browser.page('elements');
    await page.goto(`${server.url}element-test.html`);
    await page.waitForFunction(
      () =>
        (window as unknown as { done: Record<string, unknown> }).done.a &&
        (window as unknown as { done: Record<string, unknown> }).done.b,
      null,
      { timeout: 150_000 },
    );
    const got = (await page.evaluate(() => {
      const w = window as unknown as {
        events: Record<string, unknown[]>;
        done: Record<string, { records: unknown[]; verdict: string | null; error?: string }>;
      };
      return {
        events: w.events,
        done: w.done,
        svg: document.querySelectorAll('prunelab-experiment svg').length,
        text: [...document.querySelectorAll('.prunelab-verdict')].map((p) => p.textContent),
      };
    })) as {
      events: Record<string, TrialRecord[]>;
      done: Record<string, { records: TrialRecord[]; verdict: string | null; error?: string }>;
      svg: number;
      text: string[];
    };
    browser.noProblems();
    for (const id of ['a', 'b']) {
      assert.not.ok(got.done[id]!.error, got.done[id]!.error);
      assert.ok(got.events[id]!.length > 3, `${id}: ${got.events[id]!.length} trial events`);
      assert.is(got.done[id]!.records.length, got.events[id]!.length, 'one event per trial');
      assert.match(got.done[id]!.verdict ?? '', /^verdict: /);
      for (const r of got.done[id]!.records)
        assert.is(
          canon(r),
          canon(lab.trial(trialInputOf(r.config as RecordedConfig) as Parameters<typeof lab.trial>[0])),
          `${id}: ${r.id}`,
        );
    }
    assert.is(got.svg >= 2, true, 'each element drew its n* plot');
    for (const t of got.text) assert.match(t ?? '', /trial\(s\)\. verdict: /);
    if (process.env.PRUNELAB_SCREENSHOT)
      await page.screenshot({ path: process.env.PRUNELAB_SCREENSHOT, fullPage: true });
  } finally {
    await browser.close();
  }
});

test.after(async () => {
  await server.close();
  rmSync(pageFile, { force: true });
});
test.run();
