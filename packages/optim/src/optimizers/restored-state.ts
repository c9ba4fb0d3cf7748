import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, formatShape } from '@descent/core';

/**
 * What a restored state value must hold: `finite` values (the default), `nonNegative` finite
 * values (second moments, accumulated squares), a `count` (an integer ≥ 0: a step count), or
 * `any` number (a value that is NaN by design, such as L-BFGS's loss after `applyGradients`).
 */
export type RestoredBound = 'finite' | 'nonNegative' | 'count' | 'any';

/** One value `setWeights` is about to restore: a saved tensor, or a decoded number. */
export interface RestoredValue {
  /** The weight's name, as `getWeights` wrote it. */
  name: string;
  value: tf.Tensor | number;
  bound?: RestoredBound;
}

/**
 * The one check of every optimizer's restored state (`setWeights` of named, transform, wrapper
 * and L-BFGS optimizers): each value is finite and within its bound. Tensors are read
 * asynchronously (`setWeights` is async), so this works on every backend. Call it before any
 * state changes.
 *
 * @throws DescentError `NON_FINITE` (NaN or ±Infinity where a finite value is needed),
 *   `BAD_ARGUMENT` (a negative value where the slot is never negative, a step count that is not an
 *   integer ≥ 0); the message names the weight, its shape, the first offending index and value.
 */
export async function checkRestoredValues(values: readonly RestoredValue[]): Promise<void> {
  const tensors = values.filter(
    (v): v is RestoredValue & { value: tf.Tensor } =>
      typeof v.value !== 'number' && v.bound !== 'any',
  );
  const data = await Promise.all(tensors.map((v) => v.value.data()));
  tensors.forEach((v, i) => {
    checkValues(v, data[i] as ArrayLike<number>, v.value.shape);
  });
  for (const v of values) {
    if (typeof v.value === 'number' && v.bound !== 'any') checkValues(v, [v.value], []);
  }
}

function checkValues(
  entry: RestoredValue,
  data: ArrayLike<number>,
  shape: readonly number[],
): void {
  const bound = entry.bound ?? 'finite';
  for (let i = 0; i < data.length; i++) {
    const x = data[i] as number;
    const problem = !Number.isFinite(x)
      ? 'NON_FINITE'
      : (bound === 'nonNegative' && x < 0) || (bound === 'count' && (x < 0 || !Number.isInteger(x)))
        ? 'BAD_ARGUMENT'
        : undefined;
    if (problem) {
      const where = shape.length === 0 ? '' : ` at flat index ${i}`;
      throw new DescentError(
        problem,
        `optimizer weight ${entry.name} (shape ${formatShape(shape)}) holds ${x}${where}; ` +
          `expected ${EXPECTED[bound]}. The state was not restored.`,
      );
    }
  }
}

const EXPECTED: Record<RestoredBound, string> = {
  finite: 'finite values',
  nonNegative: 'finite values ≥ 0 (this slot is never negative)',
  count: 'a step count: an integer ≥ 0',
  any: 'any number',
};
