import type * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  checkTensor,
  describeValue,
  formatShape,
  isPlainObject,
  sameShape,
} from '@descent/core';

/**
 * Validates every entry of `assignStats(vars, stats)` before anything is assigned: `vars` and
 * `stats` are plain objects; each `stats[key]` is a live tensor, not the variable itself and not
 * shared with another key; `vars[key]` exists and is a live variable of the same shape and dtype.
 * Internal.
 *
 * @throws DescentError `BAD_ARGUMENT`, `UNKNOWN_PARAM`, `DISPOSED`, `SHAPE_MISMATCH` or
 *   `DTYPE_MISMATCH`, naming the key.
 */
export function checkStats(
  vars: unknown,
  stats: unknown,
): asserts stats is Record<string, tf.Tensor> {
  checkPlainObject('vars', vars);
  checkPlainObject('stats', stats);
  const seen = new Map<tf.Tensor, string>();
  for (const [key, value] of Object.entries(stats)) {
    const label = `assignStats: stats[${JSON.stringify(key)}]`;
    const target = checkTarget(vars as Record<string, unknown>, key);
    checkTensor(label, value);
    if (value === target) {
      throw new DescentError('BAD_ARGUMENT', `${label} is vars[${JSON.stringify(key)}] itself.`);
    }
    const other = seen.get(value);
    if (other !== undefined) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label} is the same tensor as stats[${JSON.stringify(other)}]; each statistic needs its own.`,
      );
    }
    seen.set(value, key);
    if (!sameShape(value.shape, target.shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${label} has shape ${formatShape(value.shape)}, expected ${formatShape(target.shape)} (its variable's).`,
      );
    }
    if (value.dtype !== target.dtype) {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${label} (shape ${formatShape(value.shape)}) has dtype ${value.dtype}, expected ${target.dtype} (its variable's).`,
      );
    }
  }
}

function checkPlainObject(name: string, value: unknown): asserts value is object {
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `assignStats: ${name} must be a plain object of tensors, got ${describeValue(value)}.`,
    );
  }
}

/** `vars[key]`, asserted to be an own entry that is a live variable. */
function checkTarget(vars: Record<string, unknown>, key: string): tf.Variable {
  const label = `assignStats: vars[${JSON.stringify(key)}]`;
  if (!Object.hasOwn(vars, key)) {
    throw new DescentError(
      'UNKNOWN_PARAM',
      `assignStats: stats has ${JSON.stringify(key)}, which is not in vars.`,
    );
  }
  const target = vars[key];
  checkTensor(label, target);
  if (typeof (target as Partial<tf.Variable>).assign !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a tf.Variable (use toVariables), got a plain tensor; for plain params use { ...params, ...stats }.`,
    );
  }
  return target as tf.Variable;
}
