export { makeSchedule } from './make-schedule';
export { constant } from './constant';
export { piecewiseConstant, type PiecewiseConstantOptions } from './piecewise-constant';
export { piecewiseInterpolate, type PiecewiseInterpolateOptions } from './piecewise-interpolate';
export type { BoundariesAndScales } from './boundaries-and-scales';
export { exponentialDecay, type ExponentialDecayOptions } from './exponential-decay';
export { polynomialDecay, type PolynomialDecayOptions } from './polynomial-decay';
export { linearSchedule, type LinearScheduleOptions } from './linear-schedule';
export { cosineDecay, type CosineDecayOptions } from './cosine-decay';
export { warmupCosineDecay, type WarmupCosineDecayOptions } from './warmup-cosine-decay';
export { sgdr, type SgdrOptions } from './sgdr';
export { CYCLIC_MODES, type CyclicMode } from './cycle';
export { cyclic, type CyclicOptions } from './cyclic';
export { cyclicMomentum, type CyclicMomentumOptions } from './cyclic-momentum';
export { ANNEAL_STRATEGIES, type AnnealStrategy } from './one-cycle-phases';
export { oneCycle, type OneCycleOptions } from './one-cycle';
export { oneCycleMomentum, type OneCycleMomentumOptions } from './one-cycle-momentum';
export { linearWarmup, type LinearWarmupOptions } from './linear-warmup';
export { join } from './join';
export { linearScaling, type LinearScalingOptions } from './linear-scaling';
export {
  reduceOnPlateau,
  type ReduceOnPlateau,
  type ReduceOnPlateauOptions,
  type ReduceOnPlateauState,
  type PlateauSchedule,
} from './reduce-on-plateau';
export { sample } from './sample';
export {
  sparkline,
  sparklineSvg,
  type SparklineOptions,
  type SparklineSvgOptions,
} from './sparkline';
