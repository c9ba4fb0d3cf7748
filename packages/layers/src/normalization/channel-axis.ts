import * as tf from '@tensorflow/tfjs-core';
import { DescentError, checkNumber } from '@descent/core';

/**
 * The channel axis `axis` (negative counts from the end) of an input of rank `rank`, as a
 * non-negative index; the input must have rank ≥ `minRank` (`layout` describes it).
 *
 * @throws DescentError `SHAPE_MISMATCH` for a rank below `minRank`, `BAD_HYPERPARAM` for an axis
 *   outside `[−rank, rank)` or on the batch axis.
 */
export function resolveChannelAxis(
  layer: string,
  axis: number,
  shape: readonly (number | null)[],
  minRank: number,
  layout: string,
): number {
  if (shape.length < minRank) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${layer}: the input has shape [${shape.map((d) => d ?? 'null').join(', ')}] (rank ${shape.length}); ` +
        `expected rank ≥ ${minRank}, ${layout}.`,
    );
  }
  const resolved = axis < 0 ? axis + shape.length : axis;
  if (resolved < 1 || resolved >= shape.length) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${layer}: axis = ${axis} is not a channel axis of an input of rank ${shape.length}; ` +
        `expected one of 1 … ${shape.length - 1} or −1 … −${shape.length - 1} (axis 0 is the batch).`,
    );
  }
  return resolved;
}

/** Asserts `axis` is an integer (its range is checked against the input at build). */
export function checkAxisOption(layer: string, axis: unknown): asserts axis is number {
  checkNumber(`${layer}: axis`, axis, { integer: true });
}

/**
 * `normalize(x)` for a channels-last op, applied along channel axis `axis` of `x`: the channels
 * are moved last, normalized and moved back (no transposes when `axis` is already last).
 */
export function alongChannelAxis(
  x: tf.Tensor,
  axis: number,
  normalize: (channelsLast: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const last = x.rank - 1;
  if (axis === last) return normalize(x);
  const toLast = [...Array(x.rank).keys()].filter((a) => a !== axis).concat(axis);
  const back = toLast.map((_, i) => toLast.indexOf(i));
  return tf.tidy(() => tf.transpose(normalize(tf.transpose(x, toLast)), back));
}
