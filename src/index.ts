// The public API: re-exports only.
export { createLab, type Lab, type Sample, type SampleOptions, type TeacherInput } from './lab.js';
export { makeTeacher, sampleRows, LABEL_BLOCK_BYTES, type Teacher } from './teacher.js';
export {
  validateTeacherConfig, readFields, checkTeacherFields, TEACHER_DEFAULTS, TEACHER_FIELDS,
  type FieldSpec, type FieldTable, type ValidTeacherConfig,
} from './config.js';
export { parseLink, MAX_LINK_DEGREE, type Link } from './link.js';
export { roundPow } from './sparsity.js';
export { ConfigError } from './errors.js';
export { MemoryLimitError, loadWasm, simdSupported, WASM_SHA256, Wasm, type KernelExports } from './wasm/index.js';
export { streamKey, STREAM_IDS, type StreamKey, type StreamName } from './streams.js';
export { gaussFill, gaussFillCols, uniformFillCols, type Coords } from './kernels/gauss.js';
export { hermiteEval, hermiteScoreStream, HERMITE_MAX_K } from './kernels/hermite.js';
export {
  teacherSupport, teacherVFlat, teacherVGaussian, lqSum, lqTarget, lqGamma, lqFill, teacherProject, teacherLink, NOISE_COORD,
} from './kernels/teacher.js';
export type * from './types.js';
