import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params, checkParams, isPlainObject } from '@descent/core';
import { type Masks, checkMask } from './masks';

/**
 * The masked parameters `θ ⊙ m`: every parameter with a mask is multiplied by it element by
 * element; every other parameter (biases, unpruned layers) is passed through as a clone, so the
 * result is a complete, independent `Params` the caller owns.
 *
 * @param params - The parameters (e.g. the initial ones, to rewind a ticket).
 * @param masks - Masks keyed like (some of) `params`, float32 0/1 of the same shapes.
 * @returns new tensors, keyed like `params`; the caller disposes them.
 * @throws DescentError before computing anything: `BAD_ARGUMENT` (not records of tensors),
 *   `UNKNOWN_PARAM` (a mask for no parameter), `DISPOSED`, `SHAPE_MISMATCH`, `DTYPE_MISMATCH`
 *   (a mask, or a masked parameter, not float32).
 * @example
 * ```ts
 * const ticket = applyMasks(initialParams, masks); // rewind to θ₀ ⊙ m
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019.
 */
export function applyMasks(params: Params, masks: Masks): Params {
  checkParams('applyMasks: params', params);
  if (!isPlainObject(masks)) checkParams('applyMasks: masks', masks);
  for (const key of Object.keys(masks)) {
    const label = `applyMasks: masks[${JSON.stringify(key)}]`;
    const param = params[key];
    if (!Object.hasOwn(params, key) || param === undefined) {
      throw new DescentError('UNKNOWN_PARAM', `${label} masks no parameter of params.`);
    }
    checkMask(label, masks[key], param.shape);
    if (param.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `applyMasks: params[${JSON.stringify(key)}] is masked so must be float32, got ${param.dtype}.`,
      );
    }
  }
  return tf.tidy(() => {
    const out: Params = {};
    for (const [key, value] of Object.entries(params)) {
      const mask = masks[key];
      out[key] =
        Object.hasOwn(masks, key) && mask !== undefined ? tf.mul(value, mask) : tf.clone(value);
    }
    return out;
  });
}
