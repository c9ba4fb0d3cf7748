/**
 * Bad input to the fit callbacks: each is refused with a DescentError of a known code whose
 * message names the argument, before any weight changes and without leaking tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { expectBadInput, expectDescentErrorAsync, forEachBackend } from '@descent/core/testing';
import { LearningRateScheduler } from './learning-rate-scheduler';
import { PruningCallback } from './pruning-callback';
import { ScheduleLogger } from './schedule-logger';
import { regressionData, tinyModel } from './test-support/tiny-model';

const FIT = { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 } as const;

function compiledModel(optimizer: tf.Optimizer = tf.train.sgd(0.1)): tfl.Sequential {
  const model = tinyModel();
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

/** A `tf.Optimizer` without a learning rate. */
class NoRateOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'descentTest.NoRate';
  }
  applyGradients(): void {}
  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

function disposeModel(model: tfl.LayersModel): void {
  model.optimizer.dispose();
  model.dispose();
}

/** Fits `model` with `callback` and expects the fit refused with the weights unchanged. */
async function expectFitRefused(
  model: tfl.LayersModel,
  callback: tfl.Callback,
  code: Parameters<typeof expectBadInput>[1]['code'],
  mentions: string[],
): Promise<void> {
  const { xs, ys } = regressionData();
  await expectBadInput(() => model.fit(xs, ys, { ...FIT, callbacks: [callback] }), {
    code,
    mentions,
    unchanged: model.weights.map((w) => w.read()),
  });
  tf.dispose([xs, ys]);
}

