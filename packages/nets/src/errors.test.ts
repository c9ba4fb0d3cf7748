import * as tf from '@tensorflow/tfjs-core';
import { disposeParams } from '@descent/core';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { lenet300100 } from './lenet300100';
import { lenet5 } from './lenet5';
import { mlp } from './mlp';
import { assignStats } from './net';
import { resMlp } from './res-mlp';
import { wideMlp } from './wide-mlp';

forEachBackend(
  'bad options and inputs',
  () => {
    it('builders reject bad options with DescentErrors before making any tensor', () => {
      const before = tf.memory().numTensors;
      expectDescentError(() => mlp({ sizes: [4] }), 'BAD_HYPERPARAM', 'at least 2');
      expectDescentError(() => mlp({ sizes: [4, 2.5, 3] }), 'BAD_HYPERPARAM', 'sizes[1]');
      expectDescentError(() => mlp({ sizes: [4, 0, 3] }), 'BAD_HYPERPARAM', 'sizes[1]');
      expectDescentError(
        () => mlp({ sizes: [4, 3], activation: 'swish' as 'relu' }),
        'BAD_ARGUMENT',
        'activation',
        "'relu'",
      );
      expectDescentError(
        () => mlp({ sizes: [4, 3], init: 'kaiming' as 'he' }),
        'BAD_ARGUMENT',
        'init',
        "'heNormal'",
      );
      expectDescentError(
        () => mlp({ sizes: [4, 3], init: 'constant' }),
        'BAD_ARGUMENT',
        'constant',
      );
      expectDescentError(
        () => mlp({ sizes: [4, 3], norm: 'group' as 'batch' }),
        'BAD_ARGUMENT',
        'norm',
      );
      expectDescentError(
        () => mlp({ sizes: [4, 3], norm: { type: 'batch', momentum: 2 } }),
        'BAD_HYPERPARAM',
        'momentum',
      );
      expectDescentError(() => mlp({ sizes: [4, 3], dropout: 1 }), 'BAD_HYPERPARAM', 'dropout');
      expectDescentError(
        () => mlp({ sizes: [4, 3], residual: 'yes' as never }),
        'BAD_ARGUMENT',
        'residual',
      );
      expectDescentError(() => mlp({ sizes: [4, 3], seed: -1 }), 'BAD_HYPERPARAM', 'seed');
      expectDescentError(
        () => mlp({ sizes: [4, 3], widths: [2] } as never),
        'UNKNOWN_PARAM',
        'widths',
      );
      expectDescentError(() => mlp(undefined as never), 'BAD_ARGUMENT', 'sizes');
      expectDescentError(() => lenet300100({ layers: 3 } as never), 'UNKNOWN_PARAM', 'layers');
      expectDescentError(() => lenet5({ pooling: 'min' as 'max' }), 'BAD_ARGUMENT', 'pooling');
      expectDescentError(
        () => resMlp({ inputDim: 2, outputDim: 2, width: 4, depth: 0 }),
        'BAD_HYPERPARAM',
        'depth',
      );
      expectDescentError(
        () =>
          resMlp({ inputDim: 2, outputDim: 2, width: 4, depth: 2, init: 'fixup', norm: 'batch' }),
        'BAD_ARGUMENT',
        'fixup',
      );
      expectDescentError(
        () => wideMlp({ inputDim: 2, width: 8.5, depth: 1 }),
        'BAD_HYPERPARAM',
        'width',
      );
      expectDescentError(
        () => wideMlp({ inputDim: 2, width: 8, depth: 1, parameterization: 'mup' as 'ntk' }),
        'BAD_ARGUMENT',
        'parameterization',
      );
      expectDescentError(
        () => wideMlp({ inputDim: 2, width: 8, depth: 1, weightStd: 0 }),
        'BAD_HYPERPARAM',
        'weightStd',
      );
      expect(tf.memory().numTensors).toBe(before);
    });

    it('a failing custom init frees what was made; a wrong shape is a SHAPE_MISMATCH', () => {
      const before = tf.memory().numTensors;
      expectDescentError(
        () => mlp({ sizes: [4, 3, 2], init: () => tf.zeros([1]) }),
        'SHAPE_MISMATCH',
        'dense1/kernel',
        '[4, 3]',
      );
      let calls = 0;
      expect(() =>
        mlp({
          sizes: [4, 3, 2],
          init: (shape) => {
            if (++calls === 2) throw new Error('boom');
            return tf.zeros(shape as number[]);
          },
        }),
      ).toThrow('boom');
      expect(tf.memory().numTensors).toBe(before);
    });

    it('apply rejects wrong inputs and params with DescentErrors', () => {
      const net = mlp({ sizes: [4, 3, 2] });
      const x = tf.zeros([5, 4]);
      expectDescentError(
        () => net.apply(net.params, tf.zeros([5, 3])),
        'SHAPE_MISMATCH',
        '[N, 4]',
        '[5, 3]',
      );
      expectDescentError(
        () => net.apply(net.params, tf.zeros([5, 4], 'int32')),
        'DTYPE_MISMATCH',
        'float32',
      );
      const { 'dense2/bias': _, ...missing } = net.params;
      expectDescentError(() => net.apply(missing, x), 'UNKNOWN_PARAM', 'dense2/bias');
      expectDescentError(
        () => net.apply({ ...net.params, 'dense1/kernel': tf.zeros([3, 4]) }, x),
        'SHAPE_MISMATCH',
        'dense1/kernel',
      );
      expectDescentError(
        () => net.apply(net.params, x, { training: 1 as never }),
        'BAD_ARGUMENT',
        'training',
      );
      expectDescentError(
        () => net.apply(net.params, x, { tap: () => tf.zeros([1]) }),
        'SHAPE_MISMATCH',
        'tap',
      );
      const five = lenet5();
      expectDescentError(
        () => five.apply(five.params, tf.zeros([2, 28, 28])),
        'SHAPE_MISMATCH',
        '[N, 28, 28, 1]',
      );
      disposeParams(five.params);
      disposeParams(net.params);
      x.dispose();
    });

    it('assignStats validates before assigning', () => {
      const net = mlp({ sizes: [2, 3, 1], norm: 'batch' });
      const stats = { 'dense1_bn/moving_mean': tf.zeros([4]) };
      expectDescentError(
        () => assignStats(net.params as never, stats),
        'BAD_ARGUMENT',
        'tf.Variable',
      );
      expectDescentError(
        () => assignStats({} as never, stats),
        'UNKNOWN_PARAM',
        'dense1_bn/moving_mean',
      );
      tf.dispose(stats['dense1_bn/moving_mean']);
      disposeParams(net.params);
    });

    it('building and disposing every net, and apply in both modes, leak nothing', async () => {
      await expectNoLeaks(() => {
        for (const net of [
          mlp({ sizes: [4, 6, 6, 2], norm: 'batch', dropout: 0.2, residual: true }),
          lenet300100(),
          lenet5({ dropout: 0.1 }),
          resMlp({ inputDim: 4, outputDim: 2, width: 6, depth: 2 }),
          resMlp({ inputDim: 4, outputDim: 2, width: 6, depth: 2, norm: 'layer' }),
          wideMlp({ inputDim: 4, width: 8, depth: 2 }),
        ]) {
          const inputDim = (net.params[Object.keys(net.params)[0] as string] as tf.Tensor).shape;
          const x =
            inputDim.length === 4 ? tf.zeros([2, 784]) : tf.ones([2, inputDim[0] as number]);
          for (const training of [false, true]) {
            const y = net.apply(net.params, x, { training });
            y.dispose();
          }
          x.dispose();
          disposeParams(net.params);
        }
      });
    });
  },
  { backends: ['cpu'] },
);
