import type * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Params,
  type Rng,
  checkOptions,
  describeValue,
  isPlainObject,
} from '@descent/core';
import type { NetApplyOptions } from './net';
import { checkReturnedTensor } from './returned-tensor';

/** Validated {@link NetApplyOptions}. Internal. */
export interface ResolvedApply {
  training: boolean;
  tap: (layer: string, z: tf.Tensor) => tf.Tensor;
  stats: Params | undefined;
  rng: Rng | undefined;
}

/** Every key of {@link NetApplyOptions} (core's `training` and `tap`, plus `stats` and `rng`). */
const APPLY_KEYS = ['training', 'tap', 'stats', 'rng'];

/**
 * Validates `apply`'s options: a plain object (or undefined) of {@link NetApplyOptions} keys only.
 * Internal.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the option, `UNKNOWN_PARAM` for another key.
 */
export function readApplyOptions(fn: string, options: NetApplyOptions | undefined): ResolvedApply {
  if (options === undefined)
    return { training: false, tap: identityTap, stats: undefined, rng: undefined };
  checkOptions(fn, options, APPLY_KEYS);
  const { training = false, tap, stats, rng } = options;
  if (typeof training !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.training must be a boolean, got ${describeValue(training)}.`,
    );
  }
  if (tap !== undefined && typeof tap !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.tap must be a function (layer, z) => tensor, got ${describeValue(tap)}.`,
    );
  }
  if (stats !== undefined && !isPlainObject(stats)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.stats must be a plain object (normally {}), got ${describeValue(stats)}.`,
    );
  }
  if (rng !== undefined && typeof (rng as Partial<Rng> | null)?.bernoulliArray !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.rng must be an Rng from @descent/core, got ${describeValue(rng)}.`,
    );
  }
  return {
    training,
    tap: tap === undefined ? identityTap : checkedTap(fn, tap),
    stats,
    rng,
  };
}

function identityTap(_layer: string, z: tf.Tensor): tf.Tensor {
  return z;
}

function checkedTap(
  fn: string,
  tap: (layer: string, z: tf.Tensor) => tf.Tensor,
): (layer: string, z: tf.Tensor) => tf.Tensor {
  return (layer, z) => {
    const out = tap(layer, z);
    checkReturnedTensor(
      `${fn}: options.tap returned for layer ${JSON.stringify(layer)}`,
      out,
      z.shape,
    );
    return out;
  };
}
