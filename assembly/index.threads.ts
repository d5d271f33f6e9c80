// The export list of the threads build: the same kernels plus the per-thread scratch hooks.
export * from "./index";
export { thread_scratch_bytes, thread_use_scratch } from "./threads";
