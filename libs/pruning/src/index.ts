// Public API of @fleetprune/pruning: PrecisionPrune structured pruning on TF.js Layers models.
export { PruningError } from './pruning-error';
export type { PruningErrorCode } from './pruning-error';
export type {
  BoundAxis,
  ChannelGroup,
  ChannelLayout,
  ChannelSegment,
  GraphNode,
  KeepMap,
  NodeKind,
  PruningGraph,
  WeightBinding,
} from './graph/pruning-graph';
export { buildPruningGraph } from './graph/build-pruning-graph';
export { LAYER_KINDS } from './graph/layer-rules';
export { pruneChannels } from './surgery/prune-channels';
export { costForWidths, countMacs, countParams, groupWidths } from './cost/model-cost';
export type { ModelCost } from './cost/model-cost';
export { forwardGraph } from './execution/graph-forward';
export type { ForwardOptions } from './execution/graph-forward';
export { createGates } from './execution/layout-gate';
export type { GateMap } from './execution/layout-gate';
export { SCORER_NAMES } from './scoring/importance-scorer';
export type { ImportanceScorer, ScorerName, ScorerObservation } from './scoring/importance-scorer';
export { normalizeScores, SCORE_NORMALIZATIONS } from './scoring/score-normalization';
export type { ScoreNormalization } from './scoring/score-normalization';
export { TAYLOR_ESTIMATES, TaylorScorer } from './scoring/taylor-scorer';
export type { TaylorEstimate, TaylorScorerOptions } from './scoring/taylor-scorer';
export { L1NormScorer } from './scoring/l1-norm-scorer';
export { RandomScorer } from './scoring/random-scorer';
export { createScorer } from './scoring/create-scorer';
export { sparsityPenalty } from './regularization/sparsity-penalty';
export type { SparsityPenaltyOptions } from './regularization/sparsity-penalty';
export { cosineLearningRate, regularizationStrength } from './training/schedules';
export type { StrengthSchedule } from './training/schedules';
export { BatchSampler } from './training/batch-sampler';
export { trainLoop } from './training/train-loop';
export type { Teacher, TrainingData, TrainLoopOptions } from './training/train-loop';
export { evaluateAccuracy } from './training/evaluate-accuracy';
export {
  crossEntropy,
  distillationLoss,
  logProbabilities,
  outputsProbabilities,
} from './training/classification-loss';
export { channelFloors, channelShareFloor, DEFAULT_MIN_KEEP_FRACTION, planCut } from './schedule/cut-plan';
export type { CutLimits } from './schedule/cut-plan';
export { precisionPrune } from './schedule/precision-prune';
export type {
  DataInput,
  FitAnswer,
  PrecisionPruneOptions,
  PruneHistoryEntry,
  PruneProgress,
  PruneResult,
} from './schedule/prune-options';
export { ARCHITECTURE_NAMES, buildArchitecture } from './architectures/build-architecture';
export type { ArchitectureName, ArchitectureOptions } from './architectures/build-architecture';
export { trainClassifier } from './training/train-classifier';
export type {
  LearningRateSchedule,
  TrainClassifierOptions,
  TrainClassifierResult,
  TrainProgress,
} from './training/train-classifier';
export { deployedFootprint, fitProfile } from './deployment/deployed-footprint';
export type { DeployedFootprint, DeploymentOptions, ProfileFit } from './deployment/deployed-footprint';
export { deployedAccuracy, imageSetAccuracy } from './deployment/deployed-accuracy';
export type { DeployedAccuracy } from './deployment/deployed-accuracy';
export { assertProfileReachable, smallestReachable } from './deployment/smallest-reachable';
export type { ChannelLimits } from './deployment/smallest-reachable';
export { pruneForProfile } from './deployment/prune-for-profile';
export type { BudgetMode, ProfilePruneOptions, ProfilePruneResult } from './deployment/prune-for-profile';
export { formatPruneReport } from './deployment/prune-report';
export type { PruneReport, TestAccuracy } from './deployment/prune-report';
export { imageSetData } from './deployment/image-set-data';
export { toTrainingData } from './schedule/training-data-input';
