import * as tf from '@tensorflow/tfjs-core';
import { checkRecord } from './check-update';
import {
  checkDtype,
  checkSameShape,
  DescentError,
  describeValue,
  type Params,
} from '@descent/core';

/**
 * Adds updates to variables in place: `θ ← θ + u` for every name in `updates` (optax's
 * `apply_updates`). Every name must be a variable of `variables` with the same shape; all of that is
 * checked before any variable changes.
 *
 * @throws DescentError `BAD_ARGUMENT` (`variables` or `updates` no record, an entry of
 *   `variables` no `tf.Variable`), `UNKNOWN_PARAM`, `SHAPE_MISMATCH`, `DTYPE_MISMATCH` (an update of
 *   another dtype than its variable), `DISPOSED`.
 *
 * @example
 * ```ts
 * applyUpdates({ w }, { w: tf.scalar(-0.1) });   // w ← w − 0.1
 * ```
 */
export function applyUpdates(variables: Record<string, tf.Variable>, updates: Params): void {
  checkRecord('applyUpdates', 'variables', variables);
  checkRecord('applyUpdates', 'updates', updates);
  for (const [name, u] of Object.entries(updates)) {
    const v = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (v === undefined) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `updates["${name}"] has no variable of that name; variables: ${Object.keys(variables).slice(0, 8).join(', ')}.`,
      );
    }
    if (!(v instanceof tf.Variable)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `variables["${name}"] must be a tf.Variable, got ${describeValue(v)}.`,
      );
    }
    checkSameShape(`updates["${name}"]`, u, `variables["${name}"]`, v);
    checkDtype(`updates["${name}"]`, u, v.dtype);
  }
  for (const [name, u] of Object.entries(updates)) {
    const v = variables[name] as tf.Variable;
    const next = tf.tidy(() => tf.add(v, u));
    v.assign(next);
    next.dispose(); // the variable keeps the data; this handle would count as a tensor
  }
}
