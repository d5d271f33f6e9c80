// e^x for x ≤ 0, for the inner loops of the grid posteriors (stats/joint-fit.ts, the design),
// which turn millions of log-weights into weights. Same answer on every engine (only + and ×
// on tabulated doubles), within a few ulp of expd (test/exp-neg.test.ts bounds it), and several
// times cheaper: x = −(a + b/64 + r), e^x = e^−a · e^(−b/64) · e^−r with a ≤ 745, b < 64,
// r in [0, 1/64), the first two from tables made once with expd, the last from its Taylor series
// to degree 6 ((1/64)^7/7! < 5e-17).
import { expd } from '../core/math.js';

const WHOLE = new Float64Array(746);
const SIXTY_FOURTHS = new Float64Array(64);
for (let a = 0; a < WHOLE.length; a++) WHOLE[a] = expd(-a);
for (let b = 0; b < 64; b++) SIXTY_FOURTHS[b] = expd(-b / 64);

/** e^x for x ≤ 0 (0 below −745; x > 0 is not supported and returns expd(x)). */
export function expNeg(x: number): number {
  if (!(x <= 0)) return expd(x);
  const t = -x * 64;
  if (t >= 745 * 64) return expd(x);
  const k = Math.floor(t);
  const r = (t - k) / 64;
  const p = 1 - r * (1 - (r / 2) * (1 - (r / 3) * (1 - (r / 4) * (1 - (r / 5) * (1 - r / 6)))));
  return WHOLE[k >> 6]! * SIXTY_FOURTHS[k & 63]! * p;
}
