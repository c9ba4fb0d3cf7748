import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Records the loss of every batch `model.fit` trains on, in order. */
export class BatchLosses extends tfl.Callback {
  /** One loss per batch, in training order, across every `fit` the callback was given to. */
  readonly losses: number[] = [];

  /** Reads the batch's loss (a scalar tensor in a `tfl.Callback`'s logs) with `await data()`. */
  override async onBatchEnd(_batch: number, logs?: tfl.Logs): Promise<void> {
    const loss = logs?.loss as number | tf.Scalar | undefined;
    if (loss === undefined) return;
    this.losses.push(typeof loss === 'number' ? loss : ((await loss.data())[0] as number));
  }
}
