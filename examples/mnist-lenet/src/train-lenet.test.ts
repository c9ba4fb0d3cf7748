import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@descent/core';
import { expect, it } from 'vitest';
import { trainLenet } from './train-lenet';

// The end-to-end figure: LeNet-300-100 + Adam + batches(mnist) reaches ≥ 95 % on the 2 000
// held-out digits within 5 epochs on wasm. Deterministic (seeded weights and batch order; wasm
// arithmetic is IEEE), so the threshold is a fixed point, not a flaky sample.
it('LeNet-300-100 trained by fit with adam reaches ≥ 95 % test accuracy on MNIST within 5 epochs on wasm, leaking nothing', async () => {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const reports = await trainLenet({ epochs: 5, seed: 0, progress: false });
  expect(tf.memory().numTensors).toBe(before);
  expect(reports).toHaveLength(5);
  expect(reports[0]!.trainLoss).toBeGreaterThan(reports[4]!.trainLoss);
  expect(reports[4]!.testAccuracy).toBeGreaterThanOrEqual(0.95);
  for (const r of reports) expect(r.samplesPerSecond * r.seconds).toBeCloseTo(8000, 6);
}, 240_000);
