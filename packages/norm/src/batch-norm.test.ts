import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { batchNorm } from './batch-norm';
import { batchNormState, disposeState, keepState } from './norm-state';
import { expectMatchesReference, sample } from './test-support/grad-check';
import { channelStats, refBatchNormEval, refBatchNormTrain } from './test-support/reference';

const SHAPE = [4, 3, 2, 5]; // NHWC, C = 5: 24 values per channel
const SIZE = 120;
const X = sample(SIZE, 1, 2, 0.5);
const GAMMA = sample(5, 2, 0.5, 1);
const BETA = sample(5, 3, 0.5);
const MEAN = sample(5, 4, 0.3);
const VAR = Float32Array.from(sample(5, 5), (v) => 0.5 + v * v);

forEachBackend('batchNorm', () => {
  it('training: equals the float64 reference (batch statistics, ε inside √), forward and gradients', async () => {
    await expectMatchesReference({
      inputs: [
        { shape: SHAPE, values: X },
        { shape: [5], values: GAMMA },
        { shape: [5], values: BETA },
      ],
      op: (x, gamma, beta) => {
        const state = batchNormState(5);
        const out = batchNorm(x as tf.Tensor, { gamma, beta }, state, {
          training: true,
          epsilon: 0.1,
        });
        disposeState(state);
        disposeState(out.state);
        return out.y;
      },
      reference: (x, gamma, beta) => refBatchNormTrain(x, SHAPE, 3, 0.1, { gamma, beta }),
    });
  });

  it('inference: equals γ(x − μ̂)/√(σ̂² + ε) + β with the running statistics, forward and gradients', async () => {
    await expectMatchesReference({
      inputs: [
        { shape: SHAPE, values: X },
        { shape: [5], values: GAMMA },
        { shape: [5], values: BETA },
      ],
      op: (x, gamma, beta) => {
        const state = { mean: tf.tensor(MEAN), variance: tf.tensor(VAR) };
        const out = batchNorm(x as tf.Tensor, { gamma, beta }, state, {
          training: false,
          epsilon: 0.01,
        });
        disposeState(state);
        disposeState(out.state);
        return out.y;
      },
      reference: (x, gamma, beta) =>
        refBatchNormEval(x, SHAPE, 3, MEAN, VAR, 0.01, { gamma, beta }),
    });
  });

  it('channel axis 1 (NCHW-style) and no affine parameters', async () => {
    const shape = [4, 5, 6];
    await expectMatchesReference({
      inputs: [{ shape, values: X }],
      op: (x) => {
        const state = batchNormState(5);
        const out = batchNorm(x as tf.Tensor, {}, state, { training: true, axis: 1 });
        disposeState(state);
        disposeState(out.state);
        return out.y;
      },
      reference: (x) => refBatchNormTrain(x, shape, 1, 1e-3, {}),
    });
  });

  it('updates running statistics with the Keras momentum (biased variance by default)', async () => {
    const x = tf.tensor(X, SHAPE);
    const state = { mean: tf.tensor(MEAN), variance: tf.tensor(VAR) };
    const { mean, variance, count } = channelStats(Float64Array.from(X), SHAPE, 3);
    expect(count).toBe(24);
    await expectNoLeaks(async () => {
      const biased = batchNorm(x, {}, state, { training: true, momentum: 0.9 });
      await expectClose(
        biased.state.mean,
        Array.from(MEAN, (m, c) => 0.9 * m + 0.1 * (mean[c] as number)),
        { rtol: 1e-5 },
      );
      await expectClose(
        biased.state.variance,
        Array.from(VAR, (v, c) => 0.9 * v + 0.1 * (variance[c] as number)),
        { rtol: 1e-5 },
      );
      const unbiased = batchNorm(x, {}, state, {
        training: true,
        momentum: 0.9,
        unbiasedRunningVariance: true,
      });
      await expectClose(
        unbiased.state.variance,
        Array.from(VAR, (v, c) => 0.9 * v + (0.1 * ((variance[c] as number) * 24)) / 23),
        { rtol: 1e-5 },
      );
      // The output itself always uses the biased batch variance.
      await expectClose(unbiased.y, biased.y, { rtol: 0, atol: 0 });
      tf.dispose([biased.y, unbiased.y]);
      disposeState(biased.state);
      disposeState(unbiased.state);
    });
    // Default momentum 0.99; momentum 1 freezes, 0 copies the batch statistics.
    const def = batchNorm(x, {}, state, { training: true });
    await expectClose(
      def.state.mean,
      Array.from(MEAN, (m, c) => 0.99 * m + 0.01 * (mean[c] as number)),
      { rtol: 1e-5 },
    );
    const frozen = batchNorm(x, {}, state, { training: true, momentum: 1 });
    await expectClose(frozen.state.mean, MEAN, { rtol: 0, atol: 0 });
    const copied = batchNorm(x, {}, state, { training: true, momentum: 0 });
    await expectClose(copied.state.variance, variance, { rtol: 1e-5 });
    for (const r of [def, frozen, copied]) {
      r.y.dispose();
      disposeState(r.state);
    }
    disposeState(state);
    x.dispose();
  });

  it('train → eval: after many steps on the same batch, inference matches training output', async () => {
    const x = tf.tensor(X, SHAPE);
    let state = batchNormState(5);
    await expectNoLeaks(async () => {
      for (let i = 0; i < 60; i++) {
        const out = batchNorm(x, {}, state, { training: true, momentum: 0.8 });
        out.y.dispose();
        disposeState(state);
        state = out.state;
      }
    });
    const train = batchNorm(x, {}, state, { training: true, momentum: 0.8 });
    const evalOut = batchNorm(x, {}, state, { training: false });
    // 0.8^60 ≈ 1.5e-6 of the initial statistics remain.
    await expectClose(evalOut.y, train.y, { rtol: 1e-4, atol: 1e-4 });
    // Inference returns clones: a new state with equal values.
    expect(evalOut.state.mean).not.toBe(state.mean);
    await expectClose(evalOut.state.mean, state.mean, { rtol: 0, atol: 0 });
    for (const r of [train, evalOut]) {
      r.y.dispose();
      disposeState(r.state);
    }
    disposeState(state);
    x.dispose();
  });

  it('keepState carries the new state out of tf.variableGrads', async () => {
    const x = tf.tensor(X, SHAPE);
    const gamma = tf.variable(tf.tensor(GAMMA));
    const state = batchNormState(5);
    let next: ReturnType<typeof batchNormState> | undefined;
    await expectNoLeaks(async () => {
      const { value, grads } = tf.variableGrads(() => {
        const out = batchNorm(x, { gamma }, state, { training: true });
        next = keepState(out.state);
        return tf.mean(tf.square(out.y));
      });
      expect(next?.mean.isDisposed).toBe(false);
      const { mean } = channelStats(Float64Array.from(X), SHAPE, 3);
      await expectClose(
        next?.mean as tf.Tensor,
        Array.from(mean, (m) => 0.01 * m),
        { rtol: 1e-5, atol: 1e-7 },
      );
      value.dispose();
      tf.dispose(Object.values(grads));
      disposeState(next as object);
    });
    tf.dispose([x, gamma]);
    disposeState(state);
  });
});

