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
  // Names are built only on failure: an update checks its state on every step.
  const where = (param: string) => `${name}.slots[${JSON.stringify(param)}]`;
  for (const param in slots as Record<string, unknown>) {
    const entry = (slots as Record<string, unknown>)[param];
    if (!isRecord(entry)) fail(where(param), 'a record of tensors and numbers', entry);
    for (const key in entry) {
      const slot = entry[key];
      if (typeof slot === 'number' || (isTensor(slot) && !(live && slot.isDisposed))) continue;
      const at = `${where(param)}.${key}`;
      if (!isTensor(slot)) fail(at, 'a tensor or a number', slot);
      checkTensor(at, slot);
    }
  }
  if (!isRecord(scalars)) fail(`${name}.scalars`, 'a record of numbers', scalars);
  for (const key in scalars as Record<string, unknown>) {
    const scalar = (scalars as Record<string, unknown>)[key];
    if (typeof scalar !== 'number') fail(`${name}.scalars.${key}`, 'a number', scalar);
  }
  if (!Array.isArray(inner)) fail(`${name}.inner`, 'an array of states', inner);
  for (let i = 0; i < (inner as unknown[]).length; i++) {
    checkTransformState(`${name}.inner[${i}]`, (inner as unknown[])[i], live);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isTensor(value);
}

function fail(name: string, expected: string, got: unknown): never {
  throw new DescentError('BAD_ARGUMENT', `${name} must be ${expected}, got ${describeValue(got)}.`);
}
