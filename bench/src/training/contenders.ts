import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { softmaxCrossEntropy, toVariables } from '@descent/core';
import { type MnistDataset, batches } from '@descent/data';
import { lenet300100 } from '@descent/nets';
import { adam } from '@descent/optim';

/** The four ways of training LeNet-300-100 for one epoch that the training benchmark compares. */
export type ContenderName =
  | 'descent loop + descent adam'
  | 'descent loop + tf.train.adam'
  | 'layers fit + tf.train.adam'
  | 'layers fit + descent adam';

export const CONTENDERS: readonly ContenderName[] = [
  'descent loop + descent adam',
  'descent loop + tf.train.adam',
  'layers fit + tf.train.adam',
  'layers fit + descent adam',
];

const LEARNING_RATE = 1e-3;

/** One contender with fresh weights: `epoch()` trains once over the data and waits for the device. */
export interface PreparedRun {
  epoch(): Promise<void>;
  dispose(): void;
}

/** The data of one benchmark: the dataset for `batches`, and the whole-set tensors `fit` takes. */
export interface TrainingData {
  dataset: MnistDataset;
  xs: tf.Tensor2D;
  ysOneHot: tf.Tensor2D;
  dispose(): void;
}

/** Uploads `dataset` once as the `[n, 784]` inputs and one-hot `[n, 10]` targets layers' `fit` takes. */
export function trainingData(dataset: MnistDataset): TrainingData {
  const xs = tf.tensor2d(dataset.x, [dataset.n, 784], 'float32');
  const ysOneHot = tf.tidy(
    () => tf.oneHot(tf.tensor1d(dataset.y, 'int32'), dataset.numClasses) as tf.Tensor2D,
  );
  return {
    dataset,
    xs,
    ysOneHot,
    dispose: () => {
      xs.dispose();
      ysOneHot.dispose();
    },
  };
}

/** A new optimizer: descent's `adam` or tfjs's, both at learning rate 1e-3 and their own ε. */
export function newAdam(kind: 'descent' | 'tfjs'): tf.Optimizer {
  return kind === 'descent' ? adam({ learningRate: LEARNING_RATE }) : tf.train.adam(LEARNING_RATE);
}

/** Prepares `name` with fresh weights (init seed `seed`) for epochs of `batchSize` over `data`. */
export function prepareContender(
  name: ContenderName,
  data: TrainingData,
  batchSize: number,
  seed: number,
): PreparedRun {
  switch (name) {
    case 'descent loop + descent adam':
      return descentLoop(data, batchSize, seed, newAdam('descent'));
    case 'descent loop + tf.train.adam':
      return descentLoop(data, batchSize, seed, newAdam('tfjs'));
    case 'layers fit + tf.train.adam':
      return layersFit(data, batchSize, seed, newAdam('tfjs'));
    case 'layers fit + descent adam':
      return layersFit(data, batchSize, seed, newAdam('descent'));
  }
}

let variablePrefix = 0;

/** LeNet-300-100 of `@descent/nets` as fresh `tf.Variable`s under a prefix no other run uses. */
export function lenetVariables(seed: number) {
  const net = lenet300100({ seed });
  const vars = toVariables(net.params, { prefix: `training-bench-${variablePrefix++}/` });
  for (const t of Object.values(net.params)) t.dispose();
  return { net, vars, varList: Object.values(vars) };
}

/**
 * descent's training loop: `batches` (shuffled, seeded) + `apply` + `softmaxCrossEntropy` +
 * `optimizer.minimize(…, false, varList)`; the epoch ends with one read of a weight.
 */
function descentLoop(
  data: TrainingData,
  batchSize: number,
  seed: number,
  optimizer: tf.Optimizer,
): PreparedRun {
  const { net, vars, varList } = lenetVariables(seed);
  const loader = batches(data.dataset, { batchSize, shuffle: true, seed });
  return {
    epoch: async () => {
      for (const { x, y } of loader) {
        optimizer.minimize(
          () => softmaxCrossEntropy(net.apply(vars, x, { training: true }), y) as tf.Scalar,
          false,
          varList,
        );
      }
      await settle(varList[0] as tf.Tensor);
    },
    dispose: () => {
      optimizer.dispose();
      for (const v of varList) v.dispose();
    },
  };
}

/** The same architecture in tfjs-layers (glorot-normal kernels, zero biases, softmax output). */
export function layersLenet(seed: number): tfl.Sequential {
  const dense = (units: number, activation: 'relu' | 'softmax', offset: number) =>
    tfl.layers.dense({
      units,
      activation,
      kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + offset }),
    });
  const model = tfl.sequential();
  model.add(tfl.layers.inputLayer({ inputShape: [784] }));
  model.add(dense(300, 'relu', 0));
  model.add(dense(100, 'relu', 1));
  model.add(dense(10, 'softmax', 2));
  return model;
}

/** tfjs-layers' `model.fit(xs, ys, { batchSize, epochs: 1, shuffle: true })`, categorical cross-entropy. */
function layersFit(
  data: TrainingData,
  batchSize: number,
  seed: number,
  optimizer: tf.Optimizer,
): PreparedRun {
  const model = layersLenet(seed);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return {
    epoch: async () => {
      await model.fit(data.xs, data.ysOneHot, { batchSize, epochs: 1, shuffle: true, verbose: 0 });
      await settle(model.getWeights()[0] as tf.Tensor);
    },
    dispose: () => {
      model.dispose();
      optimizer.dispose();
    },
  };
}

/** Waits for the backend to finish every kernel that wrote `t` by reading one element. */
export async function settle(t: tf.Tensor): Promise<void> {
  const one = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), 0, 1));
  await one.data();
  one.dispose();
}
