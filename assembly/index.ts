// The export list of prunelab.wasm, nothing else.
export { arena_alloc, arena_mark, arena_reset, arena_used } from "./arena";
export { xoshiro_raw, uniform_fill_cols, CHUNK_ROWS } from "./rng";
export { gauss_fill_cols, gauss_fill } from "./gauss";
export { mask_topk, mask_threshold, hermite_mask_scores, hermite_threshold2, compact_cols } from "./mask";
export { hermite_eval, hermite_score_stream } from "./hermite";
export {
  teacher_support, teacher_v_flat, teacher_v_gaussian, teacher_lq_sum, teacher_lq_target, teacher_lq_gamma,
  teacher_lq_fill, teacher_place_ranks, teacher_project, teacher_link,
} from "./teacher";
export { gemm_xwt, gemm_gtx, gemm_gtx_self } from "./gemm";
export { net_forward, net_grad, net_grad_partial, net_grad_apply, net_grad_set_block, net_grad_scratch_bytes, net_step, net_features, readout_accumulate, readout_predict, readout_scratch_bytes } from "./net";
export { sub_gamma, sub_chi2, sub_bartlett, sub_grad, sub_grad_scratch_bytes, sub_psd_sqrt, sub_log, sub_exp } from "./subspace";
