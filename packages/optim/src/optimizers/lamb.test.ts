import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByTrustRatio } from '../transforms/scale-by-trust-ratio';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { Lamb, lamb } from './lamb';
import { fromTransform } from './transform-optimizer';

const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));

/** optax's lamb (You et al., 2020, Algorithm 2 with φ = identity), in float64. */
function lambReference(o: {
  lr: number | ((step: number) => number);
  b1: number;
  b2: number;
  eps: number;
  wd: number;
  decayed?: (k: number) => boolean;
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    const lr = typeof o.lr === 'number' ? o.lr : o.lr(step);
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        m: new Float64Array(theta.length),
        v: new Float64Array(theta.length),
      };
      state[k] = s;
      const g = grads[k] as Float64Array;
      const wd = (o.decayed?.(k) ?? true) ? o.wd : 0;
      const r = new Float64Array(theta.length);
      for (let i = 0; i < theta.length; i++) {
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * (g[i] as number);
        s.v[i] = o.b2 * (s.v[i] as number) + (1 - o.b2) * (g[i] as number) ** 2;
        const mHat = (s.m[i] as number) / (1 - o.b1 ** t);
        const vHat = (s.v[i] as number) / (1 - o.b2 ** t);
        r[i] = mHat / (Math.sqrt(vHat) + o.eps) + wd * (theta[i] as number);
      }
      const pn = norm(theta);
      const rn = norm(r);
      const ratio = pn === 0 || rn === 0 ? 1 : pn / rn;
      for (let i = 0; i < theta.length; i++) {
        theta[i] = (theta[i] as number) - lr * ratio * (r[i] as number);
      }
    });
  };
}

forEachBackend('lamb', () => {
  it('matches optax.lamb in float64 over 8 steps (non-default: lr 0.02, β₁ 0.8, β₂ 0.95, ε 1e-4, λ 0.1; rtol 1e-5)', async () => {
    const o = { lr: 0.02, b1: 0.8, b2: 0.95, eps: 1e-4, wd: 0.1 };
    await expectMatchesReference(
      () =>
        lamb({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
        }),
      lambReference(o),
      { steps: 8 },
    );
  });

  it('follows a learning-rate schedule and the weight-decay mask', async () => {
    const lr = (step: number) => 0.05 / (1 + step);
    const o = { lr, b1: 0.7, b2: 0.99, eps: 1e-6, wd: 0.3, decayed: (k: number) => k === 0 };
    await expectMatchesReference(
      () =>
        lamb({
          learningRate: testSchedule(lr),
          beta1: o.b1,
          beta2: o.b2,
          weightDecay: o.wd,
          weightDecayMask: (_name, p) => p.rank > 1,
        }),
      lambReference(o),
      { steps: 6 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.03, b1: 0.85, b2: 0.9, eps: 1e-6, wd: 0.05 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByAdam({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }),
            addDecayedWeights(o.wd),
            scaleByTrustRatio(),
            scaleByLearningRate(o.lr),
          ),
        ),
      lambReference(o),
      { steps: 6 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => lamb({ learningRate: 0.01, weightDecay: 0.01 }), {
      steps: 100,
      name: 'lamb_leak',
    });
  });
});

it('lamb converges on the parabola and on Rosenbrock within 10 000 steps (cpu; lr 1e-3 as optax’s test)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(lamb({ learningRate: 1e-3 }), 'parabola');
  await expectConverges(lamb({ learningRate: 1e-3 }), 'rosenbrock');
});

it('lamb rejects bad options before creating anything, and round-trips its config', () => {
  expectConstructionErrors(
    (options: unknown) => lamb(options as never),
    [
      [undefined, /\[BAD_ARGUMENT\]/],
      [{}, /\[BAD_ARGUMENT\] learningRate/],
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ learningRate: 1, beta1: 1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ learningRate: 1, beta2: -0.1 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ learningRate: 1, epsilon: -1 }, /\[BAD_HYPERPARAM\] epsilon/],
      [{ learningRate: 1, weightDecay: Number.POSITIVE_INFINITY }, /\[NON_FINITE\] weightDecay/],
      [{ learningRate: 1, weightDecayMask: 3 }, /\[BAD_ARGUMENT\] weightDecayMask/],
      [{ learningRate: 1, b1: 0.9 }, /\[UNKNOWN_PARAM\]/],
    ],
  );

  const opt = lamb({ learningRate: 2e-3, weightDecay: 0.01 });
  expect(opt.getClassName()).toBe('descent.Lamb');
  const again = Lamb.fromConfig(Lamb, JSON.parse(JSON.stringify(opt.getConfig())));
  expect(again.getConfig()).toEqual(opt.getConfig());
});
