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
export {
  TransformOptimizer,
  fromTransform,
  type NamedTensor,
} from './optimizers/transform-optimizer';
export {
  NamedOptimizer,
  defineOptimizer,
  registerOptimizer,
  type NamedOptimizerClass,
  type OptimizerOptions,
} from './optimizers/named-optimizer';
export {
  type OptimizerDescription,
  type OptionSpec,
  type OwnOptions,
  type Resolved,
  ADAM_MOMENT_OPTIONS,
  booleanOption,
  chainCheckedOption,
  DECAY_RATE,
  hyperOption,
  maskOption,
  NON_NEGATIVE,
  numberOption,
  requiredHyperOption,
} from './optimizers/optimizer-description';
export {
  namedChain,
  elementState,
  relayoutState,
  type ChainLayout,
  type NamedChain,
} from './transform/named-chain';
export { Adam, adam, type AdamOptions } from './optimizers/adam';
export {
  addDecayedWeights,
  weightDecayMask,
  type DecayMask,
  type AddDecayedWeightsOptions,
} from './transforms/add-decayed-weights';
export { scaleByAdamax, type ScaleByAdamaxOptions } from './transforms/scale-by-adamax';
export { scaleByNadam, type ScaleByNadamOptions } from './transforms/scale-by-nadam';
export { scaleByRadam, type ScaleByRadamOptions } from './transforms/scale-by-radam';
export { scaleByAdabound, type ScaleByAdaboundOptions } from './transforms/scale-by-adabound';
export { scaleByYogi, type ScaleByYogiOptions } from './transforms/scale-by-yogi';
export { scaleByPadam, type ScaleByPadamOptions } from './transforms/scale-by-padam';
export { AdamW, adamw, type AdamWOptions } from './optimizers/adamw';
export { Adamax, adamax, type AdamaxOptions } from './optimizers/adamax';
export { NAdam, nadam, type NAdamOptions } from './optimizers/nadam';
export { RAdam, radam, type RAdamOptions } from './optimizers/radam';
export { AdaBound, adabound, type AdaBoundOptions } from './optimizers/adabound';
export { Yogi, yogi, type YogiOptions } from './optimizers/yogi';
export { Padam, padam, type PadamOptions } from './optimizers/padam';
export { scaleByMomentum, type ScaleByMomentumOptions } from './transforms/scale-by-momentum';
export { scaleByRss, type ScaleByRssOptions } from './transforms/scale-by-rss';
export { scaleByRms, type ScaleByRmsOptions } from './transforms/scale-by-rms';
export { scaleByAdadelta, type ScaleByAdadeltaOptions } from './transforms/scale-by-adadelta';
export { scaleByLion, type ScaleByLionOptions } from './transforms/scale-by-lion';
export { scaleBySign } from './transforms/scale-by-sign';
export { SGD, sgd, type SGDOptions } from './optimizers/sgd';
export { Adagrad, adagrad, type AdagradOptions } from './optimizers/adagrad';
export { RMSprop, rmsprop, type RMSpropOptions } from './optimizers/rmsprop';
export { Adadelta, adadelta, type AdadeltaOptions } from './optimizers/adadelta';
export { Lion, lion, type LionOptions } from './optimizers/lion';
export { clipByGlobalNorm } from './transforms/clip-by-global-norm';
export { clipByValue } from './transforms/clip-by-value';
export { adaptiveClip, type AdaptiveClipOptions } from './transforms/adaptive-clip';
export { maskUpdates } from './transforms/mask-updates';
export {
  partition,
  type PartitionGroup,
  type PartitionMatch,
  type PartitionOptions,
} from './transforms/partition';
export { multiSteps, type MultiStepsOptions } from './transforms/multi-steps';
export { applyIfFinite, type ApplyIfFiniteOptions } from './transforms/apply-if-finite';
export { ema, type EmaOptions } from './transforms/ema';
export {
  WrapperOptimizer,
  optimizerFromConfig,
  type OptimizerConfig,
  type SlotSchema,
  type WrapperSlots,
} from './optimizers/wrapper-optimizer';
export { Lookahead, lookahead, type LookaheadOptions } from './optimizers/lookahead';
export { SWA, swa, type SwaOptions } from './optimizers/swa';
export {
  scaleByTrustRatio,
  type ScaleByTrustRatioOptions,
} from './transforms/scale-by-trust-ratio';
export {
  scaleByFactoredRms,
  factoredDims,
  type ScaleByFactoredRmsOptions,
} from './transforms/scale-by-factored-rms';
export { clipByBlockRms } from './transforms/clip-by-block-rms';
export { scaleByParamBlockRms } from './transforms/scale-by-param-block-rms';
export { scale } from './transforms/scale';
export { Lars, lars, type LarsOptions } from './optimizers/lars';
export { Lamb, lamb, type LambOptions } from './optimizers/lamb';
export { Adafactor, adafactor, type AdafactorOptions } from './optimizers/adafactor';
export { LBFGS, lbfgs, type LbfgsOptions } from './optimizers/lbfgs';
export type { PreprocessingOptions } from './optimizers/preprocessing';
