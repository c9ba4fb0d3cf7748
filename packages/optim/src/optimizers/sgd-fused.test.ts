import * as tf from '@tensorflow/tfjs-core';
import type { Schedule } from '@descent/core';
import { forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { sgd } from './sgd';
import { fromTransform } from './transform-optimizer';
import { expectFusedParity, FUSED_PATH, parityVariables } from '../test-support/fused-parity';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByMomentum } from '../transforms/scale-by-momentum';
import { sgdKernel, sgdMomentumKernel } from './sgd';

const rising: Schedule = Object.assign((step: number) => Math.min(0.9, 0.5 + 0.05 * step), {
  config: { type: 'test.rising' },
});

forEachBackend('fused SGD', (backend) => {
  it(`takes the ${FUSED_PATH[backend]} path`, () => {
    expect(sgdKernel.path()).toBe(FUSED_PATH[backend]);
    expect(sgdMomentumKernel.path()).toBe(FUSED_PATH[backend]);
  });

  it('equals the chain over 20 steps: plain SGD with L2 (rtol 1e-6)', async () => {
    await expectFusedParity(
      () => sgd({ learningRate: 0.05, weightDecay: 0.01 }),
      () =>
        fromTransform(
          chain(addL2Gradient(0.01), scaleByMomentum({ momentum: 0 }), scaleByLearningRate(0.05)),
        ),
    );
  });

  it('equals the chain over 20 steps: heavy ball with dampening', async () => {
    await expectFusedParity(
      () => sgd({ learningRate: 0.02, momentum: 0.8, dampening: 0.3 }),
      () =>
        fromTransform(
          chain(scaleByMomentum({ momentum: 0.8, dampening: 0.3 }), scaleByLearningRate(0.02)),
        ),
    );
  });

  it('equals the chain over 20 steps: Nesterov with a momentum schedule and L2', async () => {
    await expectFusedParity(
      () => sgd({ learningRate: 0.02, momentum: rising, nesterov: true, weightDecay: 0.05 }),
      () =>
        fromTransform(
          chain(
            addL2Gradient(0.05),
            scaleByMomentum({ momentum: rising, nesterov: true }),
            scaleByLearningRate(0.02),
          ),
        ),
    );
  });

  it('runs no tfjs kernel per step on the fused backends', async () => {
    const vars = parityVariables('sgdProfile', false).vars;
    const opt = sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true });
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
    opt.applyGradients(grads);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => opt.applyGradients(grads));
    expect(tf.memory().numTensors).toBe(before);
    if (backend === 'cpu') expect(profile.kernels.length).toBeGreaterThan(10);
    else expect(profile.kernels).toEqual([]);
    tf.dispose(grads.map((g) => g.tensor));
    opt.dispose();
    tf.dispose(vars);
  });
});
