import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { maxLearningRate } from './max-learning-rate';

/** `|f − y|` after `steps` discrete gradient-descent steps `f ← f − (η/S)K(f − y)` from 0. */
function discreteError(k: number[][], y: number[], eta: number, steps: number): number {
  const f = y.map(() => 0);
  for (let s = 0; s < steps; s++) {
    const r = f.map((v, i) => v - y[i]!);
    const step = k.map((row) => row.reduce((sum, x, j) => sum + x * r[j]!, 0));
    for (let i = 0; i < f.length; i++) f[i] = f[i]! - (eta / y.length) * step[i]!;
  }
  return Math.hypot(...f.map((v, i) => v - y[i]!));
}

forEachBackend('maxLearningRate', () => {
  it('is 2N/λ_max: 4/3 for [[2, 1], [1, 2]], and 2·yCount/λ_max with yCount', async () => {
    const k = tf.tensor2d([
      [2, 1],
      [1, 2],
    ]);
    await expectNoLeaks(async () => {
      expect(Math.abs((await maxLearningRate(k)) - 4 / 3)).toBeLessThan(1e-12);
      expect(Math.abs((await maxLearningRate(k, { yCount: 6 })) - 4)).toBeLessThan(1e-12);
    });
    k.dispose();
  });

  it('separates converging from diverging discrete gradient descent', async () => {
    const rows = [
      [3, 1, 0.5],
      [1, 2, 0.25],
      [0.5, 0.25, 1],
    ];
    const y = [1, 0.5, -1];
    const k = tf.tensor2d(rows);
    const limit = await maxLearningRate(k);
    expect(discreteError(rows, y, 0.95 * limit, 400)).toBeLessThan(1e-3);
    expect(discreteError(rows, y, 1.05 * limit, 400)).toBeGreaterThan(10);
    k.dispose();
  });

  it('is Infinity for the zero kernel', async () => {
    const k = tf.zeros([3, 3]);
    expect(await maxLearningRate(k)).toBe(Number.POSITIVE_INFINITY);
    k.dispose();
  });
});
