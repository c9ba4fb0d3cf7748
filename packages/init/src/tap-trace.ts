import * as tf from '@tensorflow/tfjs-core';
import { type ApplyFn, DescentError, type Params, describeValue, isTensor } from '@descent/core';

/** One `tap` call of a forward pass: the layer name and the shape of its pre-activation. */
export interface TapRecord {
  layer: string;
  shape: number[];
}

/**
 * Runs `apply(params, x, { tap })` once, recording every tap call in order, calls `onOutput`
 * with the output (inside the same scope, e.g. to check a loss), and disposes everything it made.
 *
 * @throws DescentError `BAD_ARGUMENT` (naming `fn`) if the model never calls `tap` or does not
 *   return a tensor.
 */
export function traceTaps(
  fn: string,
  apply: ApplyFn,
  params: Params,
  x: tf.Tensor,
  onOutput?: (y: tf.Tensor) => void,
): TapRecord[] {
  const records: TapRecord[] = [];
  tf.tidy(() => {
    const y = apply(params, x, {
      training: false,
      tap: (layer, z) => {
        records.push({ layer: String(layer), shape: [...z.shape] });
        return z;
      },
    });
    if (!isTensor(y) || y.isDisposed) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${fn}: model.apply must return a live tensor, got ${describeValue(y)}.`,
      );
    }
    onOutput?.(y);
  });
  if (records.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: model.apply never called options.tap, so its layers cannot be seen; ` +
        'the model must call tap(layer, z) on each layer pre-activation (as @descent/nets models do).',
    );
  }
  return records;
}
