// Explicit named re-exports of the package's public API.
export type { Masks } from './masks';
export { magnitudeScores } from './magnitude-scores';
export { randomScores, type RandomScoresOptions } from './random-scores';
export { prune, type PruneOptions } from './prune';
export { applyMasks } from './apply-masks';
export { densityReport, type DensityReport, type DensityCount } from './density-report';
export { prunedModel } from './pruned-model';
export type { Batch, LossFn, LossOptions } from './loss-of';
export { type SnipOptions, snipScores } from './snip-scores';
export { type GraspOptions, graspScores } from './grasp-scores';
export { type SynflowOptions, synflowScores } from './synflow-scores';
export { synflowPrune, type SynflowPruneOptions } from './synflow-prune';
export { Ticket, type TicketMeta } from './ticket/ticket';
export {
  type TicketJSON,
  type TicketMaskJSON,
  type TicketParamJSON,
  ticketFromJSON,
} from './ticket/ticket-json';
export {
  imp,
  type ImpOptions,
  type ImpControls,
  type ImpResult,
  type RoundReport,
} from './imp/imp';
export { trainTicket, type TrainTicketOptions } from './imp/train-ticket';
export { randomReinit, randomPruning, type RandomPruningOptions } from './imp/controls';
export type { TrainingRun, TrainFn, EvaluateFn } from './imp/training-run';
export type { Evaluation, EvaluationRecord, RunKind, RunReport } from './imp/run-report';