forEachBackend('bad input (callbacks)', () => {
  it('PruningCallback refuses bad masks and options when constructed', async () => {
    const mask = tf.ones([3, 8]);
    const strings = tf.tensor1d(['a', 'b'], 'string');
    const bad: [() => unknown, string, string[]][] = [
      [() => new PruningCallback(null as never), 'BAD_ARGUMENT', ['masks', 'null']],
      [() => new PruningCallback({}), 'BAD_ARGUMENT', ['non-empty']],
      [() => new PruningCallback([mask] as never), 'BAD_ARGUMENT', ['masks']],
      [() => new PruningCallback({ k: [1, 0] } as never), 'BAD_ARGUMENT', ['masks["k"]']],
      [() => new PruningCallback({ k: strings }), 'DTYPE_MISMATCH', ['masks["k"]', 'string']],
      [() => new PruningCallback({ k: mask }, { nmaes: {} } as never), 'UNKNOWN_PARAM', ['nmaes']],
      [
        () => new PruningCallback({ k: mask }, { names: { k: 3 } } as never),
        'BAD_ARGUMENT',
        ['options.names'],
      ],
      [() => new PruningCallback({ k: mask }, null as never), 'BAD_ARGUMENT', ['PruningCallback']],
    ];
    for (const [make, code, mentions] of bad) {
      await expectBadInput(make, { code: code as never, mentions, unchanged: mask });
    }
    const disposed = tf.ones([2]);
    disposed.dispose();
    await expectBadInput(() => new PruningCallback({ k: disposed }), {
      code: 'DISPOSED',
      mentions: ['masks["k"]'],
    });
    tf.dispose([mask, strings]);
  });

  it('PruningCallback refuses masks that do not fit the model, changing no weight', async () => {
    const model = compiledModel();
    const [k1, , k2] = model.weights.map((w) => w.name) as [string, string, string];
    const good = tf.zeros([3, 8]);
    const cases: [Record<string, tf.Tensor>, Record<string, string>, string, string[]][] = [
      [{ [k1]: good, 'no/such': tf.ones([2]) }, {}, 'UNKNOWN_PARAM', ['masks["no/such"]', k1]],
      [
        { [k1]: good, [k2]: tf.ones([1, 8]) },
        {},
        'SHAPE_MISMATCH',
        [`masks["${k2}"]`, '[1, 8]', '[8, 1]'],
      ],
      [{ [k1]: tf.fill([3, 8], 2) }, {}, 'BAD_ARGUMENT', [`masks["${k1}"]`, '2', '0s and 1s']],
      [{ a: good }, { a: 'nothing' }, 'UNKNOWN_PARAM', ['names["a"]', '"nothing"']],
      [{ [k1]: good, b: tf.ones([3, 8]) }, { b: k1 }, 'BAD_ARGUMENT', [k1, 'one mask per weight']],
    ];
    for (const [masks, names, code, mentions] of cases) {
      const pruning = new PruningCallback(masks, { names });
      await expectFitRefused(model, pruning, code as never, mentions);
      pruning.dispose();
      tf.dispose(Object.values(masks).filter((m) => m !== good));
    }
    const disposed = new PruningCallback({ [k1]: good });
    disposed.dispose();
    await expectFitRefused(model, disposed, 'DISPOSED', ['PruningCallback']);
    const { xs, ys } = regressionData();
    const history = await model.fit(xs, ys, FIT);
    expect(history.history.loss).toHaveLength(1);
    tf.dispose([xs, ys]);
    good.dispose();
    disposeModel(model);
  });

  it('LearningRateScheduler refuses a bad schedule, bad options, bad values and optimizers', async () => {
    const bad: [() => unknown, string, string[]][] = [
      [() => new LearningRateScheduler(null as never), 'BAD_ARGUMENT', ['schedule', 'null']],
      [() => new LearningRateScheduler(0.1 as never), 'BAD_ARGUMENT', ['schedule', '0.1']],
      [
        () => new LearningRateScheduler(() => 0.1, { per: 'step' } as never),
        'BAD_ARGUMENT',
        ['options.per', '"step"'],
      ],
      [
        () => new LearningRateScheduler(() => 0.1, { every: 'epoch' } as never),
        'UNKNOWN_PARAM',
        ['every'],
      ],
      [
        () => new LearningRateScheduler(() => 0.1, 3 as never),
        'BAD_ARGUMENT',
        ['LearningRateScheduler'],
      ],
    ];
    for (const [make, code, mentions] of bad) {
      await expectBadInput(make, { code: code as never, mentions });
    }
    const model = compiledModel();
    const values: [unknown, string, string[]][] = [
      [-0.1, 'BAD_HYPERPARAM', ['epoch 0', '-0.1', '≥ 0']],
      [Number.NaN, 'NON_FINITE', ['epoch 0', 'NaN']],
      [Number.POSITIVE_INFINITY, 'NON_FINITE', ['epoch 0']],
      ['0.1', 'BAD_ARGUMENT', ['epoch 0', '"0.1"']],
    ];
    for (const [value, code, mentions] of values) {
      const scheduler = new LearningRateScheduler(() => value as number);
      await expectFitRefused(model, scheduler, code as never, mentions);
      expect((model.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.1);
    }
    // A value refused mid-epoch stops fit after the steps before it; tfjs-layers' fit itself then
    // leaks the tensors of the interrupted epoch (any callback that throws there does), so only
    // the error and the learning rate are checked.
    const perBatch = new LearningRateScheduler((step) => (step < 1 ? 0.05 : -1), { per: 'batch' });
    const { xs, ys } = regressionData();
    await expectDescentErrorAsync(
      () => model.fit(xs, ys, { ...FIT, callbacks: [perBatch] }),
      'BAD_HYPERPARAM',
      'step 1',
      '-1',
    );
    expect((model.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.05);
    tf.dispose([xs, ys]);
    disposeModel(model);
    const noRate = compiledModel(new NoRateOptimizer());
    await expectFitRefused(noRate, new LearningRateScheduler(() => 0.1), 'BAD_ARGUMENT', [
      'descentTest.NoRate',
      'no learning rate',
    ]);
    disposeModel(noRate);
  });

  it('ScheduleLogger refuses bad options', async () => {
    const bad: [() => unknown, string, string[]][] = [
      [
        () => new ScheduleLogger({ print: 'yes' } as never),
        'BAD_ARGUMENT',
        ['options.print', '"yes"'],
      ],
      [() => new ScheduleLogger({ verbose: true } as never), 'UNKNOWN_PARAM', ['verbose']],
      [() => new ScheduleLogger(null as never), 'BAD_ARGUMENT', ['ScheduleLogger']],
    ];
    for (const [make, code, mentions] of bad) {
      await expectBadInput(make, { code: code as never, mentions });
    }
  });
});
