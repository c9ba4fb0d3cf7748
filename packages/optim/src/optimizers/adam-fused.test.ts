import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { adam } from './adam';
import { adamw } from './adamw';
import { fromTransform } from './transform-optimizer';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import {
  expectFusedParity,
  FUSED_PATH,
  halving,
  parityVariables,
} from '../test-support/fused-parity';
import { adamKernel } from './adam';

forEachBackend('fused Adam / AdamW', (backend) => {
  it(`takes the ${FUSED_PATH[backend]} path`, () => {
    expect(adamKernel.path()).toBe(FUSED_PATH[backend]);
  });

  it('equals the composable chain over 20 steps: Adam with L2 and a learning-rate schedule (rtol 1e-6)', async () => {
    const o = { beta1: 0.8, beta2: 0.95, epsilon: 1e-6 };
    await expectFusedParity(
      () => adam({ learningRate: halving, weightDecay: 0.05, ...o }),
      () => fromTransform(chain(addL2Gradient(0.05), scaleByAdam(o), scaleByLearningRate(halving))),
      { growHeapAt: backend === 'wasm' ? 10 : -1 },
    );
  });

  it('equals the composable chain over 20 steps: AMSGrad', async () => {
    const o = { beta1: 0.7, beta2: 0.9, epsilon: 1e-8, amsgrad: true };
    await expectFusedParity(
      () => adam({ learningRate: 0.01, ...o }),
      () => fromTransform(chain(scaleByAdam(o), scaleByLearningRate(0.01))),
    );
  });

  it('equals the composable chain over 20 steps: AdamW with a mask', async () => {
    const o = { beta1: 0.9, beta2: 0.99, epsilon: 1e-7 };
    const mask = (name: string, p: tf.Tensor) => p.rank > 1 && name.length > 0;
    await expectFusedParity(
      () => adamw({ learningRate: 0.01, weightDecay: 0.1, weightDecayMask: mask, ...o }),
      () =>
        fromTransform(
          chain(scaleByAdam(o), addDecayedWeights(0.1, { mask }), scaleByLearningRate(0.01)),
        ),
    );
  });

  it('allocates nothing and runs no tfjs kernel per step once its state exists', async () => {
    const { vars } = parityVariables('alloc', false);
    const opt = adam({ learningRate: 0.01 });
    const step = () => {
      const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
      opt.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    // The fused path runs no tfjs kernel at all (one descent kernel per variable); cpu runs the chain.
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
    const profile = await tf.profile(() => opt.applyGradients(grads));
    tf.dispose(grads.map((g) => g.tensor));
    if (backend === 'cpu') expect(profile.kernels.length).toBeGreaterThan(10);
    else expect(profile.kernels).toEqual([]);
    opt.dispose();
    tf.dispose(vars);
  });
});
