import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import { checkUpdateArgs } from './check-update';
import { checkTransformation } from './check-transformation';
import type { GradientTransformation, UpdateResult } from './gradient-transformation';
import { disposeReplaced, type TransformState } from './transform-state';

/**
 * Runs one update of a transformation without leaking: intermediates are freed (`tf.tidy`) and the
 * state tensors the new state replaced are disposed. The returned updates are new tensors owned by
 * the caller, except where a transformation passed an input tensor through unchanged.
 *
 * Every argument is checked before anything runs: a failed call frees what it made and disposes
 * nothing of `state`.
 *
 * @throws DescentError `BAD_ARGUMENT` (`transform` no transformation, `updates`/`params` no record
 *   of tensors, `state` no state), `DISPOSED`, `DTYPE_MISMATCH` (an update not float32),
 *   `UNKNOWN_PARAM` (an update name missing from `params`), `SHAPE_MISMATCH` (an update of another
 *   shape than its parameter or its state slots), and whatever the transformation throws.
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
  checkTransformation('runUpdate: transform', transform);
  checkUpdateArgs('runUpdate', updates, state, params);
  const result = tf.tidy(() => {
    const r = transform.update(updates, state, params);
    return { updates: r.updates, state: r.state } as unknown as tf.TensorContainer;
  }) as unknown as UpdateResult;
  disposeReplaced(state, result.state);
  return result;
}
