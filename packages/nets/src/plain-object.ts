import { isTensor } from '@descent/core';

/**
 * An object literal's kind of value (what core's `checkOptions` accepts): not null, an array, a
 * Map, a tensor or an instance of another class. Internal.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isTensor(value)) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
