import { isTensor } from './is-tensor';

/**
 * True for an object literal's kind of value — what an options object or a record of parameters
 * must be: not null, an array, a typed array, a Map, a tensor or an instance of another class.
 * Never throws, whatever it is given.
 *
 * @example
 * ```ts
 * isPlainObject({ lr: 0.1 });      // true
 * isPlainObject(Object.create(null)); // true
 * isPlainObject(new Map());        // false
 * isPlainObject(tf.zeros([2]));    // false
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isTensor(value)) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
