import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { canonicalJson, sha256 } from '../src/core/hash.js';

test('sha256 matches node:crypto on the standard vectors and across block boundaries', () => {
  assert.is(sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
    assert.is(sha256(bytes), createHash('sha256').update(bytes).digest('hex'), `length ${n}`);
  }
  assert.is(sha256('héllo ✓'), createHash('sha256').update('héllo ✓').digest('hex'));
});

test('canonical JSON sorts keys at every level and refuses non-finite numbers', () => {
  assert.is(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
  );
  assert.is(canonicalJson({ a: 1, b: undefined }), '{"a":1}');
  assert.throws(() => canonicalJson({ eta: Infinity }), /no JSON form/);
});

test.run();
