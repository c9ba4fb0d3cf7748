import { formatShape } from './format-shape';
import { isTensor } from './is-tensor';

/** Keys of an object shown before `…`. */
const SHOWN_KEYS = 5;
/** Characters of a string shown before `…`. */
const SHOWN_CHARS = 40;

/**
 * A short description of a value that was not what an argument or option needed, for the
 * `got …` part of an error message: its kind, and enough of it to recognize it (a number's value,
 * a string in quotes, an array's length, an object's first keys, a tensor's dtype and shape).
 * Never the whole value: long strings and objects with many keys are cut short.
 *
 * @example
 * ```ts
 * describeValue(42); // 'number 42'
 * describeValue('relu6'); // '"relu6"'
 * describeValue([1, 2]); // 'an array of length 2'
 * describeValue({ lr: 0.1 }); // 'an object with keys "lr"'
 * describeValue(tf.zeros([2, 3])); // 'a float32 tensor of shape [2, 3]'
 * throw new DescentError('BAD_ARGUMENT', `seed must be a number, got ${describeValue(seed)}.`);
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return describeString(value);
  if (typeof value === 'function') return value.name ? `a function (${value.name})` : 'a function';
  if (typeof value === 'object') return describeObject(value);
  return `${typeof value} ${String(value)}`;
}

function describeString(value: string): string {
  if (value.length <= SHOWN_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, SHOWN_CHARS))}… (${value.length} characters)`;
}

function describeObject(value: object): string {
  if (isTensor(value)) {
    const disposed = value.isDisposed ? ' (disposed)' : '';
    const article = /^[aeiou]/.test(value.dtype) ? 'an' : 'a';
    return `${article} ${value.dtype} tensor of shape ${formatShape(value.shape)}${disposed}`;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value) && 'length' in value) {
    return `a ${value.constructor.name} of length ${value.length}`;
  }
  if (value instanceof Map) return `a Map of size ${value.size}`;
  if (value instanceof Set) return `a Set of size ${value.size}`;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an object with no keys';
    const shown = keys.slice(0, SHOWN_KEYS).map((k) => JSON.stringify(k));
    const more = keys.length > SHOWN_KEYS ? `, … (${keys.length} in all)` : '';
    return `an object with key${keys.length > 1 ? 's' : ''} ${shown.join(', ')}${more}`;
  }
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object';
}
