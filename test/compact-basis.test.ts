// The re-orthonormalisation of the compact path (src/trial/compact-basis.ts): an orthogonal change of
// coordinates, so the rows' Gram matrix is kept; lower triangular with a non-negative diagonal and
// zero columns beyond m; rank-deficient inputs (zero rows, repeated rows, rank below m) handled
// without a decision; the same bits every time. Deterministic checks, no false alarms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { triangulariseRows } from '../src/trial/compact-basis.js';
import { createPrng } from '../src/core/prng.js';

// entries uniform on (-1, 1): any spread-out matrix will do
function random(rows: number, cols: number, seed: number): Float64Array {
  const g = createPrng(seed);
  return Float64Array.from({ length: rows * cols }, () => 2 * g.next() - 1);
}

function gram(M: Float64Array, m: number, p: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += M[i * p + l]! * M[j * p + l]!;
      out[i * m + j] = s;
    }
  return out;
}

function check(M0: Float64Array, m: number, p: number, what: string): Float64Array {
  const M = M0.slice();
  triangulariseRows(M, m, p);
  const before = gram(M0, m, p),
    after = gram(M, m, p);
  let scale = 0;
  for (const v of before) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < m * m; i++)
    assert.ok(Math.abs(after[i]! - before[i]!) <= 1e-13 * Math.max(scale, 1), `${what}: Gram [${i}] moved`);
  for (let j = 0; j < m; j++) {
    assert.ok(M[j * p + j]! >= 0, `${what}: diagonal ${j} is ${M[j * p + j]}`);
    for (let i = j + 1; i < p; i++) assert.is(M[j * p + i], 0, `${what}: row ${j} column ${i} not zero`);
  }
  return M;
}

test('full-rank rows: Gram matrix kept, lower triangular, the Cholesky factor of M·Mᵀ', () => {
  for (const [m, p, seed] of [
    [1, 1, 1],
    [3, 3, 2],
    [4, 8, 3],
    [7, 9, 4],
    [32, 64, 5],
    [33, 66, 6],
  ] as const) {
    const M0 = random(m, p, seed);
    const M = check(M0, m, p, `m=${m} p=${p}`);
    // unique: the Cholesky factor of the Gram matrix, computed here independently
    const A = gram(M0, m, p),
      L = new Float64Array(m * m);
    for (let j = 0; j < m; j++) {
      let s = A[j * m + j]!;
      for (let l = 0; l < j; l++) s -= L[j * m + l]! ** 2;
      L[j * m + j] = Math.sqrt(s);
      for (let i = j + 1; i < m; i++) {
        let t = A[i * m + j]!;
        for (let l = 0; l < j; l++) t -= L[i * m + l]! * L[j * m + l]!;
        L[i * m + j] = t / L[j * m + j]!;
      }
    }
    for (let i = 0; i < m; i++)
      for (let j = 0; j <= i; j++)
        assert.ok(
          Math.abs(M[i * p + j]! - L[i * m + j]!) < 1e-9,
          `m=${m}: [${i},${j}] ${M[i * p + j]} vs ${L[i * m + j]}`,
        );
  }
});

test('rank-deficient rows: zero rows, repeated rows and rank below m keep their Gram matrix', () => {
  const m = 6,
    p = 12;
  const zero = random(m, p, 7);
  zero.fill(0, 2 * p, 3 * p); // row 2 is zero
  check(zero, m, p, 'a zero row');
  const first = new Float64Array(m * p); // row 0 zero: the first reflection is the identity
  first.set(random(m - 1, p, 8), p);
  check(first, m, p, 'the first row zero');
  const repeated = random(m, p, 9);
  repeated.copyWithin(3 * p, 1 * p, 2 * p); // row 3 = row 1
  check(repeated, m, p, 'a repeated row');
  // rank 2: every row a combination of two vectors (a fresh batch of 2 rows at eta = inf)
  const B = random(2, p, 10),
    c = random(m, 2, 11),
    low = new Float64Array(m * p);
  for (let j = 0; j < m; j++)
    for (let i = 0; i < p; i++) low[j * p + i] = c[j * 2]! * B[i]! + c[j * 2 + 1]! * B[p + i]!;
  const M = check(low, m, p, 'rank 2');
  // only the first two basis vectors carry weight, up to rounding
  for (let j = 2; j < m; j++)
    for (let i = 2; i <= j; i++) assert.ok(Math.abs(M[j * p + i]!) < 1e-12, `rank 2: [${j},${i}]`);
  const all = new Float64Array(m * p);
  triangulariseRows(all, m, p);
  assert.equal([...all], new Array(m * p).fill(0), 'all rows zero: nothing moves');
});

test('the same bits every time, and bad shapes are refused', () => {
  const M0 = random(9, 18, 12);
  const a = M0.slice(),
    b = M0.slice();
  triangulariseRows(a, 9, 18);
  triangulariseRows(b, 9, 18);
  assert.equal(new Uint8Array(a.buffer), new Uint8Array(b.buffer));
  assert.throws(() => triangulariseRows(new Float64Array(12), 4, 3), /p >= m/);
  assert.throws(() => triangulariseRows(new Float64Array(11), 3, 4), /p >= m/);
});

test.run();
