// Explicit named re-exports of the package's public API.
export {
  empiricalNtk,
  type EmpiricalNtkOptions,
  type NtkMethod,
  NTK_METHODS,
  AUTO_JACOBIAN_FLOATS,
} from './empirical/empirical-ntk';
export { type OutputReduction, OUTPUT_REDUCTIONS } from './empirical/kernel-layout';
export {
  perExampleGrads,
  type PerExampleGradsOptions,
  type ExampleLoss,
} from './empirical/per-example-grads';
export type { NtkFn } from './empirical/ntk-problem';
export {
  symmetricEigen,
  symmetricEigenvalues,
  type SymmetricEigen,
} from '@descent/core';
export {
  gradientDescentMse,
  type GradientDescentMseOptions,
  type MseDynamics,
  type MsePrediction,
} from './dynamics/gradient-descent-mse';
export { maxLearningRate, type MaxLearningRateOptions } from './dynamics/max-learning-rate';
export { ntkSpectrum, type NtkSpectrum } from './dynamics/ntk-spectrum';
export { dense, type DenseOptions } from './infinite/dense';
export { relu } from './infinite/relu';
export { erf } from './infinite/erf';
export { abRelu } from './infinite/ab-relu';
export {
  serial,
  FLOAT64_MAX_PAIRS,
  type KernelFn,
  type KernelOptions,
  type Kernels,
} from './infinite/serial';
export type { KernelInputValue } from './infinite/kernel-inputs';
export type { Layer, DenseLayer, ReluLayer, ErfLayer, AbReluLayer } from './infinite/layer';
