import type * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '@descent/core';
import { registeredVariables } from './gradient-input';

/**
 * A name without the `_<n>` suffix tfjs-layers appends to keep variable names unique
 * (`dense_Dense1/kernel_1` → `dense_Dense1/kernel`): after `tf.loadLayersModel` next to the
 * original model, or in a session that numbered layers differently, optimizer state saved under
 * one name has to find its variable under the other.
 */
export function baseName(name: string): string {
  return name.replace(/_\d+$/, '');
}

/** The live variables whose names equal `name` up to a tfjs-layers `_<n>` suffix, newest first. */
export function renamedVariables(name: string): tf.Variable[] {
  const base = baseName(name);
  return Object.values(registeredVariables())
    .filter((v): v is tf.Variable => v !== undefined && !v.isDisposed && baseName(v.name) === base)
    .sort((a, b) => b.id - a.id);
}

/**
 * The live variable restored state named `name` belongs to: the variable of that name, or else
 * the newest live one of the same base name (a tfjs-layers rename; the newest is the model just
 * loaded). Only its shape matters here: the state moves to a renamed variable at its first gradient.
 *
 * @throws DescentError `UNKNOWN_PARAM` when there is neither.
 */
export function findRestoreTarget(name: string, what: string): tf.Variable {
  const exact = registeredVariables()[name];
  if (exact && !exact.isDisposed) return exact;
  const newest = renamedVariables(name)[0];
  if (newest) return newest;
  throw new DescentError(
    'UNKNOWN_PARAM',
    `${what}: no live variable is named ${name}; create (or load) the model before restoring its ` +
      'optimizer state.',
  );
}

/**
 * The restored names a variable named `name` may take the state of: those equal to it up to a
 * tfjs-layers `_<n>` suffix that `unavailable` does not rule out (already taken, or the name of a
 * variable of the same step).
 */
export function takeoverCandidates(
  name: string,
  restored: Iterable<string>,
  unavailable: (restoredName: string) => boolean,
): string[] {
  const base = baseName(name);
  return [...restored].filter((s) => !unavailable(s) && baseName(s) === base);
}
