/** Test support: fixed data, float64 references and a compiled model factory for the wrapper tests. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { adamw } from '@descent/optim';
import { warmupCosineDecay } from '@descent/schedule';

/** `n` fixed examples of a smooth function of 3 inputs. */
export function regressionData(n = 24): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const x = Array.from({ length: n * 3 }, (_, i) => Math.sin(0.37 * i + 0.2) * 1.5);
  const y = Array.from({ length: n }, (_, i) => {
    const [a, b, c] = [x[3 * i] as number, x[3 * i + 1] as number, x[3 * i + 2] as number];
    return Math.tanh(a - 2 * b) + 0.5 * c;
  });
  return { xs: tf.tensor2d(x, [n, 3]), ys: tf.tensor2d(y, [n, 1]) };
}

/** Deterministic values `sin(a·i + b)·scale`, `size` of them. */
export function wave(size: number, a: number, b: number, scale = 1): number[] {
  return Array.from({ length: size }, (_, i) => Math.sin(a * i + b) * scale);
}

/** Row-major float64 `x [n, k] · w [k, m] + bias [m]`. */
export function affine64(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  bias: ArrayLike<number>,
  n: number,
  k: number,
  m: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = bias[j] as number;
      for (let p = 0; p < k; p++) s += (x[i * k + p] as number) * (w[p * m + j] as number);
      out.push(s);
    }
  }
  return out;
}

/** Compiles with adamw on a warmup-cosine schedule (the serialization contract's optimizer). */
export function compileWithAdamw(model: tfl.LayersModel): void {
  model.compile({
    optimizer: adamw({
      learningRate: warmupCosineDecay({
        initValue: 0,
        peakValue: 0.02,
        warmupSteps: 3,
        decaySteps: 40,
      }),
      weightDecay: 0.01,
    }),
    loss: 'meanSquaredError',
  });
}

/** Disposes a model and its optimizer, if compiled. */
export function disposeModel(model: tfl.LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}
