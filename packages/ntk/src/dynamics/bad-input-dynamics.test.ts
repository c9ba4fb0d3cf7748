/**
 * Bad input to gradientDescentMse, maxLearningRate and ntkSpectrum: each is refused with a
 * DescentError of a known code whose message names the argument, before anything is allocated
 * (shape, dtype and option errors before anything is read) — no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  BAD_INPUT_RUNS,
  expectBadInput,
  forEachBackend,
  notAPlainObject,
  notATensor,
  outOfRange,
} from '@descent/core/testing';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { gradientDescentMse } from './gradient-descent-mse';
import { maxLearningRate } from './max-learning-rate';
import { ntkSpectrum } from './ntk-spectrum';

const RUNS = { numRuns: BAD_INPUT_RUNS };

function setup() {
  const k = tf.tensor2d([
    [2, 1, 0],
    [1, 2, 0.5],
    [0, 0.5, 1],
  ]);
  const y = tf.tensor1d([1, -1, 0.5]);
  const kTest = tf.tensor2d([[0.5, 0.2, 0.1]]);
  return { k, y, kTest, dispose: () => tf.dispose([k, y, kTest]) };
}

forEachBackend('bad input (dynamics)', () => {
  it('refuses kernels that are not square matrices, before reading them', async () => {
    const { y, dispose } = setup();
    const shapes = [[3], [3, 2], [2, 3], [3, 3, 1], [0, 0]];
    for (const shape of shapes) {
      const bad = tf.zeros(shape);
      const read = vi.spyOn(bad, 'data');
      const shown = `[${shape.join(', ')}]`;
      await expectBadInput(() => gradientDescentMse(bad, y), {
        code: 'SHAPE_MISMATCH',
        mentions: ['gradientDescentMse: kTrainTrain', shown],
      });
      await expectBadInput(() => maxLearningRate(bad), {
        code: 'SHAPE_MISMATCH',
        mentions: ['maxLearningRate: kTrainTrain', shown],
      });
      await expectBadInput(() => ntkSpectrum(bad), {
        code: 'SHAPE_MISMATCH',
        mentions: ['ntkSpectrum: k', shown],
      });
      expect(read).not.toHaveBeenCalled();
      bad.dispose();
    }
    await fc.assert(
      fc.asyncProperty(notATensor, async (t) => {
        await expectBadInput(() => gradientDescentMse(t as never, y), {
          code: 'BAD_ARGUMENT',
          mentions: ['kTrainTrain'],
        });
        await expectBadInput(() => ntkSpectrum(t as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['ntkSpectrum: k'],
        });
      }),
      RUNS,
    );
    const ints = tf.tensor2d([[true]], [1, 1], 'bool');
    await expectBadInput(() => maxLearningRate(ints), {
      code: 'DTYPE_MISMATCH',
      mentions: ['maxLearningRate: kTrainTrain', 'bool'],
    });
    ints.dispose();
    const gone = tf.eye(2);
    gone.dispose();
    await expectBadInput(() => ntkSpectrum(gone), {
      code: 'DISPOSED',
      mentions: ['ntkSpectrum: k'],
    });
    dispose();
  });

  it('refuses targets and test kernels of the wrong size', async () => {
    const { k, dispose } = setup();
    for (const shape of [[2], [4], [3, 0], [2, 2], [3, 1, 1], []]) {
      const y = tf.zeros(shape);
      await expectBadInput(() => gradientDescentMse(k, y), {
        code: 'SHAPE_MISMATCH',
        mentions: ['gradientDescentMse: yTrain', `[${shape.join(', ')}]`, '[3] or [3, O]'],
      });
      y.dispose();
    }
    const y = tf.zeros([3, 2]);
    for (const shape of [[1, 2], [1, 4], [3], [1, 3, 1]]) {
      const kTestTrain = tf.zeros(shape);
      await expectBadInput(() => gradientDescentMse(k, y, { kTestTrain }), {
        code: 'SHAPE_MISMATCH',
        mentions: ['gradientDescentMse.kTestTrain', `[${shape.join(', ')}]`, '[M, 3]'],
      });
      kTestTrain.dispose();
    }
    await expectBadInput(() => gradientDescentMse(k, y, { kTestTrain: 'k' as never }), {
      code: 'BAD_ARGUMENT',
      mentions: ['gradientDescentMse.kTestTrain'],
    });
    y.dispose();
    dispose();
  });

  it('refuses bad options: unknown keys, learningRate ≤ 0, diagReg < 0, yCount', async () => {
    const { k, y, dispose } = setup();
    const read = vi.spyOn(k, 'data');
    await expectBadInput(() => gradientDescentMse(k, y, { lr: 1 } as never), {
      code: 'UNKNOWN_PARAM',
      mentions: ['gradientDescentMse', '"lr"'],
    });
    await expectBadInput(() => maxLearningRate(k, { yCnt: 2 } as never), {
      code: 'UNKNOWN_PARAM',
      mentions: ['maxLearningRate', '"yCnt"'],
    });
    await fc.assert(
      fc.asyncProperty(outOfRange({ min: 0, minExclusive: true }), async (learningRate) => {
        await expectBadInput(() => gradientDescentMse(k, y, { learningRate }), {
          code: 'BAD_HYPERPARAM',
          mentions: ['gradientDescentMse.learningRate'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(outOfRange({ min: 0 }), async (diagReg) => {
        await expectBadInput(() => gradientDescentMse(k, y, { diagReg }), {
          code: 'BAD_HYPERPARAM',
          mentions: ['gradientDescentMse.diagReg'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(outOfRange({ min: 1, integer: true }), async (yCount) => {
        await expectBadInput(() => maxLearningRate(k, { yCount }), {
          code: 'BAD_HYPERPARAM',
          mentions: ['maxLearningRate.yCount'],
        });
      }),
      RUNS,
    );
    await expectBadInput(() => gradientDescentMse(k, y, { learningRate: Number.NaN }), {
      code: 'NON_FINITE',
      mentions: ['gradientDescentMse.learningRate'],
    });
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (options) => {
        await expectBadInput(() => gradientDescentMse(k, y, options as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['gradientDescentMse'],
        });
        await expectBadInput(() => maxLearningRate(k, options as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['maxLearningRate'],
        });
      }),
      RUNS,
    );
    expect(read).not.toHaveBeenCalled();
    dispose();
  });

  it('refuses NaN entries and non-symmetric kernels, naming the largest asymmetry', async () => {
    const { k, y, dispose } = setup();
    const nan = tf.tensor2d([
      [1, 0],
      [0, Number.NaN],
    ]);
    const y2 = tf.tensor1d([1, 2]);
    await expectBadInput(() => gradientDescentMse(nan, y2), {
      code: 'NON_FINITE',
      mentions: ['gradientDescentMse: kTrainTrain', 'NaN', 'flat index 3'],
    });
    await expectBadInput(() => ntkSpectrum(nan), { code: 'NON_FINITE', mentions: ['index 3'] });
    const yNan = tf.tensor1d([1, Number.POSITIVE_INFINITY, 0]);
    await expectBadInput(() => gradientDescentMse(k, yNan), {
      code: 'NON_FINITE',
      mentions: ['gradientDescentMse: yTrain', 'Infinity', 'flat index 1'],
    });
    const kTestTrain = tf.tensor2d([[0, Number.NaN, 0]]);
    await expectBadInput(() => gradientDescentMse(k, y, { kTestTrain }), {
      code: 'NON_FINITE',
      mentions: ['gradientDescentMse.kTestTrain', 'flat index 1'],
    });
    const skewed = tf.tensor2d([
      [2, 1, 0.25],
      [1.001, 2, 0.5],
      [0, 0.5, 1],
    ]);
    for (const call of [
      () => gradientDescentMse(skewed, y),
      () => maxLearningRate(skewed),
      () => ntkSpectrum(skewed),
    ]) {
      await expectBadInput(call, {
        code: 'BAD_ARGUMENT',
        mentions: ['must be symmetric', '|a[0][2] − a[2][0]|', '= 0.25', '1e-5 × max|a|'],
      });
    }
    // float32 rounding (1e-7 relative) is accepted
    const rounded = tf.tensor2d([
      [2, 1 + 2e-7],
      [1, 2],
    ]);
    expect(Math.abs((await maxLearningRate(rounded)) - 4 / 3)).toBeLessThan(1e-6);
    tf.dispose([nan, y2, yNan, kTestTrain, skewed, rounded]);
    dispose();
  });
});
