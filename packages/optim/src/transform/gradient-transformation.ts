import type { Params } from '@descent/core';
import type { TransformState } from './transform-state';

/** What {@link GradientTransformation.update} returns: the transformed updates and the new state. */
export interface UpdateResult {
  updates: Params;
  state: TransformState;
}

/**
 * A gradient transformation (optax's abstraction): a pure pair of functions.
 *
 * - `init(params)` → the initial state for these parameters;
 * - `update(updates, state, params?)` → new updates and state. `updates` is a map keyed by
 *   parameter name (at first the gradients, then whatever the previous transformation produced);
 *   it may hold any subset of the parameters, and a name the state has not seen gets its state
 *   created on the spot.
 *
 * The final updates are **added** to the parameters ({@link applyUpdates}): `θ ← θ + u`, so a
 * descent step ends with a negative scale (`scaleByLearningRate` multiplies by `−η`).
 *
 * Updates allocate new tensors and leave the old state alone; run them inside `tf.tidy`, or use
 * {@link runUpdate}, which also disposes what the new state replaced.
 *
 * Every transformation of this package checks its arguments before computing anything: `init`
 * throws `BAD_ARGUMENT` / `DISPOSED` for params that are no record of live tensors; `update`
 * throws `BAD_ARGUMENT` (updates, params or state of the wrong kind), `DISPOSED`,
 * `DTYPE_MISMATCH` (an update not float32), `UNKNOWN_PARAM` (an update name missing from the
 * `params` given) and `SHAPE_MISMATCH` (an update unlike its parameter or its state slot).
 * Values inside the tensors are not read; see the README's "Non-finite gradients".
 *
 * @example
 * ```ts
 * const t = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * let state = t.init(params);
 * ({ updates, state } = runUpdate(t, grads, state, params));
 * applyUpdates(variables, updates);
 * ```
 */
export interface GradientTransformation<S extends TransformState = TransformState> {
  init(params: Params): S;
  update(updates: Params, state: S, params?: Params): UpdateResult;
}
