import { checkTensor, DescentError, describeValue, isTensor } from '@descent/core';
import type { TransformState } from './transform-state';

/**
 * Asserts `value` has the shape of a {@link TransformState}: `slots` a record of records of
 * tensors or numbers, `scalars` a record of numbers, `inner` an array of states. With `live`, every
 * tensor must also be undisposed (a state an update reads). O(number of slots), no device read.
 *
 * @param name - How the caller's user knows the argument (`'state'`).
 * @throws DescentError `BAD_ARGUMENT` naming the offending part, `DISPOSED` for a disposed tensor
 *   when `live`.
 */
export function checkTransformState(
  name: string,
  value: unknown,
  live = false,
): asserts value is TransformState {
  if (!isRecord(value)) fail(name, 'a TransformState ({ slots, scalars, inner })', value);
  const { slots, scalars, inner } = value as Record<string, unknown>;
  if (!isRecord(slots)) fail(`${name}.slots`, 'a record of slots by parameter name', slots);
  for (const [param, entry] of Object.entries(slots as Record<string, unknown>)) {
    const where = `${name}.slots[${JSON.stringify(param)}]`;
    if (!isRecord(entry)) fail(where, 'a record of tensors and numbers', entry);
    for (const [key, slot] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof slot === 'number') continue;
      const at = `${where}.${key}`;
      if (!isTensor(slot)) fail(at, 'a tensor or a number', slot);
      if (live) checkTensor(at, slot);
    }
  }
  if (!isRecord(scalars)) fail(`${name}.scalars`, 'a record of numbers', scalars);
  for (const [key, scalar] of Object.entries(scalars as Record<string, unknown>)) {
    if (typeof scalar !== 'number') fail(`${name}.scalars.${key}`, 'a number', scalar);
  }
  if (!Array.isArray(inner)) fail(`${name}.inner`, 'an array of states', inner);
  for (const [i, child] of (inner as unknown[]).entries()) {
    checkTransformState(`${name}.inner[${i}]`, child, live);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isTensor(value);
}

function fail(name: string, expected: string, got: unknown): never {
  throw new DescentError('BAD_ARGUMENT', `${name} must be ${expected}, got ${describeValue(got)}.`);
}
