// Explicit named re-exports of the package's public API.
export { batchNorm, type BatchNormOptions, type NormResult } from './batch-norm';
export { batchRenorm, type BatchRenormOptions } from './batch-renorm';
export { checkBatchNormState } from './check-batch-norm-state';
export type { AffineParams } from './checks';
export { groupNorm, type GroupNormOptions } from './group-norm';
export { instanceNorm, type InstanceNormOptions } from './instance-norm';
export { layerNorm, type LayerNormOptions } from './layer-norm';
export {
  lipschitzUpperBound,
  type LipschitzBound,
  type LipschitzFactor,
  type LipschitzOptions,
} from './lipschitz-upper-bound';
export {
  batchNormState,
  disposeState,
  keepState,
  type BatchNormState,
} from './norm-state';
export {
  spectralNorm,
  spectralNormState,
  type SpectralNormOptions,
  type SpectralNormResult,
  type SpectralNormState,
} from './spectral-norm';
export { spectralNormValue, type SpectralNormValueOptions } from './spectral-norm-value';
export {
  switchableNorm,
  type SwitchableNormOptions,
  type SwitchableNormParams,
} from './switchable-norm';
export { weightNorm, type WeightNormOptions } from './weight-norm';
