export type { LossFn } from './loss/loss-fn';
export { hvp } from './hessian/hvp';
export {
  hvpFiniteDifference,
  type HvpFiniteDifferenceOptions,
} from './hessian/hvp-finite-difference';
export {
  randomDirection,
  type RandomDirectionOptions,
} from './surface/random-direction';
export { surface1d, type Surface1d, type Surface1dOptions } from './surface/surface1d';
export { surface2d, type Surface2d, type Surface2dOptions } from './surface/surface2d';
export {
  interpolate,
  type InterpolateOptions,
  type LossInterpolation,
  type EvaluationInterpolation,
  type Interpolation,
  type EvaluateFn,
  type Evaluation,
} from './surface/interpolate';
export type { StepRange } from './surface/grid';
export type { OnPoint } from './surface/loss-reader';
export { curveWeights, CURVE_KINDS, type CurveKind } from './curves/curve-weights';
export type { Curve } from './curves/curve';
export { linearPath } from './curves/linear-path';
export type { CurveBatch, BatchSource } from './curves/batch-source';
export type { GradientApplier } from './curves/gradient-applier';
export {
  modeConnect,
  type ModeConnectOptions,
  type ModeConnectEpoch,
  type ModeConnectStep,
  type PredictionLoss,
} from './curves/mode-connect';
export {
  evaluateCurve,
  type EvaluateCurveOptions,
  type CurveEvaluation,
  type CurveMetrics,
} from './curves/evaluate-curve';
export { recomputeStats, type RecomputeStatsOptions } from './curves/recompute-stats';
export {
  hessianEigs,
  type HessianEigs,
  type HessianEigsMethod,
  type HessianEigsOptions,
} from './spectrum/hessian-eigs';
export {
  hessianTrace,
  type HessianTrace,
  type HessianTraceOptions,
} from './spectrum/hessian-trace';
export {
  hessianDensity,
  type HessianDensityOptions,
  type SpectralDensity,
} from './spectrum/hessian-density';
export {
  densityOnGrid,
  type DensityOnGridOptions,
  type GridDensity,
} from './spectrum/density-on-grid';
export {
  sharpness,
  type Sharpness,
  type SharpnessBox,
  type SharpnessOptions,
} from './spectrum/sharpness';
