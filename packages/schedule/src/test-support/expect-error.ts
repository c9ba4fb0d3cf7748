import { type DescentErrorCode, isDescentError } from '@descent/core';
import { expect } from 'vitest';

/** Asserts `fn` throws a DescentError with `code` whose message contains every `fragments` entry. */
export function expectDescentError(
  fn: () => unknown,
  code: DescentErrorCode,
  ...fragments: string[]
): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(isDescentError(error), `expected a DescentError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code, String(error)).toBe(code);
  for (const fragment of fragments) expect(String((error as Error).message)).toContain(fragment);
}
