// Summaries of posteriors held on grids, each returned as the one Interval shape (stats/interval.ts):
// equal-tailed credible intervals from a piecewise-linear CDF, so bounds move continuously with
// the data.
import { type GridPosterior, gridQuantile } from './psychometric.js';
import { type Interval, interval } from './interval.js';

export interface Summary {
  /** Posterior median. */
  readonly median: number;
  readonly interval: Interval;
}

/** Median and equal-tailed interval of a uniform-grid posterior, mapped through `f` (monotone increasing). */
export function summarise(
  g: GridPosterior,
  level: number,
  method: string,
  f: (x: number) => number = (x) => x,
): Summary {
  return {
    median: f(gridQuantile(g, 0.5)),
    interval: interval(f(gridQuantile(g, (1 - level) / 2)), f(gridQuantile(g, (1 + level) / 2)), level, method),
  };
}

/**
 * The quantile p of masses on increasing nodes x₀ < x₁ < …, each mass spread evenly over its cell
 * [midpoint to the previous node, midpoint to the next] (the first cell starts at x₀, the last ends at its node).
 */
export function nodeQuantile(nodes: ArrayLike<number>, mass: ArrayLike<number>, p: number): number {
  let total = 0;
  for (let i = 0; i < mass.length; i++) total += mass[i]!;
  const target = p * total;
  let acc = 0;
  const last = nodes.length - 1;
  for (let i = 0; i <= last; i++) {
    const m = mass[i]!;
    const lo = i === 0 ? nodes[0]! : (nodes[i - 1]! + nodes[i]!) / 2;
    const hi = i === last ? nodes[last]! : (nodes[i]! + nodes[i + 1]!) / 2;
    if (acc + m >= target && m > 0) return lo + ((target - acc) / m) * (hi - lo);
    acc += m;
  }
  return nodes[last]!;
}

export function summariseNodes(
  nodes: ArrayLike<number>,
  mass: ArrayLike<number>,
  level: number,
  method: string,
): Summary {
  return {
    median: nodeQuantile(nodes, mass, 0.5),
    interval: interval(
      nodeQuantile(nodes, mass, (1 - level) / 2),
      nodeQuantile(nodes, mass, (1 + level) / 2),
      level,
      method,
    ),
  };
}

/** Quantiles of a weighted sample (values with weights), interpolating towards the next value. */
export function weightedQuantile(items: readonly { v: number; w: number }[], p: number): number {
  let sum = 0;
  for (const e of items) sum += e.w;
  let acc = 0;
  for (let k = 0; k < items.length; k++) {
    const e = items[k]!;
    if (acc + e.w >= p * sum && e.w > 0) {
      const next = items[k + 1]?.v ?? e.v;
      return e.v + ((p * sum - acc) / e.w) * (next - e.v);
    }
    acc += e.w;
  }
  return items[items.length - 1]!.v;
}
