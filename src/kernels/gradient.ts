// The correlation-loss gradient over any number of rows: netGrad block after block, in row order,
// or, with helper threads, blocks computed side by side (netGradPartial, each in its own scratch)
// and added to G in block order (netGradApply), which is the same sum in the same order.
import type { Wasm } from '../wasm/index.js';
import { checkSize } from './check.js';
import { haveHelpers, runOnHelpers, type Helpers } from './helpers.js';
import {
  CHUNK_ROWS,
  netGrad,
  netGradApply,
  netGradPartial,
  netGradPartialArgs,
  netGradScratchBytes,
  type NetArgs,
} from './net.js';

/** The first layer: W m×k (ldw), b and a f32 vectors of length m. */
export type FirstLayer = Omit<NetArgs, 'X' | 'rows' | 'ldx'>;

/**
 * Where the rows come from: already in the arena (X rows×k at stride ldx, and y), or `fill`, which
 * writes rows [row0, row0 + rows) into the block buffers X (stride ldx) and y it is given, or both:
 * the first `kept.rows` rows in the arena and `fill` for the rest (a block that reaches past them
 * is filled whole). Where a row comes from changes no bit.
 */
export type GradientRows =
  | { readonly kept: { readonly X: number; readonly y: number } }
  | { fill(row0: number, rows: number, X: number, y: number): void }
  | {
      readonly kept: { readonly X: number; readonly y: number; readonly rows: number };
      fill(row0: number, rows: number, X: number, y: number): void;
    };

/**
 * Adds the gradient of the correlation loss over `rows` rows to G (f64, m×k, ldg), normalised by
 * N: G[j,:] += −(a_j/N) Σ_t y_t 1{⟨w_j,x_t⟩+b_j > 0} x_t, in blocks of `block` rows (≤ CHUNK_ROWS;
 * the block size is part of the result's bits). Helper threads change no bit.
 */
export function netGradient(
  w: Wasm,
  net: FirstLayer,
  q: { rows: number; block: number; ldx: number; N: number; G: number; ldg?: number },
  source: GradientRows,
  helpers: Helpers | null = null,
): void {
  const fn = 'netGradient';
  checkSize(fn, 'rows', q.rows);
  if (!Number.isInteger(q.block) || q.block < 1 || q.block > CHUNK_ROWS)
    throw new RangeError(`${fn}: block must be an integer in [1, ${CHUNK_ROWS}], got ${q.block}`);
  const { k, m } = net,
    B = q.block,
    ld = q.ldx;
  const threads = haveHelpers(helpers) && q.rows > B ? helpers.size + 1 : 1;
  w.scoped(() => {
    const scratch = Array.from({ length: threads }, () => w.alloc(netGradScratchBytes(w, k, m), 'gradient scratch'));
    const kept: { X: number; y: number; rows?: number } | null = 'kept' in source ? source.kept : null;
    const keptRows = kept === null ? 0 : (kept.rows ?? q.rows);
    const fill = 'fill' in source ? source.fill : null;
    const buffers =
      fill === null || keptRows >= q.rows
        ? []
        : Array.from({ length: threads }, () => ({ X: w.allocF32(B * ld, 'a block of rows'), y: w.allocF32(B) }));
    const block = (t: number, nb: number, slot: number): { X: number; y: number } => {
      if (kept !== null && t + nb <= keptRows) return { X: kept.X + t * ld * 4, y: kept.y + t * 4 };
      const buf = buffers[slot]!;
      fill!(t, nb, buf.X, buf.y);
      return buf;
    };
    const grad = { G: q.G, N: q.N, ...(q.ldg === undefined ? {} : { ldg: q.ldg }) };
    if (threads === 1 || !haveHelpers(helpers)) {
      for (let t = 0; t < q.rows; t += B) {
        const nb = Math.min(B, q.rows - t);
        const { X, y } = block(t, nb, 0);
        netGrad(w, { ...net, X, rows: nb, ldx: ld, y, ...grad, scratch: scratch[0]! });
      }
      return;
    }
    for (let t = 0; t < q.rows; t += B * threads) {
      const group: { X: number; y: number; nb: number }[] = [];
      for (let i = 0; i < threads && t + i * B < q.rows; i++) {
        const nb = Math.min(B, q.rows - (t + i * B));
        group.push({ ...block(t + i * B, nb, i), nb });
      }
      const chunk = (i: number) => {
        const b = group[i]!;
        return { ...net, X: b.X, rows: b.nb, ldx: ld, y: b.y, scratch: scratch[i]! };
      };
      const parts = group.slice(1).map((_, i) => netGradPartialArgs(w, chunk(i + 1)));
      runOnHelpers(helpers, 'net_grad_partial', parts, () => netGradPartial(w, chunk(0)));
      for (let i = 0; i < group.length; i++)
        netGradApply(w, { scratch: scratch[i]!, rows: group[i]!.nb, k, m, a: net.a, ...grad });
    }
  });
}
