/**
 * LearningRateScheduler on `w ↦ w·x` with x = 1 and the loss |w − 100|: the gradient is −1 at
 * every step, so plain SGD moves w by exactly `η_t` per step and Adam by `η_t·(1 − O(ε))`: after
 * fit, `w = Σ η_t` over the learning rates the callback set.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, expect, it } from 'vitest';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { sgd } from '@descent/optim';
import { cosineDecay } from '@descent/schedule';
import { LearningRateScheduler } from './learning-rate-scheduler';

function linearModel(optimizer: tf.Optimizer): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      units: 1,
      inputShape: [1],
      useBias: false,
      kernelInitializer: 'zeros',
    }),
  );
  model.compile({ optimizer, loss: 'meanAbsoluteError' });
  return model;
}

/** `n` examples x = 1, y = 100. */
function farTarget(n: number): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  return { xs: tf.ones([n, 1]), ys: tf.fill([n, 1], 100) };
}

async function weightOf(model: tfl.LayersModel): Promise<number> {
  return (await (model.weights[0] as tfl.LayerVariable).read().data())[0] as number;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

const made: { dispose(): void }[] = [];
afterEach(() => {
  for (const m of made.splice(0)) m.dispose();
});

function track(model: tfl.LayersModel): tfl.LayersModel {
  made.push(model, model.optimizer);
  return model;
}

forEachBackend('LearningRateScheduler', () => {
  it("per epoch with tf.train.sgd: w is the sum of the epochs' learning rates, history has lr", async () => {
    const model = track(linearModel(tf.train.sgd(1)));
    const { xs, ys } = farTarget(1);
    const rates = [0.1, 0.05, 0.1 / 3, 0.025];
    const history = await model.fit(xs, ys, {
      epochs: 4,
      batchSize: 1,
      verbose: 0,
      callbacks: [new LearningRateScheduler((epoch) => 0.1 / (epoch + 1))],
    });
    expect(history.history.lr).toEqual(rates);
    await expectClose(await weightOf(model), sum(rates), { rtol: 1e-6, atol: 0 });
    tf.dispose([xs, ys]);
  });

  it('passes the learning rate in effect to the schedule function', async () => {
    const model = track(linearModel(tf.train.sgd(0.2)));
    const { xs, ys } = farTarget(1);
    const seen: number[] = [];
    const halveAfterFirst = (epoch: number, lr: number) => {
      seen.push(lr);
      return epoch === 0 ? lr : lr / 2;
    };
    await model.fit(xs, ys, {
      epochs: 4,
      batchSize: 1,
      verbose: 0,
      callbacks: [new LearningRateScheduler(halveAfterFirst)],
    });
    expect(seen).toEqual([0.2, 0.2, 0.1, 0.05]);
    await expectClose(await weightOf(model), 0.2 + 0.1 + 0.05 + 0.025, { rtol: 1e-6, atol: 0 });
    tf.dispose([xs, ys]);
  });

  it("per batch with a Schedule: the step is the optimizer's, across fit calls, no leaks", async () => {
    const model = track(linearModel(tf.train.sgd(1)));
    const { xs, ys } = farTarget(4);
    const schedule = cosineDecay({ initValue: 0.1, decaySteps: 12 });
    const scheduler = new LearningRateScheduler(schedule, { per: 'batch' });
    const fitEpochs = (epochs: number) =>
      model.fit(xs, ys, {
        epochs,
        batchSize: 1,
        shuffle: false,
        verbose: 0,
        callbacks: [scheduler],
      });
    const history = await fitEpochs(2);
    const steps = Array.from({ length: 12 }, (_, k) => schedule(k));
    expect(history.history.lr).toEqual([steps[3], steps[7]]);
    await expectClose(await weightOf(model), sum(steps.slice(0, 8)), { rtol: 1e-6, atol: 0 });
    const before = tf.memory().numTensors;
    await fitEpochs(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(model.optimizer.iterations).toBe(12);
    await expectClose(await weightOf(model), sum(steps), { rtol: 1e-6, atol: 0 });
    tf.dispose([xs, ys]);
  });

  it('per epoch with tf.train.adam (reads learningRate each step): w ≈ Σ η_e', async () => {
    const model = track(linearModel(tf.train.adam(1)));
    const { xs, ys } = farTarget(2);
    const rates = [0.5, 0.25, 0.125];
    await model.fit(xs, ys, {
      epochs: 3,
      batchSize: 1,
      shuffle: false,
      verbose: 0,
      callbacks: [new LearningRateScheduler((epoch) => rates[epoch] as number)],
    });
    // Adam's step on a constant gradient is η·g/(|g| + ε): ε = 1e-7 is far below this tolerance.
    await expectClose(await weightOf(model), 2 * sum(rates), { rtol: 1e-5, atol: 0 });
    tf.dispose([xs, ys]);
  });

  it('per batch with a descent optimizer (setLearningRate) follows the same closed form', async () => {
    const model = track(linearModel(sgd({ learningRate: 1 })));
    const { xs, ys } = farTarget(3);
    const rates = [0.3, 0.2, 0.1, 0.05, 0.04, 0.03];
    await model.fit(xs, ys, {
      epochs: 2,
      batchSize: 1,
      shuffle: false,
      verbose: 0,
      callbacks: [new LearningRateScheduler((step) => rates[step] as number, { per: 'batch' })],
    });
    await expectClose(await weightOf(model), sum(rates), { rtol: 1e-6, atol: 0 });
    tf.dispose([xs, ys]);
  });
});
