import * as tf from '@tensorflow/tfjs-core';
import { checkTensor, copyTensor, DescentError, formatShape } from '@descent/core';
import type { NamedTensor } from './gradient-input';
import { checkRestoredValues } from './restored-state';
import { decodeNumber, encodeNumber } from './state-weights';

/** Name of the step count in `getWeights()` (tfjs's own optimizers use the same). */
export const ITERATIONS = 'iter';

/** One saved state value: a tensor (copied when saved) or a number (encoded exactly). */
export interface StateEntry {
  name: string;
  value: tf.Tensor | number;
}

/**
 * The tensors an optimizer's `getWeights()` hands out: `[iter, ...entries]`, tensors copied and
 * numbers encoded exactly (`encodeNumber`), so later steps never change them. They belong to the
 * optimizer until the next {@link WeightSnapshots.take} or {@link WeightSnapshots.dispose} (tfjs's
 * optimizers behave the same way); callers must not dispose them.
 */
export class WeightSnapshots {
  private held: tf.Tensor[] = [];

  /** Frees the previous snapshot and returns a new one; on failure nothing is left allocated. */
  take(iterations: number, entries: Iterable<StateEntry>): NamedTensor[] {
    this.dispose();
    const out: NamedTensor[] = [{ name: ITERATIONS, tensor: tf.scalar(iterations, 'int32') }];
    try {
      for (const { name, value } of entries) {
        out.push({
          name,
          tensor: typeof value === 'number' ? encodeNumber(value) : copyTensor(value, name),
        });
      }
    } catch (e) {
      tf.dispose(out.map((w) => w.tensor));
      throw e;
    }
    this.held = out.map((w) => tf.keep(w.tensor));
    return out;
  }

  dispose(): void {
    tf.dispose(this.held);
    this.held = [];
  }
}

/** Saved weights by name (the step count taken out), as {@link readWeights} returns them. */
export interface SavedWeights {
  iterations: number;
  weights: Map<string, tf.Tensor>;
}

/**
 * Checks what `setWeights` was given — an array of `{ name, tensor }` with live tensors and
 * distinct names, `iter` a scalar — and returns the step count and the other weights by name.
 * Nothing is copied.
 *
 * @throws DescentError `BAD_ARGUMENT` (not such an array, a name twice, `iter` not an integer ≥ 0),
 *   `DISPOSED`, `SHAPE_MISMATCH` (`iter` not a scalar), `NON_FINITE` (`iter` NaN or infinite).
 */
export async function readWeights(weightValues: unknown): Promise<SavedWeights> {
  if (!Array.isArray(weightValues)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      'setWeights takes the array of { name, tensor } that getWeights returned.',
    );
  }
  const weights = new Map<string, tf.Tensor>();
  weightValues.forEach((w: Partial<NamedTensor> | null, i) => {
    const name = w?.name;
    if (typeof name !== 'string') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `setWeights: weightValues[${i}] must be { name: string, tensor: tf.Tensor }.`,
      );
    }
    checkTensor(`optimizer weight ${name}`, w?.tensor);
    if (weights.has(name)) {
      throw new DescentError('BAD_ARGUMENT', `setWeights: optimizer weight ${name} appears twice.`);
    }
    weights.set(name, w?.tensor as tf.Tensor);
  });
  const iter = weights.get(ITERATIONS);
  weights.delete(ITERATIONS);
  if (iter === undefined) return { iterations: 0, weights };
  if (iter.rank !== 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `optimizer weight ${ITERATIONS} has shape ${formatShape(iter.shape)}, expected [].`,
    );
  }
  const iterations = await decodeNumber(ITERATIONS, iter);
  await checkRestoredValues([{ name: ITERATIONS, value: iterations, bound: 'count' }]);
  return { iterations, weights };
}
