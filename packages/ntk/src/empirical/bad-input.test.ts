import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { it } from 'vitest';
import { empiricalNtk } from './empirical-ntk';
import { perExampleGrads } from './per-example-grads';

forEachBackend('empirical bad input', () => {
  it('empiricalNtk refuses bad models, params, inputs and options before the tape, leaking nothing', async () => {
    const net = mlp({ sizes: [3, 4, 2], seed: 1 });
    const x = tf.zeros([2, 3]);
    const x4 = tf.zeros([2, 4]);
    const flat = tf.zeros([6]);
    const ids = tf.zeros([2, 3], 'int32');
    const empty = tf.zeros([0, 3]);
    const one = tf.scalar(1);
    const disposed = tf.zeros([2, 3]);
    disposed.dispose();
    const p = net.params;
    const any = empiricalNtk as (...args: unknown[]) => tf.Tensor;
    await expectNoLeaks(() => {
      expectDescentError(() => any(42, p, x), 'BAD_ARGUMENT', 'modelOrFn', 'number 42');
      expectDescentError(() => any(net, 'p', x), 'BAD_ARGUMENT', 'params');
      expectDescentError(() => any(net, {}, x), 'BAD_ARGUMENT', 'no parameter');
      expectDescentError(() => any(net, p, [1, 2]), 'BAD_ARGUMENT', 'x1');
      expectDescentError(() => any(net, p, disposed), 'DISPOSED', 'x1');
      expectDescentError(() => any(net, p, empty), 'SHAPE_MISMATCH', 'x1', '[0, 3]');
      expectDescentError(() => any(net, p, x, x4), 'SHAPE_MISMATCH', 'x1 [2, 3]', 'x2 [2, 4]');
      expectDescentError(() => any(net, p, flat), 'SHAPE_MISMATCH', '[1]');
      expectDescentError(() => any(net, p, x4), 'SHAPE_MISMATCH', '[1, 4]');
      expectDescentError(
        () => any(net, p, x, undefined, { methd: 'ntvp' }),
        'UNKNOWN_PARAM',
        'methd',
      );
      expectDescentError(
        () => any(net, p, x, undefined, { method: 'vmap' }),
        'BAD_HYPERPARAM',
        'empiricalNtk.method',
        '"vmap"',
      );
      expectDescentError(
        () => any(net, p, x, undefined, { outputReduction: 'max' }),
        'BAD_HYPERPARAM',
        'outputReduction',
        '"max"',
      );
      expectDescentError(
        () => any(net, p, x, undefined, { batchSize: 0 }),
        'BAD_HYPERPARAM',
        'batchSize',
      );
      expectDescentError(
        () => any(net, p, x, undefined, { batchSize: 1.5 }),
        'BAD_HYPERPARAM',
        'batchSize',
      );
      expectDescentError(
        () => any(net, p, x, undefined, { batchIndependent: 1 }),
        'BAD_HYPERPARAM',
        'batchIndependent',
      );
      expectDescentError(() => any(net, p, x, undefined, 'fast'), 'BAD_ARGUMENT', 'empiricalNtk');
      const badOut = (_: Params, z: tf.Tensor) => tf.reshape(z, [1, 1, -1]);
      expectDescentError(() => any(badOut, { w: one }, x), 'SHAPE_MISMATCH', '[1, 1, 3]');
      const notTensor = () => 3;
      expectDescentError(() => any(notTensor, { w: one }, x), 'BAD_ARGUMENT', 'number 3');
      const intOut = (_: Params, z: tf.Tensor) => tf.cast(z, 'int32');
      expectDescentError(() => any(intOut, { w: one }, x), 'DTYPE_MISMATCH', 'int32');
      expectDescentError(
        () => any(net, { ...p, 'dense1/kernel': ids }, x),
        'DTYPE_MISMATCH',
        'dense1/kernel',
      );
    });
    tf.dispose([x, x4, flat, ids, empty, one, ...Object.values(p)]);
  });

  it('perExampleGrads refuses bad inputs, labels and options before the tape, leaking nothing', async () => {
    const net = mlp({ sizes: [3, 4, 2], seed: 1 });
    const x = tf.zeros([2, 3]);
    const ids = tf.tensor1d([0, 1], 'int32');
    const bool = tf.tensor1d([1, 0], 'bool');
    const targets = tf.zeros([2, 3]);
    const wide = tf.zeros([2, 5]);
    const threeIds = tf.tensor1d([0, 1, 1], 'int32');
    const p = net.params;
    const any = perExampleGrads as (...args: unknown[]) => Params;
    await expectNoLeaks(() => {
      expectDescentError(() => any(null, p, x), 'BAD_ARGUMENT', 'modelOrFn');
      expectDescentError(() => any(net, p, wide), 'SHAPE_MISMATCH', '[1, 5]');
      expectDescentError(() => any(net, p, x, threeIds), 'SHAPE_MISMATCH', 'y', '[3]');
      expectDescentError(() => any(net, p, x, bool), 'DTYPE_MISMATCH', 'bool');
      expectDescentError(() => any(net, p, x, targets), 'SHAPE_MISMATCH', '[2, 3]', '[N, 2]');
      expectDescentError(() => any(net, p, x, ids, { loss: 'ce' }), 'BAD_ARGUMENT', 'loss');
      expectDescentError(
        () => any(net, p, x, ids, { reduction: 'sum' }),
        'UNKNOWN_PARAM',
        'reduction',
      );
      expectDescentError(
        () => any(net, p, x, ids, { loss: () => tf.zeros([2]) }),
        'BAD_ARGUMENT',
        'float32 scalar',
        '[2]',
      );
    });
    tf.dispose([x, ids, bool, targets, wide, threeIds, ...Object.values(p)]);
  });
});
