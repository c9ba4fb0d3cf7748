import type * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Params,
  checkKnownKeys,
  checkNumber,
  describeValue,
} from '@descent/core';
import { batchNorm, keepState, layerNorm } from '@descent/norm';

/**
 * Normalization after each hidden layer's affine map (before its activation), from
 * `@descent/norm`:
 * - `'none'` (default): none;
 * - `'batch'` or `{ type: 'batch', momentum?, epsilon? }`: batch norm (Ioffe & Szegedy, 2015) with
 *   Keras' defaults momentum 0.99, ε 1e-3; parameters `gamma`, `beta` and running statistics
 *   `moving_mean`, `moving_variance` (role `'stat'`);
 * - `'layer'` or `{ type: 'layer', epsilon? }`: layer norm (Ba et al., 2016) over the features,
 *   ε 1e-3; parameters `gamma`, `beta`.
 *
 * A layer followed by a norm has no bias (the norm's `beta` plays its part, as with Keras'
 * `use_bias=False` before `BatchNormalization`). The norm after layer `L` is named `L_bn` or
 * `L_ln` (`dense1_bn/gamma`, `dense1_bn/moving_mean`, …).
 */
export type NormSpec =
  | 'none'
  | 'batch'
  | 'layer'
  | { type: 'batch'; momentum?: number; epsilon?: number }
  | { type: 'layer'; epsilon?: number };

/** A validated {@link NormSpec}. Internal. */
export type ResolvedNorm =
  | { type: 'none' }
  | { type: 'batch'; momentum: number; epsilon: number }
  | { type: 'layer'; epsilon: number };

/** Validates a `norm` option. Internal. */
export function resolveNorm(fn: string, spec: unknown): ResolvedNorm {
  if (spec === undefined || spec === 'none') return { type: 'none' };
  if (spec === 'batch') return { type: 'batch', momentum: 0.99, epsilon: 1e-3 };
  if (spec === 'layer') return { type: 'layer', epsilon: 1e-3 };
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    const o = spec as Record<string, unknown>;
    if (o.type === 'batch') {
      checkKnownKeys(`${fn}: options.norm`, Object.keys(o), ['type', 'momentum', 'epsilon']);
      const momentum = o.momentum ?? 0.99;
      const epsilon = o.epsilon ?? 1e-3;
      checkNumber(`${fn}: options.norm.momentum`, momentum, { min: 0, max: 1 });
      checkNumber(`${fn}: options.norm.epsilon`, epsilon, { min: 0, minExclusive: true });
      return { type: 'batch', momentum, epsilon };
    }
    if (o.type === 'layer') {
      checkKnownKeys(`${fn}: options.norm`, Object.keys(o), ['type', 'epsilon']);
      const epsilon = o.epsilon ?? 1e-3;
      checkNumber(`${fn}: options.norm.epsilon`, epsilon, { min: 0, minExclusive: true });
      return { type: 'layer', epsilon };
    }
  }
  throw new DescentError(
    'BAD_ARGUMENT',
    `${fn}: options.norm must be 'none', 'batch', 'layer', { type: 'batch', momentum?, epsilon? } or { type: 'layer', epsilon? }, got ${describeValue(spec)}.`,
  );
}

/** The name of the norm layer after weight layer `layer`. Internal. */
export function normLayerName(layer: string, norm: ResolvedNorm): string {
  return `${layer}_${norm.type === 'batch' ? 'bn' : 'ln'}`;
}

/**
 * Runs the norm layer `name` on `z` (inside the caller's tidy). In batch-norm training mode, the
 * updated running statistics are kept and written to `stats` when given.
 */
export function applyNorm(
  name: string,
  norm: ResolvedNorm,
  p: Params,
  z: tf.Tensor,
  training: boolean,
  stats: Params | undefined,
): tf.Tensor {
  const affine = { gamma: p[`${name}/gamma`], beta: p[`${name}/beta`] };
  if (norm.type === 'layer') return layerNorm(z, affine, { epsilon: norm.epsilon });
  if (norm.type === 'none') return z;
  const state = {
    mean: p[`${name}/moving_mean`] as tf.Tensor,
    variance: p[`${name}/moving_variance`] as tf.Tensor,
  };
  const out = batchNorm(z, affine, state, {
    training,
    momentum: norm.momentum,
    epsilon: norm.epsilon,
  });
  if (training && stats !== undefined) {
    const next = keepState(out.state);
    stats[`${name}/moving_mean`] = next.mean;
    stats[`${name}/moving_variance`] = next.variance;
  }
  return out.y;
}
