import * as tf from '@tensorflow/tfjs-core';
import type { DescentErrorCode } from '@descent/core';
import { expectBadInput, forEachBackend } from '@descent/core/testing';
import { describe, it } from 'vitest';
import type { Dataset } from '../dataset';
import { disposeModel, testMlp } from '../test-support/mlp';
import { fit as fitModel } from './fit';

function labelled(n: number): Dataset {
  return {
    x: Float32Array.from({ length: n * 2 }, (_, i) => (i % 5) / 5),
    xShape: [2],
    y: Int32Array.from({ length: n }, (_, i) => i % 3),
    yShape: [],
    n,
    numClasses: 3,
  };
}

/** Each bad call, the code it must raise and what the message must name. */
const OPTION_CASES: [string, Record<string, unknown>, DescentErrorCode, string[]][] = [
  ['epochs 0', { epochs: 0 }, 'BAD_HYPERPARAM', ['fit: options.epochs', '0']],
  ['epochs 1.5', { epochs: 1.5 }, 'BAD_HYPERPARAM', ['fit: options.epochs']],
  ['batchSize NaN', { batchSize: Number.NaN }, 'NON_FINITE', ['fit: options.batchSize']],
  ['batchSize -1', { batchSize: -1 }, 'BAD_HYPERPARAM', ['fit: options.batchSize']],
  ['shuffle "yes"', { shuffle: 'yes' }, 'BAD_HYPERPARAM', ['fit: options.shuffle']],
  ['seed -3', { seed: -3 }, 'BAD_HYPERPARAM', ['fit: options.seed']],
  ['loss 3', { loss: 3 }, 'BAD_ARGUMENT', ['fit: options.loss', '3']],
  ['onEpoch {}', { onEpoch: {} }, 'BAD_ARGUMENT', ['fit: options.onEpoch']],
  ['onBatch "f"', { onBatch: 'f' }, 'BAD_ARGUMENT', ['fit: options.onBatch']],
  ['progress "always"', { progress: 'always' }, 'BAD_HYPERPARAM', ['fit: options.progress']],
  ['an unknown option', { epoch: 2 }, 'UNKNOWN_PARAM', ['epoch']],
  ['validation not a dataset', { validation: [1] }, 'BAD_ARGUMENT', ['fit: options.validation']],
  [
    'validation of another xShape',
    { validation: { ...labelled(3), x: new Float32Array(9), xShape: [3] } },
    'SHAPE_MISMATCH',
    ['fit: options.validation.xShape', '[3]', '[2]'],
  ],
  [
    'validation with float targets',
    { validation: { ...labelled(3), y: new Float32Array(3), numClasses: undefined } },
    'DTYPE_MISMATCH',
    ['fit: options.validation.y', 'Int32Array'],
  ],
  [
    'a loss that returns a vector',
    { loss: (o: tf.Tensor) => tf.sum(o, 1) },
    'BAD_ARGUMENT',
    ['fit: options.loss', 'scalar', '[4, 3]'],
  ],
];

forEachBackend('fit: bad input', () => {
  describe('refuses before copying or changing a parameter', () => {
    it('a model that is not a Model', async () => {
      const optimizer = tf.train.sgd(0.1);
      await expectBadInput(() => fitModel({ params: {} } as never, optimizer, labelled(4)), {
        code: 'BAD_ARGUMENT',
        mentions: ['fit: model'],
      });
      optimizer.dispose();
    });

    it('an optimizer without minimize', async () => {
      const model = testMlp({ sizes: [2, 3], seed: 1 });
      await expectBadInput(() => fitModel(model, {} as never, labelled(4)), {
        code: 'BAD_ARGUMENT',
        mentions: ['fit: optimizer', 'minimize'],
        unchanged: model.params,
      });
      disposeModel(model);
    });

    it('a malformed or empty dataset', async () => {
      const model = testMlp({ sizes: [2, 3], seed: 1 });
      const optimizer = tf.train.sgd(0.1);
      await expectBadInput(() => fitModel(model, optimizer, { ...labelled(4), n: 5 }), {
        code: ['SHAPE_MISMATCH', 'BAD_ARGUMENT'],
        mentions: ['fit: dataset'],
        unchanged: [model.params, optimizer],
      });
      await expectBadInput(() => fitModel(model, optimizer, labelled(0)), {
        code: 'BAD_ARGUMENT',
        mentions: ['fit: dataset', 'n = 0'],
      });
      await expectBadInput(() => fitModel(model, optimizer, 'mnist' as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['fit: dataset', 'mnist'],
      });
      optimizer.dispose();
      disposeModel(model);
    });

    it('a dataset whose inputs the model cannot take', async () => {
      const model = testMlp({ sizes: [5, 3], seed: 1 });
      const optimizer = tf.train.sgd(0.1);
      await expectBadInput(() => fitModel(model, optimizer, labelled(4), { progress: false }), {
        code: 'BAD_ARGUMENT',
        mentions: ['fit: model.apply', 'fit: dataset', '[4, 2]'],
        unchanged: [model.params, optimizer],
      });
      optimizer.dispose();
      disposeModel(model);
    });

    it('targets the default loss cannot compare with the output', async () => {
      const model = testMlp({ sizes: [2, 3], seed: 1 });
      const optimizer = tf.train.sgd(0.1);
      const floats = { ...labelled(4), y: new Float32Array(8), yShape: [2], numClasses: undefined };
      await expectBadInput(() => fitModel(model, optimizer, floats, { progress: false }), {
        code: 'SHAPE_MISMATCH',
        mentions: ['mse'],
        unchanged: [model.params, optimizer],
      });
      optimizer.dispose();
      disposeModel(model);
    });

    for (const [title, options, code, mentions] of OPTION_CASES) {
      it(`options: ${title}`, async () => {
        const model = testMlp({ sizes: [2, 3], seed: 1 });
        const optimizer = tf.train.sgd(0.1);
        await expectBadInput(() => fitModel(model, optimizer, labelled(4), options), {
          code,
          mentions,
          unchanged: [model.params, optimizer],
        });
        optimizer.dispose();
        disposeModel(model);
      });
    }
  });
});
