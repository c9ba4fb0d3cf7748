import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByMomentum } from '../transforms/scale-by-momentum';
import { scaleByTrustRatio } from '../transforms/scale-by-trust-ratio';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { Lars, lars } from './lars';
import { fromTransform } from './transform-optimizer';

const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));

/** optax's lars, written from its chain, in float64. */
function larsReference(o: {
  lr: number | ((step: number) => number);
  momentum: number;
  wd: number;
  c: number;
  eps: number;
  nesterov: boolean;
  decayed?: (k: number) => boolean;
  adapted?: (k: number) => boolean;
}): ReferenceStep {
  const buffers: Float64Array[] = [];
  return (values, grads, step) => {
    const lr = typeof o.lr === 'number' ? o.lr : o.lr(step);
    values.forEach((theta, k) => {
      const b = buffers[k] ?? new Float64Array(theta.length);
      buffers[k] = b;
      const wd = (o.decayed?.(k) ?? true) ? o.wd : 0;
      const u = (grads[k] as Float64Array).map((g, i) => g + wd * (theta[i] as number));
      const pn = norm(theta);
      const un = norm(u);
      const ratio =
        (o.adapted?.(k) ?? true) ? (pn === 0 || un === 0 ? 1 : (o.c * pn) / (un + o.eps)) : 1;
      for (let i = 0; i < theta.length; i++) {
        const ui = -lr * ratio * (u[i] as number);
        b[i] = o.momentum * (b[i] as number) + ui;
        theta[i] =
          (theta[i] as number) +
          (o.nesterov ? ui + o.momentum * (b[i] as number) : (b[i] as number));
      }
    });
  };
}

forEachBackend('lars', () => {
  it('matches optax.lars in float64 over 8 steps (non-default: lr 0.7, μ 0.8, λ 0.1, c 0.02, ε 1e-3, Nesterov; rtol 1e-5)', async () => {
    const o = { lr: 0.7, momentum: 0.8, wd: 0.1, c: 0.02, eps: 1e-3, nesterov: true };
    await expectMatchesReference(
      () =>
        lars({
          learningRate: o.lr,
          momentum: o.momentum,
          weightDecay: o.wd,
          trustCoefficient: o.c,
          eps: o.eps,
          nesterov: true,
        }),
      larsReference(o),
      { steps: 8 },
    );
  });

  it('follows a learning-rate schedule and the masks (heavy ball)', async () => {
    const lr = (step: number) => 0.5 * 0.9 ** step;
    const o = {
      lr,
      momentum: 0.6,
      wd: 0.2,
      c: 0.05,
      eps: 0,
      nesterov: false,
      decayed: (k: number) => k !== 1,
      adapted: (k: number) => k !== 2,
    };
    await expectMatchesReference(
      () =>
        lars({
          learningRate: testSchedule(lr),
          momentum: o.momentum,
          weightDecay: o.wd,
          weightDecayMask: (name) => !name.endsWith('/bias'),
          trustCoefficient: o.c,
          trustRatioMask: (name) => !name.endsWith('/scale'),
        }),
      larsReference(o),
      { steps: 6 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.4, momentum: 0.7, wd: 0.05, c: 0.01, eps: 0, nesterov: false };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addDecayedWeights(o.wd),
            scaleByTrustRatio({ trustCoefficient: o.c }),
            scaleByLearningRate(o.lr),
            scaleByMomentum({ momentum: o.momentum }),
          ),
        ),
      larsReference(o),
      { steps: 6 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(
      () => lars({ learningRate: 0.1, weightDecay: 0.01, nesterov: true }),
      { steps: 100, name: 'lars_leak' },
    );
  });
});

it('lars converges on the parabola and on Rosenbrock within 10 000 steps (cpu; lr 1 as optax’s test)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(lars({ learningRate: 1 }), 'parabola');
  await expectConverges(lars({ learningRate: 1 }), 'rosenbrock');
});

it('lars rejects bad options before creating anything, and round-trips its config', () => {
  expectConstructionErrors(
    (options: unknown) => lars(options as never),
    [
      [undefined, /\[BAD_ARGUMENT\]/],
      [{}, /\[BAD_ARGUMENT\] learningRate/],
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ learningRate: 1, momentum: 1.5 }, /\[BAD_HYPERPARAM\] momentum/],
      [{ learningRate: 1, weightDecay: -1 }, /\[BAD_HYPERPARAM\] weightDecay/],
      [{ learningRate: 1, trustCoefficient: 0 }, /\[BAD_HYPERPARAM\] trustCoefficient/],
      [{ learningRate: 1, eps: Number.NaN }, /\[NON_FINITE\] eps/],
      [{ learningRate: 1, nesterov: 'yes' }, /\[BAD_HYPERPARAM\] nesterov/],
      [{ learningRate: 1, trustRatioMask: [] }, /\[BAD_ARGUMENT\] trustRatioMask/],
      [{ learningRate: 1, trust_coefficient: 1 }, /\[UNKNOWN_PARAM\]/],
    ],
  );

  const opt = lars({ learningRate: 2, weightDecay: 1e-4, trustRatioMask: { 'dense/bias': false } });
  expect(opt.getClassName()).toBe('descent.Lars');
  const again = Lars.fromConfig(Lars, JSON.parse(JSON.stringify(opt.getConfig())));
  expect(again.getConfig()).toEqual(opt.getConfig());
});
