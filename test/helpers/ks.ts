// Two-sample Kolmogorov–Smirnov for the simulation tests: the statistic and its asymptotic p-value
// (Stephens' small-sample correction). Host Math here is fine: nothing of it is published.

/** The asymptotic p-value of the two-sample KS statistic of a and b. */
export function ksP(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q),
    y = [...b].sort((p, q) => p - q);
  let i = 0,
    j = 0,
    D = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    D = Math.max(D, Math.abs(i / x.length - j / y.length));
  }
  const ne = (x.length * y.length) / (x.length + y.length);
  const lam = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * D;
  let p = 0;
  for (let k = 1; k < 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lam * lam);
  return Math.min(1, Math.max(0, p));
}
