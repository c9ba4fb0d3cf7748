// Explicit named re-exports of the package's public API.
export { type Nonlinearity, NONLINEARITIES, DEFAULT_LEAKY_RELU_SLOPE, gain } from './gain';
export type { RandomOptions, LayoutOptions, SchemeOptions } from './options';
export { zeros } from './zeros';
export { type ConstantOptions, constant } from './constant';
export { type NormalOptions, normal } from './normal';
export { type UniformOptions, uniform } from './uniform';
export {
  type TruncatedNormalOptions,
  TRUNCATED_NORMAL_STD,
  truncatedNormal,
} from './truncated-normal';
export {
  type FanMode,
  type Distribution,
  type VarianceScalingOptions,
  FAN_MODES,
  DISTRIBUTIONS,
  varianceScaling,
} from './variance-scaling';
export { type LecunNormalOptions, lecunNormal, lecunUniform } from './lecun';
export {
  type GlorotOptions,
  type GlorotNormalOptions,
  glorotNormal,
  glorotUniform,
} from './glorot';
export { type HeOptions, type HeNormalOptions, heNormal, heUniform } from './he';
export { type GeometricMeanOptions, geometricMean } from './geometric-mean';
export { type OrthogonalOptions, orthogonal } from './orthogonal';
export { type DeltaOrthogonalOptions, deltaOrthogonal } from './delta-orthogonal';
export {
  type InitializerName,
  type InitializerOptionsMap,
  type Initializer,
  INITIALIZER_NAMES,
  initializer,
} from './initializer';
export {
  type LsuvOptions,
  type LsuvLayerReport,
  type LsuvResult,
  lsuv,
} from './lsuv';
export { type FixupScaleOptions, type FixupOptions, fixupScale, fixup } from './fixup';
export {
  type SignalPropagationOptions,
  type SpectrumStats,
  type LayerSignal,
  type SignalPropagationReport,
  signalPropagation,
} from './signal-propagation';
