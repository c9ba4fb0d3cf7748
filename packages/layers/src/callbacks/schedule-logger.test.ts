import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, expect, it } from 'vitest';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { adamw } from '@descent/optim';
import { warmupCosineDecay } from '@descent/schedule';
import { LearningRateScheduler } from './learning-rate-scheduler';
import { ScheduleLogger } from './schedule-logger';
import { regressionData, tinyModel } from './test-support/tiny-model';

/** 24 examples in batches of 8: 3 steps per epoch. */
const FIT = { batchSize: 8, shuffle: false, verbose: 0 } as const;

const made: { dispose(): void }[] = [];
afterEach(() => {
  for (const m of made.splice(0)) m.dispose();
});

function compiled(optimizer: tf.Optimizer): tfl.Sequential {
  const model = tinyModel();
  model.compile({ optimizer, loss: 'meanSquaredError' });
  made.push(model, optimizer);
  return model;
}

forEachBackend('ScheduleLogger', () => {
  it('records adamw + warmupCosineDecay: the learning rate is the schedule at the step count', async () => {
    const schedule = warmupCosineDecay({
      initValue: 0,
      peakValue: 0.01,
      warmupSteps: 4,
      decaySteps: 12,
      endValue: 0.001,
    });
    const model = compiled(adamw({ learningRate: schedule, weightDecay: 0.05, beta1: 0.8 }));
    const lines: string[] = [];
    const logger = new ScheduleLogger({ print: (line) => lines.push(line) });
    const { xs, ys } = regressionData();
    const history = await model.fit(xs, ys, { ...FIT, epochs: 3, callbacks: [logger] });
    expect(logger.records.map((r) => r.step)).toEqual([3, 6, 9]);
    expect(logger.records).toEqual(
      [3, 6, 9].map((step, epoch) => ({
        epoch,
        step,
        learningRate: schedule(step),
        beta1: 0.8,
        weightDecay: 0.05,
      })),
    );
    expect(new Set(logger.records.map((r) => r.learningRate)).size).toBe(3);
    expect(history.history.learningRate).toEqual([3, 6, 9].map((s) => schedule(s)));
    expect(history.history.weightDecay).toEqual([0.05, 0.05, 0.05]);
    expect(lines).toEqual([
      `epoch 0 step 3: learningRate ${Number(schedule(3).toPrecision(4))}, beta1 0.8, weightDecay 0.05`,
      `epoch 1 step 6: learningRate ${Number(schedule(6).toPrecision(4))}, beta1 0.8, weightDecay 0.05`,
      `epoch 2 step 9: learningRate ${Number(schedule(9).toPrecision(4))}, beta1 0.8, weightDecay 0.05`,
    ]);
    await model.fit(xs, ys, { ...FIT, epochs: 1, callbacks: [logger] });
    expect(logger.records.at(-1)).toMatchObject({ epoch: 0, step: 12, learningRate: 0.001 });
    tf.dispose([xs, ys]);
  });

  it("records tf.train optimizers' public fields and nothing they lack", async () => {
    const { xs, ys } = regressionData();
    const momentum = compiled(tf.train.momentum(0.05, 0.9));
    const adam = compiled(tf.train.adam(0.01, 0.85));
    const loggers = [new ScheduleLogger(), new ScheduleLogger()];
    await momentum.fit(xs, ys, { ...FIT, epochs: 1, callbacks: [loggers[0] as ScheduleLogger] });
    await adam.fit(xs, ys, { ...FIT, epochs: 1, callbacks: [loggers[1] as ScheduleLogger] });
    expect(loggers[0]?.records).toEqual([{ epoch: 0, step: 3, learningRate: 0.05, momentum: 0.9 }]);
    expect(loggers[1]?.records).toEqual([{ epoch: 0, step: 3, learningRate: 0.01, beta1: 0.85 }]);
    tf.dispose([xs, ys]);
  });

  it('sees the rates a LearningRateScheduler before it sets, and leaks nothing', async () => {
    const model = compiled(tf.train.sgd(1));
    const { xs, ys } = regressionData();
    const logger = new ScheduleLogger();
    const scheduler = new LearningRateScheduler((epoch) => 0.1 * 0.5 ** epoch);
    await model.fit(xs, ys, { ...FIT, epochs: 1 });
    await expectNoLeaks(() =>
      model.fit(xs, ys, { ...FIT, epochs: 3, callbacks: [scheduler, logger] }).then(() => {}),
    );
    expect(logger.records.map((r) => r.learningRate)).toEqual([0.1, 0.05, 0.025]);
    expect(logger.records.map((r) => r.step)).toEqual([6, 9, 12]);
    tf.dispose([xs, ys]);
  });
});
