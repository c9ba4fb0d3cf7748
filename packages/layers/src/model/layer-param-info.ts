import {
  DescentError,
  type ParamInfo,
  type ParamLayout,
  type ParamRole,
  computeFans,
  formatShape,
} from '@descent/core';

/** What {@link layerParamInfo} needs to know about one weight of a tfjs-layers layer. */
export interface LayerWeight {
  /** The variable's full name, e.g. `"dense_Dense1/kernel"`. */
  name: string;
  shape: readonly number[];
  /** Whether gradients train it (`LayerVariable.trainable`). */
  trainable: boolean;
  /** The owning layer's name (`layer.name`), `""` when unknown. */
  layer: string;
  /** The owning layer's class name (`layer.getClassName()`), e.g. `"Dense"`, `"descent.GroupNormalization"`. */
  className: string;
}

const ROLE_BY_NAME: Record<string, ParamRole> = {
  kernel: 'weight',
  embeddings: 'weight',
  bias: 'bias',
  gamma: 'scale',
  beta: 'shift',
  movingmean: 'stat',
  movingvariance: 'stat',
};

/**
 * The {@link ParamInfo} of one tfjs-layers weight, from its name, shape and layer.
 *
 * - `role` from the last segment of the name (a uniquifying `_<n>` dropped, case and underscores
 *   ignored, so `moving_mean` and `movingMean` agree): `kernel`, `*kernel` (`depthwise_kernel`,
 *   `recurrentKernel`) and `embeddings` → `weight`; `bias`, `*bias` → `bias`; `gamma` → `scale`;
 *   `beta` → `shift`; `moving_mean`, `moving_variance` → `stat`; the gain `g` of
 *   `descent.WeightNormalization` → `scale`. Any other name: `stat` when the variable is not
 *   trainable (a running statistic; spectral normalization's `u`, weight normalization's
 *   `initialized`), else `weight` for rank ≥ 2 and `bias` below.
 * - `layout` from the rank: 2 → `dense` `[in, out]`, 4 → `conv2d` `[kh, kw, in, out]`, 0 or 1 →
 *   `vector`; fans by `computeFans` (Keras' rule).
 * - `layer` = the owning layer's name.
 *
 * @throws DescentError `SHAPE_MISMATCH` for a rank no layout fits (3: `Conv1D`, 5: `Conv3D`),
 *   naming the weight, its layer class and shape.
 *
 * @example
 * ```ts
 * layerParamInfo({ name: 'conv2d_Conv2D1/kernel', shape: [3, 3, 1, 8], trainable: true,
 *   layer: 'conv2d_Conv2D1', className: 'Conv2D' });
 * // { role: 'weight', layer: 'conv2d_Conv2D1', layout: 'conv2d', fanIn: 9, fanOut: 72 }
 * ```
 */
export function layerParamInfo(weight: LayerWeight): ParamInfo {
  const layout = layoutOf(weight);
  return {
    role: roleOf(weight),
    layer: weight.layer,
    layout,
    ...computeFans(weight.shape, layout),
  };
}

function roleOf(weight: LayerWeight): ParamRole {
  const segment = weight.name.slice(weight.name.lastIndexOf('/') + 1).replace(/_\d+$/, '');
  const key = segment.replace(/_/g, '').toLowerCase();
  const known = ROLE_BY_NAME[key];
  if (known !== undefined) return known;
  if (key === 'g' && weight.className === 'descent.WeightNormalization') return 'scale';
  if (key.endsWith('kernel')) return 'weight';
  if (key.endsWith('bias')) return 'bias';
  if (!weight.trainable) return 'stat';
  return weight.shape.length >= 2 ? 'weight' : 'bias';
}

function layoutOf(weight: LayerWeight): ParamLayout {
  const rank = weight.shape.length;
  if (rank <= 1) return 'vector';
  if (rank === 2) return 'dense';
  if (rank === 4) return 'conv2d';
  throw new DescentError(
    'SHAPE_MISMATCH',
    `fromLayersModel: weight ${JSON.stringify(weight.name)} of layer ${JSON.stringify(weight.layer)} ` +
      `(${weight.className}) has shape ${formatShape(weight.shape)} (rank ${rank}); known layouts are ` +
      'dense [in, out], conv2d [kh, kw, in, out] and vector [n]. Give its ParamInfo in options.info.',
  );
}
