// Golden hashes of whole trial records (timings left out): one per method, sparsity family,
// batch mode and link family. They pin the science through refactors: a layout change must leave
// every one of them as it is. Changing one is a deliberate commit that says why.
// Made with wasm sha256 755d236c3aa4 (the wasm may change with other kernels; records must not,
// except for `wasmSha` and `version`, which are left out of the hash with the timings).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { createLab, type TrialInput } from '../src/index.js';

const CASES: { name: string; config: TrialInput; sha: string }[] = [
  {
    name: 'none reuse he2',
    config: { d: 64, alpha: 0.5, link: 'he2', method: 'none', n: 1024, seed: 1 },
    sha: '6de22fada204f39ebf7ed616a79f77bd2a7203bd0f59b46f54597313a2f53381',
  },
  {
    name: 'oracle he3',
    config: { d: 64, alpha: 0.5, link: 'he3', method: 'oracle', n: 512, seed: 2 },
    sha: '028a59d8e02e919f11d21a3ffaec8c375c2768eda0b4d1301b9179ccd41bf47a',
  },
  {
    name: 'random he2',
    config: { d: 64, alpha: 0.5, link: 'he2', method: 'random', n: 512, seed: 3 },
    sha: '1a21c1849c60e751e540b2e29a372f04d8440bd389054b5c5265100754e7b0e7',
  },
  {
    name: 'hermite he2+he3',
    config: { d: 128, alpha: 0.25, link: 'he2+he3', method: 'hermite', n: 2048, seed: 4 },
    sha: '8ddf81425afaa66fe78ea8a6c0f9d971a4d6645579f7e1a8a93c0272c76cd370',
  },
  {
    name: 'hermite-thr he2',
    config: { d: 256, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 2048, seed: 5 },
    sha: '0a7df4be9c3b10869ba143f9999215d4ab06e9520ac05e8cee48f12ee16bfb85',
  },
  {
    name: 'gradmag he2',
    config: { d: 64, alpha: 0.5, link: 'he2', method: 'gradmag', n: 1024, seed: 6 },
    sha: 'a76cc61c71629d7fe03b1c01915b7fa72094c815ea493acaecb1752113e86abd',
  },
  {
    name: 'lq hermite-thr',
    config: { d: 128, alpha: 0.4, sparsity: 'lq', q: 0.5, link: 'he2', method: 'hermite-thr', n: 2048, seed: 7 },
    sha: '5ac780cbb595ac0e154732ba103fa2b06244ae16e4ae6518d042d04a011719d2',
  },
  {
    name: 'soft hermite-thr',
    config: {
      d: 128,
      alpha: 0.4,
      sparsity: 'soft',
      q: 0.5,
      gamma: 3,
      link: 'he2',
      method: 'hermite-thr',
      n: 2048,
      seed: 13,
    },
    sha: '425cf3ee7817c18f80ffd2442d14c94be9907a6d3c57d81c05266e5c766dc9bd',
  },
  {
    name: 'gaussian entries, sum-he2 r=2',
    config: { d: 100, s: 6, r: 2, entries: 'gaussian', link: 'sum-he2', method: 'oracle', n: 1024, seed: 8 },
    sha: 'd00aa4d8863d2527f392652d5699b080da9e192ae26756b9fb24a3bdd5089f9c',
  },
  {
    name: 'prod2 r=2 hermite-thr',
    config: { d: 128, alpha: 0.5, r: 2, link: 'prod2', method: 'hermite-thr', n: 2048, seed: 9 },
    sha: '3759a1a79f57428a440a6d138f10fe96f896e8fe4f6f3eacdfb5208695cbc653',
  },
  {
    name: 'terms link',
    config: {
      d: 64,
      alpha: 0.5,
      link: [
        { coef: 0.6, degrees: [2] },
        { coef: 0.8, degrees: [4] },
      ],
      method: 'oracle',
      n: 512,
      seed: 10,
    },
    sha: 'bf134a53ddc2ee18d5feb9ef2bee5b1dc687227d26e435a481f31b7e55ae3c46',
  },
  {
    name: 'fresh batches, finite eta',
    config: { d: 64, alpha: 0.5, link: 'he2', method: 'none', n: 4096, batch: 'fresh', eta: 0.5, seed: 11 },
    sha: '2cb526931cb1f433efa047dd363fc7192a1e2bfa2cf069ca3ea0ea810bf13552',
  },
  {
    name: 'subspace path (none, fresh, d >= 2K)',
    config: {
      d: 640,
      alpha: 0.25,
      link: 'he2',
      method: 'none',
      n: 8192,
      batch: 'fresh',
      sim: 'subspace',
      seed: 13,
    },
    sha: '2d74d87f09e4d111fcd02f6b7682c822567bdc1444790daf4f7acf56165b77cd',
  },
  {
    name: 'fresh batches hermite-thr',
    config: { d: 128, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 4096, batch: 'fresh', seed: 12 },
    sha: '0880e7c757f501d3b27f189d32c35f431e8868bb9fcb28765c3250fc184e9856',
  },
  {
    name: 'compact simulation, dense fresh he2',
    config: { d: 4096, alpha: 0.25, link: 'he2', method: 'none', n: 20000, batch: 'fresh', sim: 'compact', seed: 13 },
    sha: 'fbe89a85e825d080544683af3d59377d299e9eb38bc6c0aaa12b6ace43fee001',
  },
];

const hashOf = (record: object): string => {
  const { timings: _t, wasmSha: _w, version: _v, ...rest } = record as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
};

test('whole trial records keep their golden hashes', async () => {
  const lab = await createLab();
  const wrong: string[] = [];
  for (const c of CASES) {
    const got = hashOf(lab.trial(c.config));
    if (process.env.PRUNELAB_PRINT_GOLDEN) console.log(`${c.name}: ${got}`);
    if (got !== c.sha) wrong.push(`${c.name}: got ${got}, golden ${c.sha}`);
  }
  assert.equal(wrong, [], wrong.join('\n'));
});

test('the golden hash sees a change of any field', () => {
  const base = {
    id: 'x',
    version: '0.1.0',
    wasmSha: 'a',
    config: { d: 1 },
    metrics: { relMse: 0.1 },
    timings: { maskMs: 1 },
  };
  assert.is(
    hashOf(base),
    hashOf({ ...base, timings: { maskMs: 2 }, wasmSha: 'b' }),
    'timings and wasmSha are left out',
  );
  assert.is.not(hashOf(base), hashOf({ ...base, metrics: { relMse: 0.1000001 } }), 'a metric change shows');
});

test.run();
