import * as tf from '@tensorflow/tfjs-core';
import { mnist } from '@descent/data';

/** One split as the tfjs app feeds it to `model.fit`: images, one-hot targets and the labels. */
export interface DigitTensors {
  /** float32 `[N, 28, 28, 1]` in [0, 1]. */
  x: tf.Tensor4D;
  /** float32 one-hot `[N, 10]`, for `categoricalCrossentropy`. */
  y: tf.Tensor2D;
  /** The digit of every example, read back on the host for accuracies. */
  labels: Int32Array;
}

/** The training and test splits. */
export interface MnistTensors {
  train: DigitTensors;
  test: DigitTensors;
}

/** Sizes of {@link loadDigits}'s splits. */
export interface DigitCounts {
  /** Training digits, at most 8 000 (a class-balanced prefix of the training split). */
  train: number;
  /** Test digits, at most 2 000 (a class-balanced prefix of the held-out split). */
  test: number;
}

/**
 * `@descent/data`'s MNIST digits as the tensors a tfjs app trains on (the training and held-out
 * splits never share a digit). The caller disposes them with {@link disposeDigits}.
 */
export async function loadDigits(counts: DigitCounts): Promise<MnistTensors> {
  const [train, test] = await Promise.all([
    mnist({ split: 'train', limit: counts.train, flatten: false }),
    mnist({ split: 'test', limit: counts.test, flatten: false }),
  ]);
  return { train: toTensors(train), test: toTensors(test) };
}

/** Frees both splits' tensors. */
export function disposeDigits(digits: MnistTensors): void {
  tf.dispose([digits.train.x, digits.train.y, digits.test.x, digits.test.y]);
}

function toTensors(set: { x: Float32Array; y: Int32Array; n: number }): DigitTensors {
  return {
    x: tf.tensor4d(set.x, [set.n, 28, 28, 1]),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(set.y, 'int32'), 10), 'float32') as tf.Tensor2D),
    labels: set.y,
  };
}
