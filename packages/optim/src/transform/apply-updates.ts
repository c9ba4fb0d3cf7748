import * as tf from '@tensorflow/tfjs-core';
import { checkSameShape, DescentError, type Params } from '@descent/core';

/**
 * Adds updates to variables in place: `θ ← θ + u` for every name in `updates` (optax's
 * `apply_updates`). Every name must be a variable of `variables` with the same shape; all of that is
 * checked before any variable changes.
 *
 * @throws DescentError `UNKNOWN_PARAM`, `SHAPE_MISMATCH`, `DISPOSED`.
 *
 * @example
 * ```ts
 * applyUpdates({ w }, { w: tf.scalar(-0.1) });   // w ← w − 0.1
 * ```
 */
export function applyUpdates(variables: Record<string, tf.Variable>, updates: Params): void {
  for (const [name, u] of Object.entries(updates)) {
    const v = variables[name];
    if (!v) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `updates["${name}"] has no variable of that name; variables: ${Object.keys(variables).slice(0, 8).join(', ')}.`,
      );
    }
    checkSameShape(`updates["${name}"]`, u, `variables["${name}"]`, v);
  }
  for (const [name, u] of Object.entries(updates)) {
    const v = variables[name] as tf.Variable;
    const next = tf.tidy(() => tf.add(v, u));
    v.assign(next);
    next.dispose(); // the variable keeps the data; this handle would count as a tensor
  }
}
