import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import type { GradientTransformation, UpdateResult } from './gradient-transformation';
import { disposeReplaced, type TransformState } from './transform-state';

/**
 * Runs one update of a transformation without leaking: intermediates are freed (`tf.tidy`) and the
 * state tensors the new state replaced are disposed. The returned updates are new tensors owned by
 * the caller, except where a transformation passed an input tensor through unchanged.
 *
 * @example
 * ```ts
 * const { updates, state: next } = runUpdate(sgdWithMomentum, grads, state, params);
 * ```
 */
export function runUpdate(
  transform: GradientTransformation,
  updates: Params,
  state: TransformState,
  params?: Params,
): UpdateResult {
  const result = tf.tidy(() => {
    const r = transform.update(updates, state, params);
    return { updates: r.updates, state: r.state } as unknown as tf.TensorContainer;
  }) as unknown as UpdateResult;
  disposeReplaced(state, result.state);
  return result;
}