it('batchNorm rejects bad input with DescentErrors, before allocating anything', () => {
  const x = tf.zeros([4, 3]);
  const state = batchNormState(3);
  const small = batchNormState(2);
  const [g, g4, x1, xRank1, xInt, dead] = [
    tf.ones([3]),
    tf.ones([4]),
    tf.zeros([1, 3]),
    tf.zeros([3]),
    tf.zeros([4, 3], 'int32'),
    tf.ones([3]),
  ];
  dead.dispose();
  const before = tf.memory().numTensors;
  const train = { training: true };
  expectDescentError(
    () => batchNorm(x, { gamma: g4 }, state, train),
    'SHAPE_MISMATCH',
    'params.gamma',
    '[4]',
    '[3]',
  );
  expectDescentError(
    () => batchNorm(x, { gamma: g }, small, train),
    'SHAPE_MISMATCH',
    'state.mean',
    '[2]',
  );
  expectDescentError(() => batchNorm(xRank1, {}, state, train), 'SHAPE_MISMATCH', 'rank 1');
  expectDescentError(
    () => batchNorm(x1, {}, state, train),
    'SHAPE_MISMATCH',
    '1 value per channel',
  );
  expectDescentError(
    () => batchNorm(x, {}, state, { training: true, momentum: 1.5 }),
    'BAD_HYPERPARAM',
    'momentum',
  );
  expectDescentError(
    () => batchNorm(x, {}, state, { training: true, epsilon: 0 }),
    'BAD_HYPERPARAM',
    'epsilon',
  );
  expectDescentError(
    () => batchNorm(x, {}, state, { training: true, axis: 2 }),
    'BAD_HYPERPARAM',
    'axis',
  );
  expectDescentError(() => batchNorm(x, {}, state, {} as never), 'BAD_HYPERPARAM', 'training');
  expectDescentError(
    () => batchNorm(x, {}, state, { training: true, mom: 0.9 } as never),
    'UNKNOWN_PARAM',
    'mom',
  );
  expectDescentError(() => batchNorm(xInt, {}, state, train), 'DTYPE_MISMATCH');
  expectDescentError(
    () => batchNorm(x, {}, state, { training: true, unbiasedRunningVariance: 1 } as never),
    'BAD_HYPERPARAM',
    'unbiasedRunningVariance',
  );
  expectDescentError(() => batchNorm(x, { beta: dead }, state, train), 'DISPOSED', 'beta');
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, g, g4, x1, xRank1, xInt]);
  disposeState(state);
  disposeState(small);
});
