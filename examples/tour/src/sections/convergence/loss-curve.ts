import type * as tf from '@tensorflow/tfjs-core';
import { type Model, softmaxCrossEntropy, toVariables } from '@descent/core';
import { type Dataset, batches } from '@descent/data';
import { sgd } from '@descent/optim';

/** How {@link lossCurve} trains. */
export interface LossCurveSetup {
  /** Training steps (mini-batches), drawn epoch after epoch. */
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Heavy-ball momentum of SGD (0 for plain SGD). */
  momentum: number;
  /** Seeds the batch order. */
  seed: number;
  /** Prefix of the variables' tfjs names, unique among the variables alive at the same time. */
  prefix: string;
  /** Called after every step with the steps done so far. */
  onStep?: (done: number) => void;
}

/**
 * Trains a copy of `model.params` with SGD (with momentum) on mean softmax cross-entropy over
 * shuffled mini-batches of `data`, and returns the loss of every step, measured on its batch
 * before the step's update (so `losses[0]` is the loss at initialization). Parameters whose
 * `info` role is `'stat'` (batch norm's running statistics) are not trained. A non-finite loss
 * ends the run early: the curve is then shorter than `steps` and ends with that loss. Nothing
 * the call makes outlives it.
 */
export async function lossCurve(
  model: Model,
  data: Dataset,
  setup: LossCurveSetup,
): Promise<number[]> {
  const order = batches(data, { batchSize: setup.batchSize, shuffle: true, seed: setup.seed });
  const variables = toVariables(model.params, { prefix: setup.prefix });
  const trainable = Object.keys(variables)
    .filter((key) => model.info[key]?.role !== 'stat')
    .map((key) => variables[key]!);
  const optimizer = sgd({ learningRate: setup.learningRate, momentum: setup.momentum });
  const losses: number[] = [];
  try {
    while (losses.length < setup.steps) {
      for (const { x, y } of order) {
        const loss = await trainStep(optimizer, trainable, () =>
          softmaxCrossEntropy(model.apply(variables, x, { training: true }), y),
        );
        losses.push(loss);
        setup.onStep?.(losses.length);
        if (losses.length === setup.steps || !Number.isFinite(loss)) break;
      }
      if (!Number.isFinite(losses[losses.length - 1]!)) break;
    }
  } finally {
    optimizer.dispose();
    for (const v of Object.values(variables)) v.dispose();
  }
  return losses;
}

/** One minimize step; the loss it returns was computed before the update. */
async function trainStep(
  optimizer: tf.Optimizer,
  trainable: tf.Variable[],
  loss: () => tf.Tensor,
): Promise<number> {
  const cost = optimizer.minimize(() => loss() as tf.Scalar, true, trainable);
  if (cost === null) return Number.NaN;
  try {
    return (await cost.data())[0]!;
  } finally {
    cost.dispose();
  }
}
