import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params, type Rng, formatShape, isTensor } from '@descent/core';
import type { NetApplyOptions } from './net';

/** Validated {@link NetApplyOptions}. Internal. */
export interface ResolvedApply {
  training: boolean;
  tap: (layer: string, z: tf.Tensor) => tf.Tensor;
  stats: Params | undefined;
  rng: Rng | undefined;
}

/** Validates `apply`'s options (other keys are ignored: callers may pass core's plain options). */
export function readApplyOptions(fn: string, options: NetApplyOptions | undefined): ResolvedApply {
  if (options === undefined)
    return { training: false, tap: identityTap, stats: undefined, rng: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new DescentError('BAD_ARGUMENT', `${fn}: options must be an object.`);
  }
  const { training = false, tap, stats, rng } = options;
  if (typeof training !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.training must be a boolean, got ${String(training)}.`,
    );
  }
  if (tap !== undefined && typeof tap !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options.tap must be a function (layer, z) => tensor.`,
    );
  }
  if (stats !== undefined && (typeof stats !== 'object' || stats === null)) {
    throw new DescentError('BAD_ARGUMENT', `${fn}: options.stats must be an object (normally {}).`);
  }
  if (rng !== undefined && typeof (rng as Partial<Rng>).bernoulliArray !== 'function') {
    throw new DescentError('BAD_ARGUMENT', `${fn}: options.rng must be an Rng from @descent/core.`);
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
    if (!isTensor(out) || out.shape.join() !== z.shape.join()) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${fn}: options.tap must return a tensor of z's shape ${formatShape(z.shape)} for layer ${JSON.stringify(layer)}, got ${isTensor(out) ? formatShape(out.shape) : String(out)}.`,
      );
    }
    return out;
  };
}
