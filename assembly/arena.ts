// A bump allocator over linear memory. TypeScript owns every buffer: it allocates here,
// passes pointers to kernels, and resets to a mark between trials, so nothing leaks and
// no managed (GC) object ever crosses the boundary.

const ALIGN: usize = 16;
const PAGE: usize = 65536;
// wasm32 can address 65536 pages; usize arithmetic near the top must not wrap.
const MAX_BYTES: u64 = 4294967296;

// assert() rather than abort(): it records this file and line, which the loader puts in the Error.
const E_BEYOND_WASM32 = "arena: request beyond the 4 GiB wasm32 address space";
const E_GROW_REFUSED = "arena: memory.grow failed (the engine refused more memory)";
const E_BAD_MARK = "arena: reset to a mark that was never handed out";

let base: usize = 0;
let top: usize = 0;

function ensureInit(): void {
  if (base == 0) {
    base = (__heap_base + ALIGN - 1) & ~(ALIGN - 1);
    top = base;
  }
}

/** Returns a 16-byte aligned pointer to `bytes` zeroed-or-dirty bytes; grows memory as needed. */
export function arena_alloc(bytes: usize): usize {
  ensureInit();
  const start = top;
  const end64: u64 = u64(start) + ((u64(bytes) + u64(ALIGN) - 1) & ~u64(ALIGN - 1));
  assert(end64 <= MAX_BYTES, E_BEYOND_WASM32);
  const end = usize(end64);
  const have = u64(memory.size()) * u64(PAGE);
  if (end64 > have) {
    const needPages = i32((end64 - have + u64(PAGE) - 1) / u64(PAGE));
    assert(memory.grow(needPages) >= 0, E_GROW_REFUSED);
  }
  top = end;
  return start;
}

/** The current top, to hand back to arena_reset later. */
export function arena_mark(): usize {
  ensureInit();
  return top;
}

/** Frees everything allocated after `mark`. */
export function arena_reset(mark: usize): void {
  ensureInit();
  assert(mark >= base && mark <= top && (mark & (ALIGN - 1)) == 0, E_BAD_MARK);
  top = mark;
}

/** Bytes currently allocated (for tests and leak checks). */
export function arena_used(): usize {
  ensureInit();
  return top - base;
}
