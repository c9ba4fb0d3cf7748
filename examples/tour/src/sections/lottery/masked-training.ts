import type * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '@descent/core';
import { type Dataset, batches } from '@descent/data';
import type { TrainFn } from '@descent/lottery';
import type { Net } from '@descent/nets';
import { adam } from '@descent/optim';

/** How every network of the lottery experiment trains (tickets and controls alike). */
export interface MaskedTrainingPlan {
  net: Net;
  train: Dataset;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the batch order, the same for every run. */
  seed: number;
  /** Called after every step of every run. */
  onStep?: () => void;
}

/**
 * The `train` of `imp`: Adam (its fused step) given the run's masks, so that pruned weights stay
 * exactly zero. Every run sees the same batches in the same order; a run rewound to step k skips
 * the first k batches and trains the rest (Frankle et al.'s rewinding).
 */
export function maskedTraining(plan: MaskedTrainingPlan): TrainFn {
  return async (run) => {
    const optimizer = adam({ learningRate: plan.learningRate, masks: run.optimizerMasks });
    const variables = Object.values(run.params);
    const order = batches(plan.train, {
      batchSize: plan.batchSize,
      shuffle: true,
      seed: plan.seed,
    });
    let step = 0;
    try {
      for (let epoch = 0; epoch < plan.epochs; epoch++) {
        for (const { x, y } of order) {
          if (step++ < run.startStep) continue;
          optimizer.minimize(
            () =>
              softmaxCrossEntropy(
                plan.net.apply(run.params, x, { training: true }),
                y,
              ) as tf.Scalar,
            false,
            variables,
          );
          plan.onStep?.();
          await run.step();
        }
      }
    } finally {
      optimizer.dispose();
    }
  };
}
