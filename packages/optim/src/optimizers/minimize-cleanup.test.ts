import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '@descent/core';
import { testSchedule, uniqueSuffix } from '../test-support/optimizer-harness';
import { adam } from './adam';
import { lbfgs } from './lbfgs';
import { lookahead } from './lookahead';
import { swa } from './swa';

/** A learning rate that leaves its range (> 0) at step 2. */
const leavesRangeAtStep2 = () => testSchedule((step) => (step < 2 ? 0.1 : -1));

describe('a minimize whose step fails frees the gradients and the loss it computed (cpu)', () => {
  it.each([
    ['a named optimizer (TransformOptimizer)', () => adam({ learningRate: leavesRangeAtStep2() })],
    ['lookahead (WrapperOptimizer)', () => lookahead(adam({ learningRate: leavesRangeAtStep2() }))],
    ['swa (WrapperOptimizer)', () => swa(adam({ learningRate: leavesRangeAtStep2() }))],
    ['lbfgs', () => lbfgs({ learningRate: leavesRangeAtStep2() })],
  ])('%s', async (_, make) => {
    await useBackend('cpu');
    const x = tf.variable(tf.tensor([1, 2]), true, `minimizeCleanup${uniqueSuffix()}`);
    const opt = make();
    const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.minimize(loss, false, [x]);
    opt.minimize(loss, false, [x]);
    const values = Array.from(await x.data());
    for (const returnCost of [false, true]) {
      const before = tf.memory().numTensors;
      expect(() => opt.minimize(loss, returnCost, [x])).toThrow(
        /\[BAD_HYPERPARAM\] learningRate \(schedule test at step 2\)/,
      );
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(Array.from(await x.data())).toEqual(values);
    opt.dispose();
    x.dispose();
  });
});

describe('a minimize whose loss is not a scalar frees what it computed (cpu)', () => {
  it.each([
    ['a named optimizer (TransformOptimizer)', () => adam({ learningRate: 0.1 })],
    ['lookahead (WrapperOptimizer)', () => lookahead(adam({ learningRate: 0.1 }))],
    ['lbfgs', () => lbfgs({ learningRate: 0.1 })],
  ])('%s', async (_, make) => {
    await useBackend('cpu');
    const x = tf.variable(tf.tensor([1, 2]), true, `nonScalarLoss${uniqueSuffix()}`);
    const opt = make();
    const before = tf.memory().numTensors;
    expect(() => opt.minimize((() => tf.square(x)) as () => tf.Scalar, true, [x])).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(await x.data())).toEqual([1, 2]);
    opt.dispose();
    x.dispose();
  });
});
