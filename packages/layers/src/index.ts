// Explicit named re-exports of the package's public API.
export {
  DescentInitializer,
  type InitializerArgs,
} from './initializers/descent-initializer';
export { HeNormal, HeUniform, heNormal, heUniform } from './initializers/he';
export { LecunNormal, LecunUniform, lecunNormal, lecunUniform } from './initializers/lecun';
export { GlorotNormal, GlorotUniform, glorotNormal, glorotUniform } from './initializers/glorot';
export { Orthogonal, orthogonal } from './initializers/orthogonal';
export { DeltaOrthogonal, deltaOrthogonal } from './initializers/delta-orthogonal';
export { TruncatedNormal, truncatedNormal } from './initializers/truncated-normal';
export { GeometricMean, geometricMean } from './initializers/geometric-mean';
export { type LsuvInitOptions, type LsuvInitResult, lsuvInit } from './initializers/lsuv-init';
export {
  AffineNormalization,
  type AffineNormalizationArgs,
} from './normalization/affine-normalization';
export type {
  ConstraintArg,
  InitializerArg,
  RegularizerArg,
} from './normalization/keras-objects';
export {
  GroupNormalization,
  type GroupNormalizationArgs,
  groupNormalization,
} from './normalization/group-normalization';
export {
  InstanceNormalization,
  type InstanceNormalizationArgs,
  instanceNormalization,
} from './normalization/instance-normalization';
export {
  LayerNormalization,
  type LayerNormalizationArgs,
  layerNormalization,
} from './normalization/layer-normalization';
export {
  BatchRenormalization,
  type BatchRenormalizationArgs,
  batchRenormalization,
} from './normalization/batch-renormalization';
export { KernelWrapper, type KernelWrapperArgs } from './wrappers/kernel-wrapper';
export {
  WeightNormalization,
  type WeightNormalizationArgs,
  weightNormalization,
} from './wrappers/weight-normalization';
export {
  SpectralNormalization,
  type SpectralNormalizationArgs,
  spectralNormalization,
} from './wrappers/spectral-normalization';
export { PruningCallback, type PruningCallbackOptions } from './callbacks/pruning-callback';
export {
  LearningRateScheduler,
  type LearningRateFunction,
  type LearningRateSchedulerOptions,
} from './callbacks/learning-rate-scheduler';
export {
  ScheduleLogger,
  type ScheduleLoggerOptions,
  type ScheduleRecord,
} from './callbacks/schedule-logger';
export { fromLayersModel, type FromLayersModelOptions } from './model/from-layers-model';
export {
  type LotteryFitTrain,
  type LotteryRunInfo,
  type LotteryTicketOptions,
  type LotteryTrainFn,
  lotteryTicket,
} from './model/lottery-ticket';
