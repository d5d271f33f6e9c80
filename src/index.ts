// The public API: re-exports only.
export {
  createLab,
  trialId,
  trialInputOf,
  type Lab,
  type Sample,
  type SampleOptions,
  type TeacherInput,
} from './trial/lab.js';
export { makeTeacher, sampleRows, LABEL_BLOCK_BYTES, type Teacher } from './trial/teacher.js';
export {
  validateTeacherConfig,
  readFields,
  checkTeacherFields,
  TEACHER_DEFAULTS,
  TEACHER_FIELDS,
  type FieldSpec,
  type FieldTable,
  type ValidTeacherConfig,
} from './trial/config.js';
export { parseLink, MAX_LINK_DEGREE, type Link } from './trial/link.js';
export { roundPow } from './trial/sparsity.js';
export { ConfigError } from './core/errors.js';
export { MemoryLimitError, loadWasm, simdSupported, WASM_SHA256, Wasm, type KernelExports } from './wasm/index.js';
export { streamKey, STREAM_IDS, type StreamKey, type StreamName } from './trial/streams.js';
export { gaussFill, gaussFillCols, uniformFillCols, type Coords } from './kernels/gauss.js';
export { hermiteEval, hermiteScoreStream, HERMITE_MAX_K } from './kernels/hermite.js';
// Every kernel wrapper, for benchmarking: buffers come from `lab.wasm` (allocF32/put/copyF32,
// inside `scoped` so they are freed), see the README's "Benchmarking the kernels".
export { gemmXwt, gemmGtx } from './kernels/gemm.js';
export {
  netForward,
  netGrad,
  netGradScratchBytes,
  netStep,
  netFeatures,
  readoutScratchBytes,
  readoutAccumulate,
  readoutPredict,
  CHUNK_ROWS,
  type NetArgs,
} from './kernels/net.js';
export {
  topk,
  threshold,
  hermiteMaskScores,
  hermiteThreshold2,
  compactCols,
} from './kernels/mask.js';
export {
  teacherSupport,
  teacherVFlat,
  teacherVGaussian,
  lqSum,
  lqTarget,
  lqGamma,
  lqFill,
  teacherProject,
  teacherLink,
  NOISE_COORD,
} from './kernels/teacher.js';
export type * from './core/types.js';

// Trials, sweeps and searches.
export type { TrialInput, TrialOptions } from './trial/lab.js';
export type { TrialProgress, TrialProgressListener } from './trial/progress.js';
export { validateConfig, TRIAL_DEFAULTS, TRIAL_FIELDS, sampleSplit, type ValidTrialConfig } from './trial/config.js';
export { VERSION } from './core/version.js';
export {
  runSweep,
  driveChains,
  type SweepChain,
  presetSpec,
  applyOverrides,
  validateSweepSpec,
  expandSweep,
  settingLabel,
  parseShard,
  selectShard,
  poolTrialRunner,
  isAbortError,
  AbortError,
  METHODS,
  type SweepOverrides,
  type TrialRunner,
  type SweepProgress,
  type RunSweepOptions,
  type SweepSearch,
  type SweepResult,
  type ChainPlan,
  type Shard,
} from './experiment/sweep.js';
export { PRESETS, PRESET_NAMES, preset, type PresetName, type Setting, type SweepSpec } from './experiment/presets.js';
export {
  runAdaptiveSweep,
  AdaptiveChain,
  AdaptivePoint,
  ADAPTIVE_DEFAULTS,
  validateAdaptiveOptions,
  type AdaptiveOptions,
  type AdaptiveStop,
  type AdaptiveSearchResult,
} from './experiment/design-adaptive.js';
export { expandGrid, runGrid, selectGridShard, type GridDesign, type GridTrial } from './experiment/design-grid.js';
export {
  searchNStar,
  nStarOfPoints,
  pointSucceeds,
  NStarSearch,
  SearchChain,
  type TrialRequest,
  type SearchSpec,
  type SearchResult,
  type NStar,
} from './experiment/design-search.js';
export { gridN, gridIndex, snapGrid, gridBetween } from './stats/n-grid.js';
export { scoreNStar, type NStarPoint, type Criterion } from './stats/grid-rule.js';
export { toJsonlLine, mergeRecords, type MergeResult } from './experiment/results.js';

// Fits and theory (DESIGN §2.3).
export {
  fitSlope,
  fitSeries,
  leastSquares,
  type SlopeFit,
  type LineFit,
  type FitOptions,
  type Regressor,
} from './stats/grid-rule-slope.js';
export * as theory from './stats/theory.js';
export { referenceScalings, type Scaling, type ScalingId } from './stats/theory.js';

// The joint model per learner and the local exponents (DESIGN §2.4, §2.4b).
export {
  fitJoint,
  fitJointExponent,
  JOINT_PRIOR,
  JOINT_METHOD,
  TAU_GRID,
  type JointDimension,
  type JointFit,
  type JointPoint,
  type JointExponent,
  type JointOptions,
  type JointPrior,
} from './stats/joint-fit.js';
export { lineCheck, LINE_CHECK_LEVEL, LINE_CHECK_METHOD, type LineCheck } from './stats/line-check.js';
export {
  localExponents,
  fitFromDMin,
  LOCAL_METHOD,
  type LocalDimension,
  type LocalExponents,
  type LocalSlope,
  type DMinFit,
} from './stats/local-exponents.js';
export {
  fitLearnerJoint,
  compareJoint,
  jointDims,
  type LearnerJointFit,
  type JointComparison,
} from './stats/learner-joint.js';
export { type Interval, interval, formatInterval, levelText } from './stats/interval.js';
export type { Summary } from './stats/grid-summary.js';

// Plots and the report (shared by `prunelab report` and the browser demo).
export {
  analyze,
  nStarPlot,
  heatMap,
  metricPlot,
  renderReport,
  renderAnalysis,
  parseJsonl,
  checkRecord,
  type Analysis,
  type AnalyzeOptions,
  type PanelAnalysis,
  type SeriesAnalysis,
  type PlotOptions,
  type Metric,
  type ReportOptions,
  type ParsedRecords,
} from './analysis/report/index.js';

// The worker pool, transport-agnostic (Node worker_threads: src/node/pool-node.ts; Web Workers: src/browser/pool-web.ts).
export {
  WorkerPool,
  InlinePool,
  type TaskPool,
  type WorkerHandle,
  type SpawnWorker,
  type PoolOptions,
  type RunOptions,
} from './experiment/pool/pool.js';
export { serveWorker, type WorkerPort } from './experiment/pool/worker.js';
export { shippedTasks } from './experiment/pool/tasks.js';
export { WorkerExitError } from './experiment/pool/errors.js';
export {
  PROTOCOL_VERSION,
  type TaskRegistry,
  type TaskFactory,
  type TaskFn,
  type TaskContext,
  type ToWorker,
  type FromWorker,
} from './experiment/pool/protocol.js';
