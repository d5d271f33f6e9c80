// Reused work arrays for the grid fits: a fit allocates a few hundred kilobytes of typed arrays,
// and allocating them afresh on every call spends more time in the garbage collector than in the
// arithmetic. A named buffer is grown when needed and handed out zero-filled; it is valid until
// the next request of the same name, so it must never escape into a returned result.
const pool = new Map<string, Float64Array>();

/** A zero-filled Float64Array view of `size` doubles, reused across calls under `name`. */
export function scratch(name: string, size: number): Float64Array {
  let buf = pool.get(name);
  if (!buf || buf.length < size) {
    buf = new Float64Array(Math.max(size, Math.ceil((buf?.length ?? 0) * 1.5)));
    pool.set(name, buf);
  }
  const view = buf.subarray(0, size);
  view.fill(0);
  return view;
}
