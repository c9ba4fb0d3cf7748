import type * as tf from '@tensorflow/tfjs-core';
import { disposeParams } from '@descent/core';
import { gain, lsuv, normal, orthogonal } from '@descent/init';
import { type InitFn, type InitSpec, type Net, mlp } from '@descent/nets';

/** The initializations compared, in the order they are reported. */
export const INIT_SCHEMES = ['naive', 'lecun', 'he', 'orthogonal', 'lsuv'] as const;

/** One of {@link INIT_SCHEMES}. */
export type InitScheme = (typeof INIT_SCHEMES)[number];

/** Legend names of the schemes. */
export const SCHEME_LABELS: Record<InitScheme, string> = {
  naive: 'naive N(0, 0.01²)',
  lecun: 'LeCun normal',
  he: 'He normal',
  orthogonal: 'orthogonal ×√2',
  lsuv: 'LSUV',
};

/** The schemes that keep the variance of a ReLU net's signal: ≈ constant second moment with depth. */
export const VARIANCE_PRESERVING: readonly InitScheme[] = ['he', 'orthogonal', 'lsuv'];

/** The naive initialization's standard deviation, a common fixed default. */
export const NAIVE_STD = 0.01;

/** A deep ReLU MLP: `depth` weight layers, `depth − 1` hidden layers of `width` units. */
export interface DeepMlp {
  inputDim: number;
  width: number;
  depth: number;
  classes: number;
}

const naive: InitFn = (shape, { rng }) => normal(shape, { stddev: NAIVE_STD, rng });
const orthogonalRelu: InitFn = (shape, { rng }) => orthogonal(shape, { gain: gain('relu'), rng });

const SPECS: Record<Exclude<InitScheme, 'lsuv'>, InitSpec> = {
  naive,
  lecun: 'lecunNormal',
  he: 'heNormal',
  orthogonal: orthogonalRelu,
};

/**
 * The deep MLP initialized by `scheme`, weights drawn from `seed` (biases zero). LSUV
 * (Mishkin & Matas) starts from orthogonal weights and rescales each layer, in forward order,
 * until its pre-activations have unit variance on `batch`. The caller disposes `params`.
 */
export async function initializedNet(
  scheme: InitScheme,
  shape: DeepMlp,
  seed: number,
  batch: tf.Tensor,
): Promise<Net> {
  const sizes = [shape.inputDim, ...Array(shape.depth - 1).fill(shape.width), shape.classes];
  if (scheme !== 'lsuv') return mlp({ sizes, init: SPECS[scheme], seed });
  const net = mlp({ sizes, seed });
  try {
    const { params } = await lsuv(net, batch, { seed });
    return { ...net, params };
  } finally {
    disposeParams(net.params);
  }
}
