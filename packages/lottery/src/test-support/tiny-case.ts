/** Test support (not exported): one tiny classification problem and its float64 reference. */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@descent/core';
import { refGradAndHvp, sample, tinyNet, toMatrix } from './tiny-mlp';

export const [N, D, H, C] = [5, 3, 4, 3];
const X = sample(N * D, 1, 1.5);
const LABELS = [0, 2, 1, 2, 0];
const VALUES = {
  'l0/kernel': sample(D * H, 2, 0.9),
  'l0/bias': sample(H, 3, 0.3, 0.1),
  'l1/kernel': sample(H * C, 4, 0.9),
  'l1/bias': sample(C, 5, 0.3),
};
export const KEYS = ['l0/kernel', 'l0/bias', 'l1/kernel', 'l1/bias'] as const;

/** The net, its batch (int32 labels) and the float64 θ, g and H g, in {@link KEYS} order. */
export function tinyCase(): {
  model: Model;
  x: tf.Tensor;
  y: tf.Tensor;
  theta: number[][];
  g: number[][];
  hg: number[][];
} {
  const model = tinyNet([D, H, C], VALUES, true);
  const x = tf.tensor2d(X, [N, D]);
  const y = tf.tensor1d(LABELS, 'int32');
  const theta = KEYS.map((k) => VALUES[k]);
  const { g, hg } = refGradAndHvp(
    toMatrix(X, N, D),
    LABELS,
    toMatrix(VALUES['l0/kernel'], D, H),
    VALUES['l0/bias'],
    toMatrix(VALUES['l1/kernel'], H, C),
    VALUES['l1/bias'],
  );
  return { model, x, y, theta, g, hg };
}

/** Float32 tolerance for a reference `ref`: 1e-4 relative, plus 1e-5 of its largest magnitude. */
export function tol(ref: readonly number[]): { rtol: number; atol: number } {
  return { rtol: 1e-4, atol: 1e-5 * Math.max(...ref.map(Math.abs)) };
}

export function disposeCase(c: { model: Model; x: tf.Tensor; y: tf.Tensor }): void {
  tf.dispose([...Object.values(c.model.params), c.x, c.y]);
}
