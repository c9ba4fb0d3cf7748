import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { batchNorm } from './batch-norm';
import { instanceNorm } from './instance-norm';
import { layerNorm } from './layer-norm';
import { batchNormState, disposeState } from './norm-state';
import { switchableNorm } from './switchable-norm';
import { expectMatchesReference, sample } from './test-support/grad-check';
import { refSwitchableNorm } from './test-support/reference';

const SHAPE = [3, 2, 2, 4]; // NHWC, C = 4
const X = sample(48, 61, 1.3, 0.5);
const GAMMA = sample(4, 62, 0.5, 1);
const BETA = sample(4, 63, 0.5);
const ML = Float32Array.from([0.3, -0.5, 0.9]);
const VL = Float32Array.from([-0.2, 0.6, 0.1]);
const MEAN = sample(4, 64, 0.3);
const VAR = Float32Array.from(sample(4, 65), (v) => 0.6 + v * v);

forEachBackend('switchableNorm', () => {
  for (const training of [true, false]) {
    it(`${training ? 'training' : 'inference'}: equals the reference, gradients for x, γ, β and both logit vectors`, async () => {
      await expectMatchesReference({
        inputs: [
          { shape: SHAPE, values: X },
          { shape: [4], values: GAMMA },
          { shape: [4], values: BETA },
          { shape: [3], values: ML },
          { shape: [3], values: VL },
        ],
        op: (x, gamma, beta, meanLogits, varLogits) => {
          const state = { mean: tf.tensor(MEAN), variance: tf.tensor(VAR) };
          const out = switchableNorm(
            x as tf.Tensor,
            { gamma, beta, meanLogits: meanLogits as tf.Tensor, varLogits: varLogits as tf.Tensor },
            state,
            { training, epsilon: 0.01 },
          );
          disposeState(state);
          disposeState(out.state);
          return out.y;
        },
        reference: (x, gamma, beta, ml, vl) =>
          refSwitchableNorm(
            x,
            SHAPE,
            ml,
            vl,
            0.01,
            { gamma, beta },
            training ? undefined : { mean: MEAN, variance: VAR },
          ),
      });
    });
  }

  it('a one-hot mixture reduces to instance, layer or batch norm; running statistics as batchNorm', async () => {
    const x = tf.tensor(X, SHAPE);
    const state = batchNormState(4);
    await expectNoLeaks(async () => {
      const cases: [number, tf.Tensor][] = [
        [0, instanceNorm(x, {})],
        [1, layerNorm(x, {}, { axis: [1, 2, 3] })],
      ];
      const bn = batchNorm(x, {}, state, { training: true, momentum: 0.9 });
      cases.push([2, bn.y]);
      for (const [k, expected] of cases) {
        const logits = tf.tensor([0, 1, 2].map((i) => (i === k ? 40 : -40)));
        const out = switchableNorm(x, { meanLogits: logits, varLogits: logits }, state, {
          training: true,
          momentum: 0.9,
        });
        await expectClose(out.y, expected, { rtol: 1e-4, atol: 1e-4 });
        await expectClose(out.state.mean, bn.state.mean, { rtol: 1e-5, atol: 1e-7 });
        await expectClose(out.state.variance, bn.state.variance, { rtol: 1e-5 });
        tf.dispose([logits, out.y, expected]);
        disposeState(out.state);
      }
      disposeState(bn.state);
    });
    tf.dispose(x);
    disposeState(state);
  });
});

it('switchableNorm rejects bad logits and rank-2 input', () => {
  const x = tf.zeros([2, 3, 4]);
  const state = batchNormState(4);
  const l3 = tf.zeros([3]);
  const l2 = tf.zeros([2]);
  const x2 = tf.zeros([2, 4]);
  const before = tf.memory().numTensors;
  expectDescentError(
    () => switchableNorm(x, { meanLogits: l2, varLogits: l3 }, state, { training: true }),
    'SHAPE_MISMATCH',
    'meanLogits',
    '[2]',
    '[3]',
  );
  expectDescentError(
    () => switchableNorm(x2, { meanLogits: l3, varLogits: l3 }, state, { training: true }),
    'SHAPE_MISMATCH',
    'rank 2',
  );
  expectDescentError(
    () => switchableNorm(x, { meanLogits: l3 } as never, state, { training: true }),
    'BAD_ARGUMENT',
    'varLogits',
  );
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, l3, l2, x2]);
  disposeState(state);
});
