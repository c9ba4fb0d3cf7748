import { DescentError, type OptionReader, describeValue } from '@descent/core';

/**
 * A string option that picks one of `allowed` (`fallback` when absent).
 *
 * @throws DescentError `BAD_ARGUMENT` naming the option, the choices and the value given.
 */
export function readChoice<T extends string>(
  read: OptionReader,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = read.raw(field) ?? fallback;
  if (!allowed.includes(value as T)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name(field)} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}.`,
    );
  }
  return value as T;
}
