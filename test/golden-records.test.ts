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
    sha: 'c04c91ed4d478df81436fa8fd1db7df9d51bb09de527b12dedb88a15b9d51834',
  },
  {
    name: 'oracle he3',
    config: { d: 64, alpha: 0.5, link: 'he3', method: 'oracle', n: 512, seed: 2 },
    sha: '97c840956cc3c6cbef4d6e98f528415ad1cb0e27ff35ef3f8758fb371ad34b21',
  },
  {
    name: 'random he2',
    config: { d: 64, alpha: 0.5, link: 'he2', method: 'random', n: 512, seed: 3 },
    sha: 'a2f7fc4da31b65bf0b56c0edbadaf988fa9e361ee41d3a118cc16f67d3dcc6fa',
  },
  {
    name: 'hermite he2+he3',
    config: { d: 128, alpha: 0.25, link: 'he2+he3', method: 'hermite', n: 2048, seed: 4 },
    sha: '02d0a3ee8e17eb699f96c5bfed3ac38b8e7e96880297ea5e3534097c08e7b55b',
  },
  {
    name: 'hermite-thr he2',
    config: { d: 256, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 2048, seed: 5 },
    sha: 'd6e877ac8c1d019d3041b22b3f4bf8e912fece2c6cae35cd76cd00a2fa7b52ea',
  },
  {
    name: 'gradmag he2',
    config: { d: 64, alpha: 0.5, link: 'he2', method: 'gradmag', n: 1024, seed: 6 },
    sha: '77342550f74a585a0bfffe78f9c14684a8113763deb2cbc26f61b38dd39c6600',
  },
  {
    name: 'lq hermite-thr',
    config: { d: 128, alpha: 0.4, sparsity: 'lq', q: 0.5, link: 'he2', method: 'hermite-thr', n: 2048, seed: 7 },
    sha: '454b97937b124b9c3cb34102f0612c681ddcc5e0f9367a4feade06be51f0872d',
  },
  {
    name: 'gaussian entries, sum-he2 r=2',
    config: { d: 100, s: 6, r: 2, entries: 'gaussian', link: 'sum-he2', method: 'oracle', n: 1024, seed: 8 },
    sha: '12015fa65ae3c1b976c42b5431c354ca07713308da16e35d73f8172906724f23',
  },
  {
    name: 'prod2 r=2 hermite-thr',
    config: { d: 128, alpha: 0.5, r: 2, link: 'prod2', method: 'hermite-thr', n: 2048, seed: 9 },
    sha: 'a5543b247fb828d66d1429c84888b0d5127e9daca59892c25502253e153f90f0',
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
    sha: '1e17de5ec0a6aad17303b131090d14d47a9c2146bf2b5fd83304593832d1a8ad',
  },
  {
    name: 'fresh batches, finite eta',
    config: { d: 64, alpha: 0.5, link: 'he2', method: 'none', n: 4096, batch: 'fresh', eta: 0.5, seed: 11 },
    sha: '4e7bd1cb4a36f5f4e69ba72307b970e33418718198155a206f0f714cec791021',
  },
  {
    name: 'fresh batches hermite-thr',
    config: { d: 128, alpha: 0.25, link: 'he2', method: 'hermite-thr', n: 4096, batch: 'fresh', seed: 12 },
    sha: '4de19002522a895c04910ef32adbeacbcd9b4a19fdde715a93e95a2f29d77928',
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
