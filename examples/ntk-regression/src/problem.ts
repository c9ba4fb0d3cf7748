import * as tf from '@tensorflow/tfjs-core';
import { sinusoid } from '@descent/data';
import { type Net, wideMlp } from '@descent/nets';
import { dense, erf, serial } from '@descent/ntk';

/** The architecture of every net: 2 hidden erf layers, NTK parameterization (neural-tangents' cookbook). */
export const ARCHITECTURE = { depth: 2, weightStd: 1.5, biasStd: 0.05 } as const;

/** The regression task: `y = sin x` on `[−π, π]`, a few noisy training points and a test grid. */
export interface Problem {
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor2D;
  xTest: tf.Tensor2D;
  yTest: tf.Tensor2D;
  dispose(): void;
}

/** `n` training points of `sinusoid` (noise σ = 0.1) and `m` evenly spaced test points. */
export function makeProblem(n = 12, m = 65): Problem {
  const train = sinusoid({ n, xRange: [-Math.PI, Math.PI], noise: 0.1, seed: 0 });
  const grid = Array.from({ length: m }, (_, i) => -Math.PI + (2 * Math.PI * i) / (m - 1));
  const xTrain = tf.tensor2d(train.x, [n, 1]);
  const yTrain = tf.tensor2d(train.y, [n, 1]);
  const xTest = tf.tensor2d(grid, [m, 1]);
  const yTest = tf.tensor2d(
    grid.map((x) => Math.sin(x)),
    [m, 1],
  );
  return {
    xTrain,
    yTrain,
    xTest,
    yTest,
    dispose: () => tf.dispose([xTrain, yTrain, xTest, yTest]),
  };
}

/** The finite net of a width and seed: `wideMlp` in the NTK parameterization. */
export function makeNet(width: number, seed: number): Net {
  return wideMlp({ inputDim: 1, width, activation: 'erf', seed, ...ARCHITECTURE });
}

/** The infinitely wide version of the same net. */
export function infiniteNet() {
  const layer = () => dense({ weightStd: ARCHITECTURE.weightStd, biasStd: ARCHITECTURE.biasStd });
  const hidden = Array.from({ length: ARCHITECTURE.depth }, () => [layer(), erf()]).flat();
  return serial(...hidden, layer());
}
