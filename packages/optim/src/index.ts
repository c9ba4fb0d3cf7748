export {
  type TransformState,
  type SlotValue,
  EMPTY_STATE,
  makeState,
  stateTensors,
  disposeState,
  disposeReplaced,
} from './transform/transform-state';
export type { GradientTransformation, UpdateResult } from './transform/gradient-transformation';
export { runUpdate } from './transform/run-update';
export {
  perParameter,
  tensorSlot,
  numberSlot,
  type PerParameterRule,
  type RuleContext,
} from './transform/per-parameter';
export { chain } from './transform/chain';
export { applyUpdates } from './transform/apply-updates';
export { scaleByLearningRate } from './transforms/scale-by-learning-rate';
export { scaleByAdam, type ScaleByAdamOptions } from './transforms/scale-by-adam';
export { addL2Gradient } from './transforms/add-l2-gradient';
export { TransformOptimizer, fromTransform } from './optimizers/transform-optimizer';
export {
  NamedOptimizer,
  registerOptimizer,
  type OptimizerOptions,
} from './optimizers/named-optimizer';
export { Adam, adam, type AdamOptions } from './optimizers/adam';
