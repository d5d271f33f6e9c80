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
  TEACHER_DEFAULTS,
  TEACHER_FIELDS,
  type FieldSpec,
  type FieldTable,
  type ValidTeacherConfig,
} from './trial/config.js';
export { parseLink, MAX_LINK_DEGREE, type Link } from './trial/link.js';
export { roundPow } from './trial/sparsity.js';
export {
  softProfile,
  softTarget,
  defaultSoftGamma,
  SOFT_GAMMA_MAX,
  type SoftProfile,
  type SoftSolution,
  type SoftUnreachable,
} from './trial/soft-profile.js';
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
  teacherPlaceRanks,
  teacherProject,
  teacherLink,
  NOISE_COORD,
} from './kernels/teacher.js';
export type * from './core/types.js';

// Trials: prepare once (validated, id, work, memory), then run.
export type { TrialInput, TrialOptions } from './trial/lab.js';
export type { TrialProgress, TrialProgressListener } from './trial/progress.js';
export { prepareTrial, isPreparedTrial, type PreparedTrial } from './trial/prepare.js';
export { validateConfig, TRIAL_DEFAULTS, TRIAL_FIELDS, sampleSplit, type ValidTrialConfig } from './trial/config.js';
export { VERSION } from './core/version.js';

// Sweeps: a spec (a preset with overrides), a design, and runDesign over any TrialRunner.
export {
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
  type SweepChain,
  type PlannedChain,
  type SweepOverrides,
  type TrialRunner,
  type TrialRunOptions,
  type SweepProgress,
  type RunSweepOptions,
  type SweepSearch,
  type SweepResult,
  type ChainPlan,
  type Shard,
} from './experiment/sweep.js';
export {
  runDesign,
  designByName,
  adaptiveDesign,
  gridDesign,
  searchDesign,
  DESIGN_NAMES,
  type Design,
  type DesignName,
  type DesignOptions,
} from './experiment/design.js';
export {
  parseSweepRequest,
  sweepRequestFlags,
  sweepOf,
  type SweepRequest,
  type SweepRequestValues,
} from './experiment/sweep-request.js';
export { PRESETS, PRESET_NAMES, preset, type PresetName, type Setting, type SweepSpec } from './experiment/presets.js';

// The paper as a checklist (DESIGN §2.5): the registry of claims, running them, and their verdicts.
export {
  CLAIMS,
  CLAIM_IDS,
  EXPERIMENTS,
  TIERS,
  type ClaimDef,
  type Experiment,
  type Rule,
  type Tier,
} from './experiment/claims.js';
export {
  runClaims,
  runClaimExperiments,
  claimResults,
  claimExperiments,
  selectClaims,
  type RunClaimsOptions,
} from './experiment/claims-run.js';
export { claimVerdict, type ClaimResult, type Condition, type AlphaPoint } from './experiment/claim-verdict.js';
export { judge, combine, crossing, predictedRange, type Verdict, type PredictedRange } from './stats/verdict.js';
export {
  AdaptiveChain,
  AdaptivePoint,
  ADAPTIVE_DEFAULTS,
  validateAdaptiveOptions,
  type AdaptiveOptions,
  type AdaptiveStop,
  type AdaptiveSearchResult,
} from './experiment/design-adaptive.js';
export { expandGrid, selectGridShard, GridChain, type GridDesign, type GridTrial } from './experiment/design-grid.js';
export {
  searchNStar,
  NStarSearch,
  SearchChain,
  type TrialRequest,
  type SearchSpec,
  type SearchResult,
} from './experiment/design-search.js';
export {
  toJsonlLine,
  mergeRecords,
  parseJsonl,
  checkRecord,
  ResultsFileError,
  type MergeResult,
  type ParsedJsonl,
} from './experiment/results.js';

// The fits (DESIGN §2.4): the primary estimator is the psychometric n*50 per d and the exponent from
// its joint posterior (fitLearner), with Δb between two learners (compareLearners); every interval is
// one Interval {lo, hi, level, method}. The √2-grid rule and its slope (fitSlope) are the cross-check.
export {
  fitLearner,
  compareLearners,
  ESTIMATOR,
  type LearnerFit,
  type LearnerComparison,
  type NStarFit,
} from './stats/learner-fit.js';
export {
  fitPsychometric,
  psychometric,
  PSYCHOMETRIC_MODEL,
  type PsychometricFit,
  type PsychometricModel,
  type TrialCount,
} from './stats/psychometric.js';
export {
  fitExponent,
  exponentDifference,
  type ExponentFit,
  type ExponentDifference,
  type ScalingPoint,
} from './stats/exponent.js';
export { interval, levelText, formatInterval, type Interval } from './stats/interval.js';
export { gridN, gridIndex, snapGrid, gridBetween } from './stats/n-grid.js';
export {
  scoreNStar,
  nStarOfPoints,
  pointSucceeds,
  groupSeries,
  type NStarPoint,
  type NStar,
  type Criterion,
} from './stats/grid-rule.js';
export {
  fitSlope,
  fitSeries,
  leastSquares,
  type SlopeFit,
  type LineFit,
  type FitOptions,
} from './stats/grid-rule-slope.js';
export * as theory from './stats/theory.js';
export { referenceScalings, type Scaling, type ScalingId, type Regressor } from './stats/theory.js';

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
export type { Summary } from './stats/grid-summary.js';

// Plots and the report (shared by `prunelab report` and the browser demo).
export {
  analyze,
  nStarPlot,
  heatMap,
  metricPlot,
  renderReport,
  renderAnalysis,
  type Analysis,
  type AnalyzeOptions,
  type PanelAnalysis,
  type SeriesAnalysis,
  type PlotOptions,
  type Metric,
  type ReportOptions,
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
