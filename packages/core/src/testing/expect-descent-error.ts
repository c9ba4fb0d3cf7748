import { expect } from 'vitest';
import { type DescentError, type DescentErrorCode, isDescentError } from '../errors/descent-error';

/**
 * Asserts `fn` throws a {@link DescentError} with `code` whose message contains every fragment
 * (a parameter name, a shape such as `[2, 3]`, …), and returns the error.
 *
 * @example
 * ```ts
 * expectDescentError(() => scaledSubtract(w, tf.zeros([3]), 0.1), 'SHAPE_MISMATCH', '[3]');
 * ```
 */
export function expectDescentError(
  fn: () => unknown,
  code: DescentErrorCode,
  ...fragments: string[]
): DescentError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  return checkDescentError(thrown, code, fragments);
}

/** {@link expectDescentError} for an action that may reject asynchronously (e.g. `setWeights`). */
export async function expectDescentErrorAsync(
  action: () => unknown,
  code: DescentErrorCode,
  ...fragments: string[]
): Promise<DescentError> {
  let thrown: unknown;
  try {
    await action();
  } catch (e) {
    thrown = e;
  }
  return checkDescentError(thrown, code, fragments);
}

function checkDescentError(
  thrown: unknown,
  code: DescentErrorCode,
  fragments: string[],
): DescentError {
  expect(isDescentError(thrown), `expected a DescentError ${code}, got ${String(thrown)}`).toBe(
    true,
  );
  const error = thrown as DescentError;
  expect(error.code, error.message).toBe(code);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}
