import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectDescentError, forEachBackend } from '@descent/core/testing';
import { expectMatchesReference, sample } from './test-support/grad-check';
import { refWeightNorm } from './test-support/reference';
import { weightNorm } from './weight-norm';

forEachBackend('weightNorm', () => {
  it('dense [in, out]: W = g·v/‖v‖ per output column, forward and gradients', async () => {
    const shape = [5, 3];
    await expectMatchesReference({
      inputs: [
        { shape, values: sample(15, 41) },
        { shape: [3], values: sample(3, 42, 0.5, 1) },
      ],
      op: (v, g) => weightNorm(v as tf.Tensor, g as tf.Tensor),
      reference: (v, g) => refWeightNorm(v, shape, g),
    });
  });

  it('conv [kh, kw, in, out]: one norm per filter (last axis), forward and gradients', async () => {
    const shape = [2, 2, 3, 4];
    await expectMatchesReference({
      inputs: [
        { shape, values: sample(48, 43) },
        { shape: [4], values: sample(4, 44, 0.5, 1) },
      ],
      op: (v, g) => weightNorm(v as tf.Tensor, g as tf.Tensor),
      reference: (v, g) => refWeightNorm(v, shape, g),
    });
  });

  it('axis 0 (torch layout [out, in]) equals the transpose of the last-axis version', async () => {
    const shape = [3, 5];
    const transpose = (a: Float64Array, rows: number, cols: number) =>
      Float64Array.from(
        { length: a.length },
        (_, i) => a[(i % rows) * cols + Math.floor(i / rows)] as number,
      );
    await expectMatchesReference({
      inputs: [
        { shape, values: sample(15, 45) },
        { shape: [3], values: sample(3, 46, 0.5, 1) },
      ],
      op: (v, g) => weightNorm(v as tf.Tensor, g as tf.Tensor, { axis: 0 }),
      reference: (v, g) => transpose(refWeightNorm(transpose(v, 3, 5), [5, 3], g), 5, 3),
    });
  });
});

it('weightNorm rejects a gain of the wrong shape and vectors', () => {
  const v = tf.zeros([4, 3]);
  const g = tf.ones([4]);
  const before = tf.memory().numTensors;
  expectDescentError(() => weightNorm(v, g), 'SHAPE_MISMATCH', 'weightNorm: g', '[4]', '[3]');
  expectDescentError(() => weightNorm(g, g), 'SHAPE_MISMATCH', 'rank 1');
  expectDescentError(() => weightNorm(v, g, { axis: -3 }), 'BAD_HYPERPARAM', 'axis');
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([v, g]);
});
