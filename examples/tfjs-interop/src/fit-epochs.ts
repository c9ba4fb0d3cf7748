import type * as tfl from '@tensorflow/tfjs-layers';
import type { DigitTensors } from './mnist-tensors';

/** What {@link fitEpochs} measured. */
export interface FitTiming {
  /** The mean training loss of every epoch. */
  losses: number[];
  /** Wall-clock seconds of `model.fit` divided by the epochs. */
  secondsPerEpoch: number;
}

/**
 * `model.fit` on the training digits in their stored order (`shuffle: false`: the split is
 * already shuffled once, and a fixed order makes every run, and a resumed one, repeatable).
 */
export async function fitEpochs(
  model: tfl.LayersModel,
  train: DigitTensors,
  options: { epochs: number; batchSize: number; callbacks?: tfl.Callback[] },
): Promise<FitTiming> {
  const started = performance.now();
  const history = await model.fit(train.x, train.y, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    shuffle: false,
    verbose: 0,
    callbacks: options.callbacks ?? [],
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    losses: history.history.loss as number[],
    secondsPerEpoch: seconds / options.epochs,
  };
}

/** Optimizer steps `model.fit` takes per epoch over `n` examples. */
export function stepsPerEpoch(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}
