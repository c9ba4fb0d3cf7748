import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Records the loss of every batch `model.fit` trains on, in order. */
export class BatchLosses extends tfl.Callback {
  readonly losses: number[] = [];

  override async onBatchEnd(_batch: number, logs?: tfl.Logs): Promise<void> {
    const loss = logs?.loss as number | tf.Scalar | undefined;
    if (loss === undefined) return;
    this.losses.push(typeof loss === 'number' ? loss : ((await loss.data())[0] as number));
  }
}
