// Public API of @fleetprune/pruning: PrecisionPrune structured pruning on TF.js Layers models.
export { PruningError, PruningErrorCode } from './pruning-error';
export {
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
export { costForWidths, countMacs, countParams, groupWidths, ModelCost } from './cost/model-cost';
export { forwardGraph, ForwardOptions } from './execution/graph-forward';
export { createGates, GateMap } from './execution/layout-gate';
export { ImportanceScorer, ScorerName, ScorerObservation } from './scoring/importance-scorer';
export { normalizeScores, ScoreNormalization } from './scoring/score-normalization';
export { TaylorScorer, TaylorScorerOptions } from './scoring/taylor-scorer';
export { L1NormScorer } from './scoring/l1-norm-scorer';
export { RandomScorer } from './scoring/random-scorer';
export { createScorer } from './scoring/create-scorer';
export { sparsityPenalty, SparsityPenaltyOptions } from './regularization/sparsity-penalty';
export { cosineLearningRate, regularizationStrength, StrengthSchedule } from './training/schedules';
export { BatchSampler } from './training/batch-sampler';
export { Teacher, trainLoop, TrainingData, TrainLoopOptions } from './training/train-loop';
export { evaluateAccuracy } from './training/evaluate-accuracy';
export {
  crossEntropy,
  distillationLoss,
  logProbabilities,
  outputsProbabilities,
} from './training/classification-loss';
export { planCut, CutLimits } from './schedule/cut-plan';
export { precisionPrune } from './schedule/precision-prune';
export {
  DataInput,
  FitAnswer,
  PrecisionPruneOptions,
  PruneHistoryEntry,
  PruneProgress,
  PruneResult,
} from './schedule/prune-options';
