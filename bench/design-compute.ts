// The adaptive design against the √2-grid search with 5 seeds, on the synthetic learner of
// test/helpers/design-comparison.ts, measured in one run (DESIGN §5: ≤ 0.5 of the compute at an
// equal or narrower width of b). For each σ: the search over R replications (its bootstrap
// interval of b, and the joint fit on its records), then the adaptive design twice: with its
// target width set to the search's mean bootstrap width just measured (the like-for-like row),
// and with its default target. Not a speed benchmark: it measures what each design spends for
// the precision it reaches. Compute is Σ n·d over the trials a design ran.
// Usage: node dist/bench/design-compute.js [reps] [b] [sigmas, comma-separated]
import { ADAPTIVE_DEFAULTS } from '../src/experiment/design-adaptive.js';
import { type ComparisonSetup, runAdaptive, runSearch } from '../test/helpers/design-comparison.js';

const reps = Number(process.argv[2] ?? 40);
const b = Number(process.argv[3] ?? 1);
const sigmas = (process.argv[4] ?? '0.2,0.4,0.8').split(',').map(Number);
const f = (x: number, p = 3) => x.toPrecision(p);

interface Row {
  width: number;
  compute: number;
  covered: number;
  rmse: number;
}
function summary(xs: { ok: boolean; b: number; lo: number; hi: number; width: number; compute: number }[]): Row {
  const ok = xs.filter((x) => x.ok);
  return {
    width: xs.reduce((k, x) => k + x.width, 0) / xs.length,
    compute: xs.reduce((k, x) => k + x.compute, 0) / xs.length,
    covered: ok.filter((x) => x.lo <= b && b <= x.hi).length,
    rmse: Math.sqrt(ok.reduce((k, x) => k + (x.b - b) ** 2, 0) / ok.length),
  };
}

const t0 = performance.now();
console.log(`truth a=2 b=${b}, d=256,1024,4096, ${reps} replications per row; widths are of 90% intervals of b`);
console.log(
  'sigma | design                          | width  | width ratio | compute  | compute ratio | covers b | rmse of b',
);
for (const sigma of sigmas) {
  const setup: ComparisonSetup = { truth: { a: 2, b, sigma }, ds: [256, 1024, 4096], budget: 2 ** 32, searchSeeds: 5 };
  const searches = Array.from({ length: reps }, (_, r) => runSearch(setup, r));
  const S = summary(searches);
  const jointWidth = searches.reduce((k, x) => k + x.jointWidth, 0) / reps;
  const jointCovered = searches.filter((x) => x.jointCovers).length;
  const row = (name: string, x: Row) =>
    console.log(
      `${f(sigma, 2).padEnd(5)} | ${name.padEnd(31)} | ${f(x.width).padEnd(6)} | ${f(x.width / S.width).padEnd(11)} | ${x.compute.toExponential(2)} | ${f(x.compute / S.compute).padEnd(13)} | ${`${x.covered}/${reps}`.padEnd(8)} | ${f(x.rmse)}`,
    );
  row('search, 5 seeds (bootstrap)', S);
  console.log(
    `${f(sigma, 2).padEnd(5)} | ${'search, 5 seeds (joint fit)'.padEnd(31)} | ${f(jointWidth).padEnd(6)} | ${f(jointWidth / S.width).padEnd(11)} | ${S.compute.toExponential(2)} | ${'1'.padEnd(13)} | ${`${jointCovered}/${reps}`.padEnd(8)} |`,
  );
  const target = Number(S.width.toFixed(3));
  row(
    `adaptive, target ${target} (= search)`,
    summary(Array.from({ length: reps }, (_, r) => runAdaptive(setup, r, { targetWidth: target }))),
  );
  row(
    `adaptive, default ${ADAPTIVE_DEFAULTS.targetWidth}`,
    summary(Array.from({ length: reps }, (_, r) => runAdaptive(setup, r))),
  );
}
console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
