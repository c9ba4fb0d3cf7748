export { DescentError, isDescentError, type DescentErrorCode } from './errors/descent-error';
export { formatShape } from './validate/format-shape';
export { isTensor } from './validate/is-tensor';
export { isPlainObject } from './validate/is-plain-object';
export { describeValue } from './validate/describe-value';
export { checkOptions } from './validate/check-options';
export { OptionReader } from './validate/option-reader';
export {
  checkTensor,
  checkShape,
  checkSameShape,
  checkDtype,
  checkFiniteTensor,
  sameShape,
} from './validate/tensor-checks';
export {
  checkNumber,
  checkBoolean,
  checkKnownKeys,
  type NumberRange,
} from './validate/number-checks';
export {
  BACKEND_NAMES,
  type BackendName,
  type BackendInfo,
  type BackendFallback,
} from './backend/backend-info';
export { useBackend, type UseBackendOptions } from './backend/use-backend';
export { ensureGradients, hasGradients } from './gradients/ensure-gradients';
export {
  withSecondOrder,
  enableSecondOrder,
  disableSecondOrder,
  secondOrderActive,
  gradientOfGradient,
} from './gradients/second-order';
export {
  ops,
  type Expr,
  type ValueExpr,
  type BoolExpr,
  type Ops,
  type Operand,
  type UnaryOp,
  type BinaryOp,
  type CompareOp,
} from './kernel/expr';
export { evaluateExpr, type EvaluateExprOptions } from './kernel/expr-to-tfjs';
export type { WgslWidth } from './kernel/wgsl-codegen';
export type { KernelSignature } from './kernel/kernel-signature';
export {
  defineKernel,
  type KernelDefinition,
  type FusedKernel,
  type KernelPath,
  type KernelCallOptions,
  type KernelBatch,
  type KernelBatchOptions,
} from './kernel/define-kernel';
export { scaledSubtract, scaledSubtractKernel } from './kernels/scaled-subtract';
export { copyTensor, checkCopyable, COPYABLE_DTYPES } from './params/copy-tensor';
export {
  type Params,
  type ToVariablesOptions,
  checkParams,
  checkSameStructure,
  mapParams,
  zipParams,
  paramCount,
  globalNorm,
  globalNormValue,
  cloneParams,
  disposeParams,
  toVariables,
  fromVariables,
  flattenParams,
  unflattenParams,
} from './params/params';
export {
  type ParamInfo,
  type ParamRole,
  type ParamLayout,
  type Fans,
  PARAM_ROLES,
  PARAM_LAYOUTS,
  computeFans,
  inferParamInfo,
  roleMask,
  checkParamInfo,
} from './params/param-info';
export {
  type ApplyOptions,
  type ApplyFn,
  type Model,
  isModel,
  toApplyFn,
  checkModel,
} from './model/model';
export { Rng, type RngState, RNG_ALGORITHM } from './rng/rng';
export { isRng } from './rng/is-rng';
export {
  type Schedule,
  type ScheduleConfig,
  type HyperParameter,
  isSchedule,
  hyperValue,
  registerScheduleKind,
  scheduleFromConfig,
  hyperToConfig,
  hyperFromConfig,
} from './schedule/schedule';
export { registerWasmConv2DBackpropFilter } from './kernels/conv2d-backprop-filter-wasm';
export { type Reduction, REDUCTIONS } from './losses/reduction';
export { safeExp } from './losses/safe-exp';
export { safeLogSoftmax } from './losses/safe-log-softmax';
export {
  softmaxCrossEntropy,
  type SoftmaxCrossEntropyOptions,
} from './losses/softmax-cross-entropy';
export { mse, type MseOptions } from './losses/mse';
export { accuracy } from './losses/accuracy';
export { checkLabels } from './losses/check-labels';
export {
  segmentNorm,
  segmentNormPath,
  type SegmentNormOptions,
} from './kernels/segment-norm/segment-norm';
export type { SegmentNormLayout } from './kernels/segment-norm/segment-norm-layout';
export {
  symmetricEigen,
  symmetricEigenvalues,
  type SymmetricEigen,
} from './linalg/symmetric-eigen';
export { checkSymmetric } from './linalg/symmetry';
