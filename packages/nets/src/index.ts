// Explicit named re-exports of the package's public API.
export { type Activation, ACTIVATIONS } from './activation';
export type { InitSpec, InitFn, InitContext } from './init-spec';
export type { NormSpec } from './norm-spec';
export type { SeedOptions } from './options';
export { type Net, type NetApplyOptions, assignStats } from './net';
export { type MlpOptions, mlp } from './mlp';
export { type Lenet300100Options, lenet300100 } from './lenet300100';
export { type Lenet5Options, lenet5 } from './lenet5';
export { type ResMlpOptions, type ResMlpNet, resMlp } from './res-mlp';
export { type WideMlpOptions, wideMlp } from './wide-mlp';
