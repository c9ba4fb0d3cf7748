import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@descent/core';
import { expect, it } from 'vitest';
import { runLottery } from './experiment';
import { accuraciesAt, difference } from './findings';

// The lottery-ticket claims on the embedded MNIST, in CI's budget: 7 layerwise rounds (21.1 % of
// the weights left) with 1 epoch per run instead of the example's 2, over 3 seeds, the controls
// trained at the last round only. wasm arithmetic is deterministic, so the thresholds check a
// fixed outcome, not a sample.
it('on MNIST at 21.1 % density the winning ticket matches the dense LeNet-300-100 and beats random reinit, over 3 seeds', async () => {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const result = await runLottery({
    seeds: [0, 1, 2],
    rounds: 7,
    epochs: 1,
    batchSize: 60,
    learningRate: 1.2e-3,
    evaluationsPerEpoch: 2,
    controls: 'last-round',
  });
  expect(tf.memory().numTensors).toBe(before);
  for (const { result: seedResult } of result.bySeed) {
    const densities = seedResult.rounds.map((r) => (100 * r.density.overall.density).toFixed(1));
    expect(densities).toEqual(['100.0', '80.0', '64.1', '51.3', '41.1', '32.9', '26.3', '21.1']);
  }
  const ticket = accuraciesAt(result, 'ticket', 7, 'earlyStop');
  const dense = accuraciesAt(result, 'ticket', 0, 'earlyStop');
  const reinit = accuraciesAt(result, 'randomReinit', 7, 'earlyStop');
  const pruned = accuraciesAt(result, 'randomPruning', 7, 'earlyStop');
  // Within 0.5 points of the dense network (or above it), on average over the seeds.
  expect(difference(ticket, dense).mean).toBeGreaterThanOrEqual(-0.005);
  // Above both controls for every seed, by at least a point on average.
  expect(difference(ticket, reinit).min).toBeGreaterThan(0);
  expect(difference(ticket, reinit).mean).toBeGreaterThan(0.01);
  expect(difference(ticket, pruned).min).toBeGreaterThan(0);
}, 600_000);
