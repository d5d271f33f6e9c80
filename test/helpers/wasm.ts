// One shared instance per test file; tests reset the arena themselves.
import { loadWasm, type Wasm } from '../../src/wasm/index.js';

let instance: Promise<Wasm> | undefined;
export function wasm(): Promise<Wasm> {
  instance ??= loadWasm();
  return instance;
}
