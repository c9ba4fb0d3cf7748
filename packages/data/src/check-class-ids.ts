import { DescentError } from '@descent/core';

/**
 * Asserts every class id of an in-memory `Int32Array` lies in `[0, numClasses)` — a JavaScript
 * scan, no device read (core's `checkLabels` is the same rule for a tensor, read asynchronously).
 * Internal.
 *
 * @param name - the array as the user knows it (`'oneHot.labels'`, `'dataset.y'`).
 * @throws DescentError `BAD_ARGUMENT` naming `name[i]`, the first offending value and the range.
 */
export function checkClassIds(name: string, ids: Int32Array, numClasses: number): void {
  const bad = ids.findIndex((v) => v < 0 || v >= numClasses);
  if (bad >= 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name}[${bad}] is ${ids[bad]}, outside [0, numClasses) = [0, ${numClasses}).`,
    );
  }
}
