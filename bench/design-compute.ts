// The adaptive design against the √2-grid search with 5 seeds, on the synthetic learner of
// test/helpers/design-comparison.ts: mean exponent-interval width, coverage and compute (Σ n·d)
// of each, over many replications. Not a speed benchmark: it measures what each design spends
// for the precision it reaches. Usage: node dist/bench/design-compute.js [reps] [targetWidth] [b] [sigma]
import { compareDesigns } from '../test/helpers/design-comparison.js';

const reps = Number(process.argv[2] ?? 40);
const targetWidth = Number(process.argv[3] ?? 1);
const setup = {
  truth: { a: 2, b: Number(process.argv[4] ?? 1), sigma: Number(process.argv[5] ?? 0.4) },
  ds: [256, 1024, 4096],
  budget: 2 ** 32,
  searchSeeds: 5,
};
const t0 = performance.now();
const r = compareDesigns(setup, reps, { targetWidth });
const f = (x: number, p = 3) => x.toPrecision(p);
console.log(
  `truth a=${setup.truth.a} b=${setup.truth.b} sigma=${setup.truth.sigma}, d=${setup.ds.join(',')}, ${reps} replications, adaptive target width ${targetWidth} octaves`,
);
for (const [name, x] of [
  ['adaptive', r.adaptive],
  ['search (5 seeds, whole-seed bootstrap)', r.search],
] as const)
  console.log(
    `  ${name}: mean 90% width of b ${f(x.meanWidth)}, covers b in ${x.covered}/${reps}, rmse of b ${f(x.rmse)}, mean trials ${f(x.meanTrials)}, mean compute ${x.meanCompute.toExponential(2)}`,
  );
console.log(
  `  compute ratio adaptive/search ${f(r.computeRatio)}, width ratio ${f(r.widthRatio)}; adaptive no wider in ${r.adaptiveNarrower}/${reps}, cheaper in ${r.adaptiveCheaper}/${reps} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);
