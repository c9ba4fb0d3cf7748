import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
  numericGrad,
} from '@descent/core/testing';
import { batchNorm } from './batch-norm';
import { batchRenorm } from './batch-renorm';
import { batchNormState, disposeState } from './norm-state';
import { expectMatchesReference, sample } from './test-support/grad-check';
import { refBatchNormEval, refBatchRenormTrain } from './test-support/reference';

const SHAPE = [6, 2, 4]; // C = 4, 12 values per channel
const X = sample(48, 31, 1.5, 0.7);
const GAMMA = sample(4, 32, 0.5, 1);
const BETA = sample(4, 33, 0.5);
// Running statistics chosen so that some of r, d are clipped by rMax = 1.5, dMax = 0.5 and some not.
const MEAN = Float32Array.from([0.6, 1.5, -0.4, 0.8]);
const VAR = Float32Array.from([2.0, 0.5, 9.0, 1.8]);
const OPTS = { rMax: 1.5, dMax: 0.5, epsilon: 0.01 };

function renormOp(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const state = { mean: tf.tensor(MEAN), variance: tf.tensor(VAR) };
  const out = batchRenorm(x, { gamma, beta }, state, { training: true, ...OPTS });
  disposeState(state);
  disposeState(out.state);
  return out.y;
}

forEachBackend('batchRenorm', () => {
  it('training: equals the reference with r, d held constant in the backward pass', async () => {
    const base = refBatchRenormTrain(
      Float64Array.from(X),
      SHAPE,
      2,
      { mean: MEAN, variance: VAR },
      OPTS,
      {},
    );
    // The chosen statistics exercise both the clipped and the free regime.
    expect(Array.from(base.r).some((r) => r === 1.5 || r === 1 / 1.5)).toBe(true);
    expect(Array.from(base.r).some((r) => r !== 1.5 && r !== 1 / 1.5)).toBe(true);
    expect(Array.from(base.d).some((d) => Math.abs(d) === 0.5)).toBe(true);
    expect(Array.from(base.d).some((d) => Math.abs(d) < 0.5)).toBe(true);
    await expectMatchesReference({
      inputs: [
        { shape: SHAPE, values: X },
        { shape: [4], values: GAMMA },
        { shape: [4], values: BETA },
      ],
      op: (x, gamma, beta) => renormOp(x as tf.Tensor, gamma as tf.Tensor, beta as tf.Tensor),
      reference: (x, gamma, beta) =>
        refBatchRenormTrain(x, SHAPE, 2, { mean: MEAN, variance: VAR }, OPTS, { gamma, beta }, base)
          .y,
    });
  });

  it('the stop-gradient matters: differentiating through r and d would give another x-gradient', async () => {
    const c = sample(48, 99);
    const full = numericGrad((x) => {
      const y = refBatchRenormTrain(x, SHAPE, 2, { mean: MEAN, variance: VAR }, OPTS, {}).y;
      return y.reduce((s, v, i) => s + v * (c[i] as number), 0);
    }, Float64Array.from(X));
    const x = tf.tensor(X, SHAPE);
    const cT = tf.tensor(c, SHAPE);
    const g = tf.grad((xx: tf.Tensor) => {
      const state = { mean: tf.tensor(MEAN), variance: tf.tensor(VAR) };
      const out = batchRenorm(xx, {}, state, { training: true, ...OPTS });
      return tf.sum(tf.mul(out.y, cT));
    })(x);
    const got = await g.data();
    const diff = Math.max(...Array.from(full, (v, i) => Math.abs(v - (got[i] as number))));
    expect(diff).toBeGreaterThan(0.05);
    tf.dispose([x, cT, g]);
  });

  it('rMax = 1, dMax = 0 is batch norm; inference uses the running statistics', async () => {
    const x = tf.tensor(X, SHAPE);
    const state = { mean: tf.tensor(MEAN), variance: tf.tensor(VAR) };
    await expectNoLeaks(async () => {
      const a = batchRenorm(x, {}, state, { training: true, rMax: 1, dMax: 0, momentum: 0.9 });
      const b = batchNorm(x, {}, state, { training: true, momentum: 0.9 });
      await expectClose(a.y, b.y, { rtol: 1e-5, atol: 1e-5 });
      await expectClose(a.state.mean, b.state.mean, { rtol: 1e-6 });
      await expectClose(a.state.variance, b.state.variance, { rtol: 1e-6 });
      const e = batchRenorm(x, {}, state, { training: false, epsilon: 0.01 });
      await expectClose(e.y, refBatchNormEval(X, SHAPE, 2, MEAN, VAR, 0.01, {}), {
        rtol: 1e-5,
        atol: 1e-5,
      });
      for (const r of [a, b, e]) {
        r.y.dispose();
        disposeState(r.state);
      }
    });
    tf.dispose(x);
    disposeState(state);
  });
});

it('batchRenorm rejects rMax < 1, dMax < 0 and bad shapes', () => {
  const x = tf.zeros([4, 3]);
  const state = batchNormState(3);
  const before = tf.memory().numTensors;
  expectDescentError(
    () => batchRenorm(x, {}, state, { training: true, rMax: 0.5 }),
    'BAD_HYPERPARAM',
    'rMax',
  );
  expectDescentError(
    () => batchRenorm(x, {}, state, { training: true, dMax: -1 }),
    'BAD_HYPERPARAM',
    'dMax',
  );
  expectDescentError(
    () => batchRenorm(x, {}, state, { training: true, axis: 0 }),
    'SHAPE_MISMATCH',
    'state.mean',
    '[4]',
  );
  expectDescentError(
    () => batchRenorm(x, {}, state, { rMax: 2 } as never),
    'BAD_HYPERPARAM',
    'training',
  );
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(x);
  disposeState(state);
});
