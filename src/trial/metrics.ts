// The metrics of a finished trial (DESIGN §2.2): support recall and precision of the mask, |M|,
// the alignment max and median over neurons of ||P_V w_j||, and the test relative MSE; for the
// soft family also V's participation ratio and the share of ||V||^2 on the mask (DESIGN §2.1).
import type { Teacher } from './teacher.js';
import type { TrialMetrics } from '../core/types.js';

/**
 * `mask` null is the dense net (all d coordinates); W is the trained first layer (m x |M|, a copy),
 * null when stage 2 did not run. Alignment is left null for a trial that diverged at any stage.
 */
export function trialMetrics(
  teacher: Teacher,
  m: number,
  mask: Int32Array | null,
  W: Float32Array | null,
  relMse: number | null,
  diverged: boolean,
): TrialMetrics {
  const T = teacher;
  const k = mask ? mask.length : T.d;
  const inSupport = new Uint8Array(T.d);
  for (const i of T.support) inSupport[i] = 1;
  let hit = 0;
  if (mask) {
    for (const i of mask) hit += inSupport[i]!;
  } else hit = T.s;
  let alignMax: number | null = null,
    alignMedian: number | null = null;
  if (W && !diverged) {
    // ||P_V w_j|| = ||V^T w_j|| (orthonormal columns), over the coordinates the net reads
    const a: number[] = [];
    for (let j = 0; j < m; j++) {
      let n2 = 0;
      for (let l = 0; l < T.r; l++) {
        let z = 0;
        for (let col = 0; col < k; col++) {
          const i = mask ? mask[col]! : col;
          z += T.V[i * T.r + l]! * W[j * k + col]!;
        }
        n2 += z * z;
      }
      a.push(Math.sqrt(n2));
    }
    a.sort((x, y) => x - y);
    alignMax = a[a.length - 1] ?? null;
    alignMedian =
      a.length === 0 ? null : a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
  }
  const metrics: TrialMetrics = {
    relMse,
    alignMax,
    alignMedian,
    supportRecall: hit / T.s,
    supportPrecision: k === 0 ? 0 : hit / k,
    maskSize: k,
  };
  // Only the soft family records these, so the records of the other families keep their bytes.
  if (T.sparsity === 'soft') {
    metrics.participationRatio = T.participationRatio;
    metrics.massInMask = mask ? massOn(T, mask) : 1;
  }
  return metrics;
}

/** sum_{i in mask} ||V_i||^2 / sum_i ||V_i||^2, each sum in coordinate order. */
function massOn(T: Teacher, mask: Int32Array): number {
  const rowMass = (i: number) => {
    let n2 = 0;
    for (let l = 0; l < T.r; l++) n2 += T.V[i * T.r + l]! * T.V[i * T.r + l]!;
    return n2;
  };
  let inside = 0,
    total = 0;
  for (const i of mask) inside += rowMass(i);
  for (let i = 0; i < T.d; i++) total += rowMass(i);
  return inside / total;
}
