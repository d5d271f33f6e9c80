// The README's results table is generated, never retyped: its block between the claims markers
// is exactly what `prunelab paper --readme` makes from the committed docs/claims.json.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { claimsTable, parseClaimsJson } from '../src/analysis/report/claims.js';
import { withClaimsTable } from '../src/node/commands/paper.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the README claims table is docs/claims.json as prunelab paper --readme writes it', () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const file = parseClaimsJson(readFileSync(`${root}docs/claims.json`, 'utf8'));
  assert.ok(file.claims.length >= 8, `${file.claims.length} claims`);
  assert.is(readme, withClaimsTable(readme, claimsTable(file)), 'run: prunelab paper --readme README.md --out docs');
  // and the check can fail: a retyped verdict is told apart
  const edited = readme.replace(/\*\*holds\*\* \(quick\)/, '**fails** (quick)');
  assert.is.not(edited, withClaimsTable(edited, claimsTable(file)));
});

test.run();
