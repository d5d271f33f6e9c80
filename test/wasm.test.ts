import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadWasm, MemoryLimitError, simdSupported, WASM_SHA256 } from '../src/wasm/index.js';
import { WASM_BASE64 } from '../src/wasm/embedded.generated.js';
import { wasm } from './helpers/wasm.js';

test('the embedded bytes carry SIMD code and their SHA-256', async () => {
  const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
  const { createHash } = await import('node:crypto');
  assert.is(createHash('sha256').update(bytes).digest('hex'), WASM_SHA256);
  assert.ok(simdSupported());
  // 0xfd is the SIMD opcode prefix; a module without it would fail the moment a lane op ran
  const module = new WebAssembly.Module(bytes);
  assert.ok(WebAssembly.Module.exports(module).some((e) => e.name === 'gauss_fill_cols'));
  let simdOps = 0;
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xfd && bytes[i + 1]! <= 0x0c) simdOps++;
  assert.ok(simdOps > 10, `expected v128 loads/stores/consts in the module, found ${simdOps}`);
});

test('arena: 16-byte alignment, mark and reset', async () => {
  const w = await wasm();
  const m = w.mark();
  const a = w.alloc(3),
    b = w.alloc(17),
    c = w.alloc(0),
    d = w.alloc(1);
  for (const p of [a, b, c, d]) assert.is(p % 16, 0);
  assert.is(b - a, 16);
  assert.is(d - b, 32);
  w.reset(m);
  assert.is(w.alloc(5), a, 'reset hands the same memory out again');
  w.reset(m);
});

test('views are rebuilt after memory grows', async () => {
  const w = await loadWasm();
  const first = w.f32;
  const ptr = w.allocF32(4 << 20); // 16 MiB forces memory.grow
  assert.is.not(w.f32, first);
  assert.is(first.length, 0, 'the old view was detached by the grow');
  w.f32[(ptr >>> 2) + (4 << 20) - 1] = 7;
  assert.is(w.f32[(ptr >>> 2) + (4 << 20) - 1], 7);
});

test('an AssemblyScript abort() surfaces as an Error with message, file and line', async () => {
  const w = await wasm();
  const m = w.mark();
  w.alloc(64);
  try {
    w.exports.arena_reset(m + 8); // not a mark the arena handed out
    assert.unreachable('abort did not throw');
  } catch (e) {
    assert.instance(e, Error);
    assert.match((e as Error).message, /arena: reset to a mark that was never handed out/);
    assert.match((e as Error).message, /assembly\/arena\.ts:\d+:\d+/);
  }
  w.reset(m);
});

test('allocations beyond wasm32 are refused up front with the size', async () => {
  const w = await wasm();
  const used = w.exports.arena_used();
  try {
    w.alloc(5 * 1024 ** 3, 'a 5 GiB matrix');
    assert.unreachable('no error');
  } catch (e) {
    assert.instance(e, MemoryLimitError);
    assert.match((e as Error).message, /a 5 GiB matrix needs 5\.00 GiB of wasm memory/);
  }
  assert.is(w.exports.arena_used(), used, 'a refused allocation leaves the arena as it was');
  assert.throws(() => w.alloc(-1), /non-negative integer/);
});

test.run();
