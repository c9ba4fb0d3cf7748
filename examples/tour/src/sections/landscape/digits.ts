import * as tf from '@tensorflow/tfjs-core';
import { type MnistDataset, mnist } from '@descent/data';

/** The digits the section trains and measures on. */
export interface Digits {
  train: MnistDataset;
  /** The first training digits, as one batch: the landscape loss `L(θ)` averages over them. */
  lossX: tf.Tensor2D;
  lossY: tf.Tensor1D;
  /** Held-out digits, as one batch. */
  testX: tf.Tensor2D;
  testY: tf.Tensor1D;
  dispose(): void;
}

/** `trainExamples` training digits, the first `lossExamples` of them and `testExamples` test digits. */
export async function loadDigits(
  trainExamples: number,
  lossExamples: number,
  testExamples: number,
): Promise<Digits> {
  const [train, test] = await Promise.all([
    mnist({ split: 'train', limit: trainExamples }),
    mnist({ split: 'test', limit: testExamples }),
  ]);
  const pixels = train.x.length / train.n;
  const lossX = tf.tensor2d(train.x.subarray(0, lossExamples * pixels), [lossExamples, pixels]);
  const lossY = tf.tensor1d(train.y.subarray(0, lossExamples), 'int32');
  const testX = tf.tensor2d(test.x, [test.n, pixels]);
  const testY = tf.tensor1d(test.y, 'int32');
  return {
    train,
    lossX,
    lossY,
    testX,
    testY,
    dispose: () => tf.dispose([lossX, lossY, testX, testY]),
  };
}
