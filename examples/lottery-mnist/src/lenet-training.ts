import * as tf from '@tensorflow/tfjs-core';
import { type Params, accuracy, softmaxCrossEntropy } from '@descent/core';
import { batches, type Dataset } from '@descent/data';
import type { EvaluateFn, TrainFn } from '@descent/lottery';
import type { Net } from '@descent/nets';
import { adam } from '@descent/optim';

/** How every network of the experiment is trained (the same for the ticket and the controls). */
export interface TrainingSetup {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the batch order (the same order for every run of one seed). */
  seed: number;
}

/** Counts training samples and the time spent on them (evaluation excluded). */
export class Throughput {
  samples = 0;
  seconds = 0;
  get samplesPerSecond(): number {
    return this.seconds === 0 ? 0 : this.samples / this.seconds;
  }
}

/**
 * The training loop of one run: Adam (its fused step) with the run's masks, so every pruned
 * weight stays exactly zero; `onStep(done, total)` after every step. A run rewound to step k
 * trains the remaining steps, over the same batches the dense run saw after step k (Frankle et
 * al.'s rewinding).
 */
export function lenetTrain(
  net: Net,
  data: Dataset,
  setup: TrainingSetup,
  throughput: Throughput,
  onStep?: (done: number, total: number) => void,
): TrainFn {
  const order = batches(data, { batchSize: setup.batchSize, shuffle: true, seed: setup.seed });
  return async (run) => {
    const optimizer = adam({ learningRate: setup.learningRate, masks: run.optimizerMasks });
    const variables = Object.values(run.params);
    const total = setup.epochs * order.numBatches - run.startStep;
    let step = 0;
    let done = 0;
    try {
      for (let epoch = 0; epoch < setup.epochs; epoch++) {
        let started = performance.now();
        for (const { x, y } of order) {
          if (step++ < run.startStep) {
            started = performance.now();
            continue;
          }
          optimizer.minimize(
            () => softmaxCrossEntropy(net.apply(run.params, x, { training: true }), y) as tf.Scalar,
            false,
            variables,
          );
          throughput.samples += x.shape[0] as number;
          throughput.seconds += (performance.now() - started) / 1000;
          done += 1;
          onStep?.(done, total);
          await run.step();
          started = performance.now();
        }
      }
    } finally {
      optimizer.dispose();
    }
  };
}

/** Mean cross-entropy on `validation` (what early stopping watches) and accuracy on `test`. */
export function lenetEvaluate(net: Net, validation: Dataset, test: Dataset): EvaluateFn {
  return async (params: Params) => ({
    loss: await meanLoss(net, params, validation),
    accuracy: await meanAccuracy(net, params, test),
  });
}

async function meanLoss(net: Net, params: Params, data: Dataset): Promise<number> {
  let sum = 0;
  for (const { x, y } of batches(data, { batchSize: 1000 })) {
    const loss = tf.tidy(() => softmaxCrossEntropy(net.apply(params, x), y, { reduction: 'sum' }));
    sum += (await loss.data())[0] as number;
    loss.dispose();
  }
  return sum / data.n;
}

async function meanAccuracy(net: Net, params: Params, data: Dataset): Promise<number> {
  let correct = 0;
  for (const { x, y } of batches(data, { batchSize: 1000 })) {
    const logits = net.apply(params, x);
    correct += (await accuracy(logits, y)) * (x.shape[0] as number);
    logits.dispose();
  }
  return correct / data.n;
}
