import * as tf from '@tensorflow/tfjs-core';
import { type Dataset, sinusoid } from '@descent/data';

/** The training points every kernel is measured on, as tensors and as a dataset for `fit`. */
export interface RegressionTask {
  data: Dataset;
  /** Inputs `[n, 1]`. */
  x: tf.Tensor2D;
  /** Targets `[n, 1]`. */
  y: tf.Tensor2D;
  dispose(): void;
}

/** `n` noisy points of `y = sin x` on `[−π, π)` (noise σ = 0.1), drawn from `seed`. */
export function regressionTask(n: number, seed: number): RegressionTask {
  const data = sinusoid({ n, xRange: [-Math.PI, Math.PI], noise: 0.1, seed });
  const x = tf.tensor2d(data.x, [n, 1]);
  const y = tf.tensor2d(data.y as Float32Array, [n, 1]);
  return { data, x, y, dispose: () => tf.dispose([x, y]) };
}
