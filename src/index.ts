// The public API: re-exports only.
export { createLab, trialId, trialInputOf, type Lab, type Sample, type SampleOptions, type TeacherInput } from './lab.js';
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

// Trials, sweeps and searches.
export { type TrialInput } from './lab.js';
export { validateConfig, TRIAL_DEFAULTS, TRIAL_FIELDS, sampleSplit, type ValidTrialConfig } from './config.js';
export { VERSION } from './version.js';
export {
  runSweep, presetSpec, applyOverrides, validateSweepSpec, expandSweep, settingLabel, parseShard, selectShard,
  poolTrialRunner, isAbortError, AbortError, METHODS,
  type SweepOverrides, type TrialRunner, type SweepProgress, type RunSweepOptions, type SweepSearch, type SweepResult,
  type ChainPlan, type Shard,
} from './sweep.js';
export { PRESETS, PRESET_NAMES, preset, type PresetName, type Setting, type SweepSpec } from './presets.js';
export { searchNStar, nStarOfPoints, pointSucceeds, NStarSearch, SearchChain, type TrialRequest, type SearchSpec, type SearchResult, type NStar } from './search.js';
export { gridN, gridIndex, snapGrid, gridBetween } from './grid.js';
export { scoreNStar, type NStarPoint, type Criterion } from './nstar.js';
export { toJsonlLine, mergeRecords, type MergeResult } from './results.js';

// Fits and theory (DESIGN §2.3).
export { fitSlope, fitSeries, leastSquares, type SlopeFit, type LineFit, type FitOptions, type Regressor } from './fit.js';
export * as theory from './theory.js';
export { referenceScalings, type Scaling, type ScalingId } from './theory.js';

// Plots and the report (shared by `prunelab report` and the browser demo).
export {
  analyze, nStarPlot, heatMap, metricPlot, renderReport, renderAnalysis, parseJsonl, checkRecord,
  type Analysis, type AnalyzeOptions, type PanelAnalysis, type SeriesAnalysis, type PlotOptions, type Metric, type ReportOptions, type ParsedRecords,
} from './report/index.js';

// The worker pool, transport-agnostic (Node worker_threads: src/node/pool-node.ts; Web Workers: src/browser/pool-web.ts).
export { WorkerPool, InlinePool, type TaskPool, type WorkerHandle, type SpawnWorker, type PoolOptions, type RunOptions } from './pool/pool.js';
export { serveWorker, type WorkerPort } from './pool/worker.js';
export { shippedTasks } from './pool/tasks.js';
export { WorkerExitError } from './pool/errors.js';
export { PROTOCOL_VERSION, type TaskRegistry, type TaskFactory, type TaskFn, type TaskContext, type ToWorker, type FromWorker } from './pool/protocol.js';
