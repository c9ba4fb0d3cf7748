import { disposeParams } from '@descent/core';
import { fit, mnist } from '@descent/data';
import { lenet300100 } from '@descent/nets';
import { adam } from '@descent/optim';

/** Options of {@link trainLenet}. */
export interface TrainOptions {
  /** Passes over the 8 000 training digits. Default 5. */
  epochs?: number;
  /** Default 32 (Frankle & Carbin use 60 over 50 000 iterations; 5 epochs of 8 000 digits need more steps). */
  batchSize?: number;
  /** Adam's learning rate. Default 1e-3. */
  learningRate?: number;
  /** Seeds the initial weights and the batch order. Default 0. */
  seed?: number;
  /** A progress bar on stderr: `'auto'` (default) draws one in a terminal. */
  progress?: boolean | 'auto';
  /** Called after each epoch with its mean training loss, speed and the held-out accuracy. */
  onEpoch?: (report: EpochReport) => void;
}

/** What one epoch achieved. */
export interface EpochReport {
  epoch: number;
  trainLoss: number;
  testAccuracy: number;
  /** Training examples per second (the held-out evaluation excluded). */
  samplesPerSecond: number;
  /** Seconds of training in this epoch (the held-out evaluation excluded). */
  seconds: number;
}

/**
 * Trains LeNet-300-100 (784-300-100-10, ReLU) on the 8 000 MNIST training digits of
 * `@descent/data` with descent's Adam through `fit`, and reports, after every epoch, the accuracy
 * on the 2 000 held-out digits. Everything runs on the active tfjs backend; nothing leaks.
 */
export async function trainLenet(options: TrainOptions = {}): Promise<EpochReport[]> {
  const { epochs = 5, batchSize = 32, learningRate = 1e-3, seed = 0, progress, onEpoch } = options;
  const [train, test] = await Promise.all([mnist({ split: 'train' }), mnist({ split: 'test' })]);
  const net = lenet300100({ seed });
  const optimizer = adam({ learningRate });
  const reports: EpochReport[] = [];
  try {
    // biome-ignore lint/suspicious/noFocusedTests: @descent/data's training loop, not Jasmine's focused test
    const history = await fit(net, optimizer, train, {
      epochs,
      batchSize,
      seed,
      progress,
      validation: test,
      onEpoch: (e) => {
        const report = {
          epoch: e.epoch,
          trainLoss: e.loss,
          testAccuracy: e.validation?.accuracy as number,
          samplesPerSecond: e.samplesPerSecond,
          seconds: e.seconds,
        };
        reports.push(report);
        onEpoch?.(report);
      },
    });
    disposeParams(history.params ?? {});
  } finally {
    optimizer.dispose();
    disposeParams(net.params);
  }
  return reports;
}
