// Hashes: trial ids are SHA-256 of canonical JSON, computed synchronously and identically in Node
// and browsers (SubtleCrypto is async), so they come from @noble/hashes; and the 64-bit mixer the
// seed streams are built from (trial/streams.ts, reference/rng.ts).
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { StreamKey } from './types.js';

/** SHA-256 of a string (UTF-8) or bytes, as 64 hex digits: @noble/hashes, synchronous and audited, the same in Node and browsers. */
export function sha256(data: Uint8Array | string): string {
  return bytesToHex(nobleSha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}

export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null'; // as JSON writes a missing array entry; object keys holding it are dropped
  if (v === null || typeof v !== 'object') {
    // ids hash this text: NaN and ±Infinity would all collapse to "null", so they are refused
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`canonicalJson: ${v} has no JSON form`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

const M64 = (1n << 64n) - 1n;

/** splitmix64's finaliser (Stafford mix13), identical to assembly/rng.ts mix64. */
export function mix64(z: bigint): bigint {
  z &= M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

export function keyToBigInt(k: StreamKey): bigint {
  return (BigInt(k.hi >>> 0) << 32n) | BigInt(k.lo >>> 0);
}
export function bigIntToKey(x: bigint): StreamKey {
  return { lo: Number(x & 0xffffffffn), hi: Number((x >> 32n) & 0xffffffffn) };
}
