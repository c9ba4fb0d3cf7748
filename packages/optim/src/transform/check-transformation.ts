import { DescentError, describeValue } from '@descent/core';
import type { GradientTransformation } from './gradient-transformation';

/**
 * Asserts `value` is a {@link GradientTransformation} (an object with `init` and `update`
 * functions), so that a wrapper given something else fails when it is built, not at its first step.
 *
 * @param name - How the caller's user knows the argument (`'chain: transforms[1]'`).
 * @throws DescentError `BAD_ARGUMENT` naming the argument and what it got.
 */
export function checkTransformation(
  name: string,
  value: unknown,
): asserts value is GradientTransformation {
  const candidate = value as Partial<GradientTransformation> | null | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.init !== 'function' ||
    typeof candidate.update !== 'function'
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a GradientTransformation ({ init, update }), got ${describeValue(value)}.`,
    );
  }
}
