// The export list of prunelab.wasm, nothing else.
export { arena_alloc, arena_mark, arena_reset, arena_used } from "./arena";
export { xoshiro_raw, uniform_fill_cols, CHUNK_ROWS } from "./rng";
export { gauss_fill_cols, gauss_fill } from "./gauss";
export { gemm_xwt, gemm_gtx } from "./gemm";
export { net_forward, net_grad, net_grad_scratch_bytes, net_step, net_features, readout_accumulate, readout_predict, readout_scratch_bytes } from "./net";
