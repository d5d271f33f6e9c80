// uvu has no approximate equality; this is the one used everywhere.
import * as assert from 'uvu/assert';

export function approxEqual(
  actual: number,
  expected: number,
  tol: { rel?: number; abs?: number },
  what = 'value',
): void {
  const rel = tol.rel ?? 0,
    abs = tol.abs ?? 0;
  const bound = Math.max(abs, rel * Math.abs(expected));
  if (!(Math.abs(actual - expected) <= bound)) {
    assert.unreachable(
      `${what}: ${actual} is not within ${bound.toExponential(3)} of ${expected} (diff ${(actual - expected).toExponential(3)})`,
    );
  }
}

/** Bit-for-bit equality of float arrays, reporting the first mismatch. */
export function sameBits(
  actual: Float32Array | Float64Array,
  expected: Float32Array | Float64Array,
  what = 'arrays',
): void {
  if (actual.length !== expected.length) assert.unreachable(`${what}: length ${actual.length} != ${expected.length}`);
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      const k = Math.floor(i / actual.BYTES_PER_ELEMENT);
      assert.unreachable(`${what}: first difference at index ${k}: ${actual[k]} vs ${expected[k]}`);
    }
  }
}
