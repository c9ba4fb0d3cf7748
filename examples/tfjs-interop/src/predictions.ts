import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DigitTensors } from './mnist-tensors';

/** The class probabilities `model.predict` gives for every test digit, `[N · 10]`, and its accuracy. */
export interface Predictions {
  probabilities: Float32Array;
  /** Fraction of digits whose most probable class is their label. */
  accuracy: number;
}

/** Predicts the digits of `set` and scores the predictions against their labels. */
export async function predictDigits(
  model: tfl.LayersModel,
  set: DigitTensors,
): Promise<Predictions> {
  const probabilities = model.predict(set.x, { batchSize: 500 }) as tf.Tensor2D;
  const guesses = tf.argMax(probabilities, 1);
  const [values, classes] = await Promise.all([probabilities.data(), guesses.data()]);
  tf.dispose([probabilities, guesses]);
  let correct = 0;
  classes.forEach((c, i) => {
    if (c === set.labels[i]) correct += 1;
  });
  return { probabilities: values as Float32Array, accuracy: correct / set.labels.length };
}
