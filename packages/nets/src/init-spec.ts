import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type ParamInfo, type Rng, describeValue } from '@descent/core';
import {
  DEFAULT_LEAKY_RELU_SLOPE,
  INITIALIZER_NAMES,
  type InitializerName,
  glorotNormal,
  glorotUniform,
  heNormal,
  initializer,
} from '@descent/init';
import type { Activation } from './activation';
import { checkReturnedTensor } from './returned-tensor';

/** What a custom weight initializer receives besides the shape. */
export interface InitContext {
  /** The parameter's key, e.g. `"dense1/kernel"`. */
  name: string;
  /** Its {@link ParamInfo} (layout and fans). */
  info: ParamInfo;
  /** Its own generator, `new Rng(seed).child(name)`: draw from it for reproducible values. */
  rng: Rng;
}

/**
 * A custom weight initializer: returns a live float32 tensor of `shape`. The net keeps a copy
 * (`tf.clone`, sharing the data) and frees every tensor the function made during the call, so
 * returning one tensor for several parameters, or a tensor of the caller's that is disposed
 * later, is safe. A tensor the function makes and reuses across calls must be `tf.keep`-ed.
 */
export type InitFn = (shape: readonly number[], context: InitContext) => tf.Tensor;

/**
 * How weights (the `role: 'weight'` kernels) are initialized — biases are always zeros and norm
 * scales ones:
 * - a scheme of `@descent/init` by name (`'heNormal'`, `'glorotUniform'`, `'lecunNormal'`,
 *   `'orthogonal'`, …), called with the parameter's own generator and layout; `heNormal` /
 *   `heUniform` get the net's activation as `nonlinearity` when it is `relu` or `leakyRelu`;
 * - the aliases `'he'` (= `'heNormal'`), `'glorot'` (= `'glorotUniform'`), `'lecun'` (= `'lecunNormal'`);
 * - or a function `(shape, { name, info, rng }) => tensor`.
 */
export type InitSpec = InitializerName | 'he' | 'glorot' | 'lecun' | InitFn;

const ALIASES: Record<string, InitializerName> = {
  he: 'heNormal',
  glorot: 'glorotUniform',
  lecun: 'lecunNormal',
};

/** Makes the weight of `context.name`. */
export type WeightInit = (shape: readonly number[], context: InitContext) => tf.Tensor;

/**
 * The default weight init for an activation (Keras' and torch's practice): He normal (Keras'
 * truncated, `nonlinearity` from the activation) for the ReLU family (`relu`, `leakyRelu`, `elu`),
 * Glorot uniform (Keras' default) for everything else.
 */
export function defaultInit(activation: Activation): WeightInit {
  if (activation === 'relu' || activation === 'elu') {
    return (shape, c) => heNormal(shape, { rng: c.rng, layout: c.info.layout });
  }
  if (activation === 'leakyRelu') {
    return (shape, c) =>
      heNormal(shape, {
        rng: c.rng,
        layout: c.info.layout,
        nonlinearity: 'leakyRelu',
        a: DEFAULT_LEAKY_RELU_SLOPE,
      });
  }
  return (shape, c) => glorotUniform(shape, { rng: c.rng, layout: c.info.layout });
}

/** Glorot (Xavier) normal, untruncated: `N(0, 2/(fanIn + fanOut))` — Frankle & Carbin's LeNet init. */
export const gaussianGlorot: WeightInit = (shape, c) =>
  glorotNormal(shape, { rng: c.rng, layout: c.info.layout, distribution: 'normal' });

/**
 * Resolves an `init` option to a weight initializer (validated now, before any tensor is made);
 * `fallback` when the option is absent.
 */
export function resolveInit(
  fn: string,
  spec: unknown,
  activation: Activation,
  fallback: WeightInit = defaultInit(activation),
): WeightInit {
  if (spec === undefined) return fallback;
  if (typeof spec === 'function') return ownedInit(fn, spec as InitFn);
  const name = typeof spec === 'string' ? (ALIASES[spec] ?? spec) : undefined;
  if (name === undefined || !INITIALIZER_NAMES.includes(name as InitializerName)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.init must be a function or one of ${[...Object.keys(ALIASES), ...INITIALIZER_NAMES].map((n) => `'${n}'`).join(', ')}, got ${describeValue(spec)}.`,
    );
  }
  if (name === 'constant') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.init 'constant' needs a value; pass a function, e.g. (shape) => tf.fill(shape, 0.1).`,
    );
  }
  if (name === 'zeros') return (shape, c) => initializer('zeros', { layout: c.info.layout })(shape);
  const heFamily = name === 'heNormal' || name === 'heUniform';
  const nonlinearity =
    heFamily && activation === 'leakyRelu'
      ? { nonlinearity: 'leakyRelu' as const, a: DEFAULT_LEAKY_RELU_SLOPE }
      : {};
  return (shape, c) =>
    initializer(name as 'heNormal', { rng: c.rng, layout: c.info.layout, ...nonlinearity })(shape);
}

/**
 * A custom init whose results the net owns outright: each result is checked, then copied
 * (`tf.clone`, which shares the data), and whatever the function allocated is freed by a
 * `tf.tidy`. So a function that returns one tensor for several parameters, or a tensor of the
 * caller's that is disposed later, still gives independent, live parameters; a disposed result is
 * refused.
 */
function ownedInit(fn: string, custom: InitFn): WeightInit {
  return (shape, context) =>
    tf.tidy(() => {
      const t = custom(shape, context);
      checkReturnedTensor(
        `${fn}: options.init returned for ${JSON.stringify(context.name)}`,
        t,
        shape,
      );
      return tf.clone(t);
    });
}
