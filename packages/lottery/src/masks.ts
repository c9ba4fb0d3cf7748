import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, checkTensor, formatShape } from '@descent/core';

/**
 * Pruning masks: one float32 tensor of 0s and 1s per prunable parameter, keyed and shaped like
 * that parameter (`mask[i] = 1` keeps weight `i`, `0` removes it). Parameters without a mask are
 * not pruned. `prune` returns one, `applyMasks` uses one (`θ ⊙ m`), `densityReport` counts one.
 *
 * @example
 * ```ts
 * const masks: Masks = { 'dense1/kernel': tf.tensor2d([[1, 0], [0, 1]]) };
 * ```
 */
export type Masks = Record<string, tf.Tensor>;

/**
 * Asserts `mask` is a live float32 tensor of shape `shape` (when given); `label` names it.
 *
 * @throws DescentError `BAD_ARGUMENT` (not a tensor), `DISPOSED`, `DTYPE_MISMATCH`,
 *   `SHAPE_MISMATCH`.
 */
export function checkMask(label: string, mask: unknown, shape?: readonly number[]): tf.Tensor {
  checkTensor(label, mask);
  if (mask.dtype !== 'float32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${label} must be a float32 tensor of 0s and 1s, got dtype ${mask.dtype}.`,
    );
  }
  if (shape !== undefined && !sameDims(mask.shape, shape)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${label} has shape ${formatShape(mask.shape)} but its parameter has shape ${formatShape(shape)}; they must match.`,
    );
  }
  return mask;
}

/**
 * Asserts the values read from a mask are all 0 or 1.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the first other value and its flat index.
 */
export function checkMaskValues(label: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== 0 && v !== 1) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label} must hold only 0s and 1s, got ${v} at flat index ${i}.`,
      );
    }
  }
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
