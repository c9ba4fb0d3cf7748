/** Test support: a tiny seeded regression model and its data, shared by the callback tests. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** 24 fixed examples of a smooth function of 3 inputs. */
export function regressionData(): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const n = 24;
  const x = Array.from({ length: n * 3 }, (_, i) => Math.sin(0.37 * i + 0.2) * 1.5);
  const y = Array.from({ length: n }, (_, i) => {
    const [a, b, c] = [x[3 * i] as number, x[3 * i + 1] as number, x[3 * i + 2] as number];
    return Math.tanh(a - 2 * b) + 0.5 * c;
  });
  return { xs: tf.tensor2d(x, [n, 3]), ys: tf.tensor2d(y, [n, 1]) };
}

/** Dense 3 → 8 (tanh) → 1, seeded; weights: kernel [3, 8], bias [8], kernel [8, 1], bias [1]. */
export function tinyModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      units: 8,
      inputShape: [3],
      activation: 'tanh',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }),
      biasInitializer: tfl.initializers.constant({ value: 0.1 }),
    }),
  );
  model.add(
    tfl.layers.dense({
      units: 1,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }),
      biasInitializer: tfl.initializers.constant({ value: 0.1 }),
    }),
  );
  return model;
}
