import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByAdamax } from '../transforms/scale-by-adamax';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { adamax } from './adamax';

/** torch.optim.Adamax, written from its documented algorithm, in float64. */
function adamaxReference(o: {
  lr: number;
  b1: number | ((step: number) => number);
  b2: number;
  eps: number;
  wd?: number;
}): ReferenceStep {
  const state: { m: Float64Array; u: Float64Array }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    const b1 = typeof o.b1 === 'number' ? o.b1 : o.b1(step);
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        m: new Float64Array(theta.length),
        u: new Float64Array(theta.length),
      };
      state[k] = s;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = (g0[i] as number) + (o.wd ?? 0) * (theta[i] as number);
        s.m[i] = b1 * (s.m[i] as number) + (1 - b1) * g;
        s.u[i] = Math.max(o.b2 * (s.u[i] as number), Math.abs(g) + o.eps);
        theta[i] =
          (theta[i] as number) - (o.lr * (s.m[i] as number)) / ((1 - b1 ** t) * (s.u[i] as number));
      }
    });
  };
}

forEachBackend('adamax', () => {
  it('matches torch.optim.Adamax in float64 over 8 steps (non-default hyperparameters, L2; rtol 1e-5)', async () => {
    const o = { lr: 0.03, b1: 0.8, b2: 0.7, eps: 1e-3, wd: 0.1 };
    await expectMatchesReference(
      () =>
        adamax({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
        }),
      adamaxReference(o),
      { steps: 8 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.05, b1: 0.7, b2: 0.9, eps: 1e-8, wd: 0.01 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByAdamax({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }),
            scaleByLearningRate(o.lr),
          ),
        ),
      adamaxReference(o),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => adamax({ learningRate: 0.01, weightDecay: 0.01 }), {
      steps: 100,
    });
  });
});

describe('adamax (cpu)', () => {
  it('evaluates a β₁ schedule at each step (bias correction with the current β₁, as scaleByAdam)', async () => {
    await tf.setBackend('cpu');
    const b1 = (step: number) => 0.5 + 0.05 * step;
    const o = { lr: 0.03, b1, b2: 0.9, eps: 1e-8 };
    await expectMatchesReference(
      () => adamax({ learningRate: o.lr, beta1: testSchedule(b1), beta2: o.b2, epsilon: o.eps }),
      adamaxReference(o),
    );
  });

  it('throws at the step where a schedule leaves its range, before touching the variable', async () => {
    await tf.setBackend('cpu');
    const x = tf.variable(tf.tensor([1, 2]), true, `range${uniqueSuffix()}`);
    const opt = adamax({ beta1: testSchedule((step) => (step < 2 ? 0.9 : 1)) });
    const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.minimize(loss, false, [x]);
    opt.minimize(loss, false, [x]);
    const before = Array.from(await x.data());
    expect(() => opt.minimize(loss, false, [x])).toThrow(
      /\[BAD_HYPERPARAM\] beta1 \(schedule test at step 2\)/,
    );
    expect(Array.from(await x.data())).toEqual(before);
    opt.dispose();
    x.dispose();
  });

  it('converges on the parabola and on Rosenbrock within 10 000 steps', async () => {
    await tf.setBackend('cpu');
    await expectConverges(adamax({ learningRate: 0.1 }), 'parabola');
    await expectConverges(adamax({ learningRate: 0.05 }), 'rosenbrock');
  });

  it('keeps ε inside the max: a zero gradient gives a zero step, not NaN', async () => {
    await tf.setBackend('cpu');
    const x = tf.variable(tf.tensor([1, 2]), true, `zero${uniqueSuffix()}`);
    const opt = adamax();
    opt.applyGradients({ [x.name]: tf.zeros([2]) });
    expect(Array.from(await x.data())).toEqual([1, 2]);
    opt.dispose();
    x.dispose();
  });

  it('rejects out-of-range options before creating anything', () => {
    expectConstructionErrors(adamax, [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ beta1: -0.1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ beta2: 1 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ epsilon: -1 }, /\[BAD_HYPERPARAM\] epsilon/],
      [{ epsilon: Number.NaN }, /\[NON_FINITE\] epsilon/],
      [{ weightDecay: -1 }, /\[BAD_HYPERPARAM\] weightDecay/],
      [{ beta: 0.9 } as unknown as Parameters<typeof adamax>[0], /\[UNKNOWN_PARAM\]/],
    ]);
  });
});
