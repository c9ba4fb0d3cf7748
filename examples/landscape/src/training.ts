import * as tf from '@tensorflow/tfjs-core';
import { type Params, softmaxCrossEntropy, toVariables } from '@descent/core';
import { type Dataset, batches } from '@descent/data';
import type { Net } from '@descent/nets';
import { sgd } from '@descent/optim';

/** Numbers the trained copies, so their variables get unique names. */
let trained = 0;

/** How one minimum is found: SGD with momentum from the net's initialization. */
export interface TrainingSetup {
  epochs: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  /** Seeds the batch order. */
  seed: number;
  /** Called after every step with (done, total). */
  onStep?: (done: number, total: number) => void;
  /** Checked after every epoch: training stops early once it returns true. */
  done?: (params: Params) => Promise<boolean>;
}

/**
 * Trains a copy of `net.params` and returns it (the caller disposes it) with the epochs it took: up to `epochs` passes of
 * SGD with momentum over shuffled mini-batches of mean cross-entropy, fewer when `done` says so.
 */
export async function trainMinimum(
  net: Net,
  data: Dataset,
  setup: TrainingSetup,
): Promise<{ params: Params; epochs: number }> {
  const order = batches(data, { batchSize: setup.batchSize, shuffle: true, seed: setup.seed });
  const variables = toVariables(net.params, { prefix: `minimum${++trained}/` });
  const list = Object.values(variables);
  const optimizer = sgd({ learningRate: setup.learningRate, momentum: setup.momentum });
  const total = setup.epochs * order.numBatches;
  let done = 0;
  let epochs = 0;
  try {
    while (epochs < setup.epochs) {
      epochs += 1;
      for (const { x, y } of order) {
        optimizer.minimize(
          () => softmaxCrossEntropy(net.apply(variables, x, { training: true }), y) as tf.Scalar,
          false,
          list,
        );
        setup.onStep?.(++done, total);
        if (done % 50 === 0) await tf.nextFrame();
      }
      if (await setup.done?.(variables)) break;
    }
  } finally {
    optimizer.dispose();
  }
  return { params: variables, epochs };
}

/** Mean cross-entropy and accuracy of `params` on `data`, in batches of 1 000. */
export async function evaluateOn(
  net: Net,
  params: Params,
  data: Dataset,
): Promise<{ loss: number; accuracy: number }> {
  let loss = 0;
  let correct = 0;
  for (const { x, y } of batches(data, { batchSize: 1000 })) {
    const [sum, right] = tf.tidy(() => {
      const logits = net.apply(params, x);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), y), 'float32'));
      return [softmaxCrossEntropy(logits, y, { reduction: 'sum' }), hits];
    });
    loss += ((await sum.data())[0] as number) / data.n;
    correct += (await right.data())[0] as number;
    tf.dispose([sum, right]);
  }
  return { loss, accuracy: correct / data.n };
}

/** The first `n` examples of `data` (a view of its arrays, no copy). */
export function head(data: Dataset, n: number): Dataset {
  const size = data.xShape.reduce((a, b) => a * b, 1);
  return { ...data, x: data.x.subarray(0, n * size), y: data.y.subarray(0, n), n };
}
