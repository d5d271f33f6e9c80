import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GRID_MAX_INDEX, gridBetween, gridIndex, gridN, snapGrid } from '../src/stats/n-grid.js';
import { ConfigError } from '../src/core/errors.js';

test('the first grid values, by hand: round(32 * 2^(j/2))', () => {
  assert.equal(
    Array.from({ length: 12 }, (_, j) => gridN(j)),
    [32, 45, 64, 91, 128, 181, 256, 362, 512, 724, 1024, 1448],
  );
  assert.is(gridN(20), 32768);
  assert.is(gridN(21), 46341); // 32768 * sqrt(2) = 46340.95
});

test('gridN agrees with the defining formula over the whole grid', () => {
  for (let j = 0; j <= GRID_MAX_INDEX; j++) assert.is(gridN(j), Math.round(32 * Math.pow(2, j / 2)), `j=${j}`);
});

test('gridIndex inverts gridN and rejects off-grid n', () => {
  for (let j = 0; j <= GRID_MAX_INDEX; j++) assert.is(gridIndex(gridN(j)), j);
  for (const n of [0, 1, 31, 33, 44, 46, 100, 1000, 1447, 1449, NaN, Infinity, -64])
    assert.is(gridIndex(n), null, `n=${n}`);
});

test('snapGrid: down, up, nearest (in log n), at the floor and on the grid', () => {
  assert.is(snapGrid(100, 'down'), 3); // 91
  assert.is(snapGrid(100, 'up'), 4); // 128
  assert.is(snapGrid(100, 'nearest'), 3); // 100^2 = 10000 < 91*128 = 11648
  assert.is(snapGrid(120, 'nearest'), 4); // 14400 >= 11648
  assert.is(snapGrid(10, 'down'), null);
  assert.is(snapGrid(10, 'up'), 0);
  assert.is(snapGrid(10, 'nearest'), 0);
  for (let j = 0; j <= 30; j++) {
    for (const mode of ['down', 'up', 'nearest'] as const) assert.is(snapGrid(gridN(j), mode), j, `j=${j} ${mode}`);
  }
  assert.is(snapGrid(1e30, 'up'), null);
  assert.is(snapGrid(1e30, 'down'), GRID_MAX_INDEX);
  assert.throws(
    () => snapGrid(0),
    (e: unknown) => e instanceof ConfigError && e.field === 'n',
  );
});

test('gridBetween and bad indices', () => {
  assert.equal(gridBetween(100, 600), [128, 181, 256, 362, 512]);
  assert.equal(gridBetween(32, 32), [32]);
  assert.equal(gridBetween(33, 44), []);
  for (const j of [-1, 0.5, GRID_MAX_INDEX + 1, NaN])
    assert.throws(
      () => gridN(j),
      (e: unknown) => e instanceof ConfigError && e.field === 'j',
    );
});

test.run();
