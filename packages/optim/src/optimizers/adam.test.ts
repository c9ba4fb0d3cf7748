import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
  expectNoLeaksOverSteps,
} from '../test-support/optimizer-harness';
import { adam } from './adam';

/** torch.optim.Adam, written from its documented algorithm, in float64. */
function adamReference(o: {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  wd?: number;
  amsgrad?: boolean;
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array; vmax: Float64Array }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    values.forEach((theta, k) => {
      state[k] ??= {
        m: new Float64Array(theta.length),
        v: new Float64Array(theta.length),
        vmax: new Float64Array(theta.length),
      };
      const s = state[k];
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = (g0[i] as number) + (o.wd ?? 0) * (theta[i] as number);
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * g;
        s.v[i] = o.b2 * (s.v[i] as number) + (1 - o.b2) * g * g;
        s.vmax[i] = Math.max(s.vmax[i] as number, s.v[i] as number);
        const vHat = (o.amsgrad ? (s.vmax[i] as number) : (s.v[i] as number)) / (1 - o.b2 ** t);
        theta[i] =
          (theta[i] as number) -
          (o.lr * ((s.m[i] as number) / (1 - o.b1 ** t))) / (Math.sqrt(vHat) + o.eps);
      }
    });
  };
}

forEachBackend('adam', () => {
  it('follows the public vector (x₀ = [2, 4], lr 0.1, β₁ 0.8, β₂ 0.9)', async () => {
    const x = tf.variable(tf.tensor([2, 4]), true, `vector${uniqueSuffix()}`);
    const opt = adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-8 });
    const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.minimize(loss, false, [x]);
    await expectClose(x, [1.9, 3.9], { rtol: 1e-6 });
    opt.minimize(loss, false, [x]);
    await expectClose(x, [1.80018296, 3.80008207], { rtol: 1e-6 });
    opt.dispose();
    x.dispose();
  });

  it('matches torch.optim.Adam in float64 over 6 steps (non-default hyperparameters, L2, AMSGrad; rtol 1e-5)', async () => {
    const o = { lr: 0.03, b1: 0.8, b2: 0.95, eps: 1e-6, wd: 0.1, amsgrad: true };
    await expectMatchesReference(
      () =>
        adam({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
          amsgrad: true,
        }),
      adamReference(o),
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.05, b1: 0.7, b2: 0.99, eps: 1e-8, wd: 0.01 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByAdam({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }),
            scaleByLearningRate(o.lr),
          ),
        ),
      adamReference(o),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => adam({ learningRate: 0.01, amsgrad: true }), { steps: 100 });
  });
});

it('adam converges on the parabola and on Rosenbrock within 10 000 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(adam({ learningRate: 0.1 }), 'parabola');
  await expectConverges(adam({ learningRate: 0.05 }), 'rosenbrock');
});
