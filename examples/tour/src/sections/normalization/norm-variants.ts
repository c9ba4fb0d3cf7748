import * as tf from '@tensorflow/tfjs-core';
import type { Model, Params } from '@descent/core';
import { groupNorm } from '@descent/norm';
import { mlp } from '@descent/nets';

/** The normalizations compared, in the order they are reported. */
export const NORM_VARIANTS = ['none', 'batch', 'group'] as const;

/** One of {@link NORM_VARIANTS}. */
export type NormVariant = (typeof NORM_VARIANTS)[number];

/** Legend names of the variants. */
export const VARIANT_LABELS: Record<NormVariant, string> = {
  none: 'no normalization',
  batch: 'BatchNorm',
  group: 'GroupNorm',
};

/** A ReLU MLP: `depth` weight layers, `depth − 1` hidden layers of `width` units. */
export interface NormMlp {
  inputDim: number;
  width: number;
  depth: number;
  classes: number;
  /** Channel groups of GroupNorm (divides `width`). */
  groups: number;
}

/**
 * The ReLU MLP with `variant` after every hidden layer's affine map (before the ReLU), He normal
 * weights from `seed`: no normalization or batch norm are `@descent/nets`' `mlp` (`norm`
 * `'none'` / `'batch'`); group norm (Wu & He, `@descent/norm`'s `groupNorm`) reuses the
 * parameters of `mlp` with layer norm (a `gamma` and `beta` per layer, no bias before them) and
 * normalizes groups of `width / groups` units per example instead. The caller disposes `params`.
 */
export function normalizedMlp(variant: NormVariant, shape: NormMlp, seed: number): Model {
  const sizes = [shape.inputDim, ...Array(shape.depth - 1).fill(shape.width), shape.classes];
  if (variant !== 'group') return mlp({ sizes, norm: variant, init: 'heNormal', seed });
  const net = mlp({ sizes, norm: 'layer', init: 'heNormal', seed });
  const layers = net.layers;
  return {
    params: net.params,
    info: net.info,
    apply: (params: Params, x: tf.Tensor) =>
      tf.tidy(() => {
        let h = x;
        for (const layer of layers.slice(0, -1)) {
          const z = tf.matMul(h, params[`${layer}/kernel`]!);
          const affine = { gamma: params[`${layer}_ln/gamma`]!, beta: params[`${layer}_ln/beta`]! };
          h = tf.relu(groupNorm(z, affine, { groups: shape.groups }));
        }
        const last = layers[layers.length - 1]!;
        return tf.add(tf.matMul(h, params[`${last}/kernel`]!), params[`${last}/bias`]!);
      }),
  };
}
