// Synthetic trial records for the claim verdicts (test/verdict.test.ts): a learner whose success
// probability at (d, n) is Φ((log₂ n − μ(d))/σ) with μ(d) given, trials on a fixed √2 grid around
// the truth, every trial an independent draw from a seeded PRNG. The records have the real shape
// (test/helpers/records.ts), so claimVerdict reads them as it reads a sweep's.
import { normalCdf } from '../../src/core/math.js';
import type { Prng } from '../../src/core/prng.js';
import type { RecordedConfig, TrialRecord } from '../../src/core/types.js';
import { gridN } from '../../src/stats/n-grid.js';
import { makeRecord, sFor } from './records.js';

export interface SyntheticLearner {
  method: RecordedConfig['method'];
  config: Partial<RecordedConfig>;
  ds: readonly number[];
  /** log₂ n*50 at d (s is round(d^alpha) when the config has alpha). */
  mu: (d: number, s: number) => number;
  sigma: number;
  /** Trials per grid n, and the half-width of the n window around the truth in octaves. */
  trials: number;
  octaves: number;
  /** The per-trial cap on n: cells above it are not run (so a learner above it is censored). */
  cap?: number;
}

export function syntheticRecords(l: SyntheticLearner, prng: Prng): TrialRecord[] {
  const out: TrialRecord[] = [];
  const alpha = l.config.alpha ?? 0.25;
  for (const d of l.ds) {
    const s = l.config.s ?? sFor(d, alpha);
    const mu = l.mu(d, s);
    let seed = 1;
    for (let j = 0; j <= 70; j++) {
      const n = gridN(j);
      const x = Math.log2(n);
      if (x < mu - l.octaves || x > mu + l.octaves) continue;
      if (l.cap !== undefined && n > l.cap) continue;
      for (let t = 0; t < l.trials; t++) {
        const success = prng.next() < normalCdf((x - mu) / l.sigma);
        out.push(makeRecord({ ...l.config, method: l.method, d, s, n, seed: seed++ }, { success }));
      }
    }
  }
  return out;
}
