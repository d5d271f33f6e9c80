// What every suite under test/env/ needs from Chromium: Debian's binary (never a download), a skip
// that says how to install it (a failure under PRUNELAB_REQUIRE_BROWSER=1), a deadline so a stuck
// browser cannot hang the run, and one context on a fresh profile with the pages' errors collected.
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = process.env.PRUNELAB_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Exits this suite as skipped (scripts/test.mjs reads `prunelab:skip`) when Chromium is missing,
 * and as failed after `giveUpSeconds`: uvu has no timeouts and scripts/test.mjs waits for each suite.
 */
export function requireChromium(suite: string, giveUpSeconds: number): void {
  if (!existsSync(CHROMIUM)) {
    const bar = '!'.repeat(78);
    process.stderr.write(
      `\n${bar}\n!!! ${suite} tests SKIPPED: ${CHROMIUM} is missing.\n!!! They run the demo page and the library in real Chromium. Install it with:\n!!!     apt-get update && apt-get install -y chromium\n!!! (or point PRUNELAB_CHROMIUM at a Chromium binary), then run npm test again.\n${bar}\n\n`,
    );
    process.stdout.write(`prunelab:skip ${CHROMIUM} missing; install it with: apt-get install -y chromium\n`);
    process.exit(process.env.PRUNELAB_REQUIRE_BROWSER === '1' ? 1 : 0);
  }
  setTimeout(() => {
    process.stderr.write(`${suite}.test: gave up after ${giveUpSeconds} s (Chromium stuck?)\n`);
    process.exit(1);
  }, giveUpSeconds * 1000).unref();
}

/** One persistent context on a fresh profile; its pages' errors and console errors are collected. */
export interface BrowserSession {
  context(): BrowserContext;
  /** A new page whose errors are collected under `label`. */
  page(label: string): Promise<Page>;
  /** Asserts that no page reported an error since the last call. */
  noProblems(): void;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'prunelab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  const problems: string[] = [];
  return {
    context: () => context,
    async page(label) {
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`${label}: page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()}`);
      });
      return page;
    },
    noProblems() {
      const seen = problems.splice(0);
      assert.equal(seen, [], seen.join('\n'));
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
