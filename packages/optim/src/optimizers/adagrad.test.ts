import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRss } from '../transforms/scale-by-rss';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { fromTransform } from './transform-optimizer';
import { adagrad } from './adagrad';

/** torch.optim.Adagrad, written from its documented algorithm, in float64. */
function adagradReference(o: {
  lr: number | ((step: number) => number);
  eps: number;
  init?: number;
  lrDecay?: number;
  wd?: number;
}): ReferenceStep {
  const sums: Float64Array[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    const lr = typeof o.lr === 'function' ? o.lr(step) : o.lr;
    const clr = lr / (1 + (t - 1) * (o.lrDecay ?? 0));
    values.forEach((theta, k) => {
      const sum = sums[k] ?? new Float64Array(theta.length).fill(o.init ?? 0);
      sums[k] = sum;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = (g0[i] as number) + (o.wd ?? 0) * (theta[i] as number);
        sum[i] = (sum[i] as number) + g * g;
        theta[i] = (theta[i] as number) - (clr * g) / (Math.sqrt(sum[i] as number) + o.eps);
      }
    });
  };
}

forEachBackend('adagrad', () => {
  it('matches torch.optim.Adagrad in float64 over 8 steps (s₀ 0.2, lrDecay 0.1, ε 1e-6, L2 0.03; rtol 1e-5)', async () => {
    const o = { lr: 0.05, eps: 1e-6, init: 0.2, lrDecay: 0.1, wd: 0.03 };
    await expectMatchesReference(
      () =>
        adagrad({
          learningRate: o.lr,
          epsilon: o.eps,
          initialAccumulatorValue: o.init,
          lrDecay: o.lrDecay,
          weightDecay: o.wd,
        }),
      adagradReference(o),
      { steps: 8 },
    );
  });

  it('matches the reference with a learning-rate schedule and the default s₀ = 0', async () => {
    const lr = (step: number) => 0.1 / (1 + step);
    const o = { lr, eps: 1e-10, lrDecay: 0.05 };
    await expectMatchesReference(
      () => adagrad({ learningRate: testSchedule(lr, 'test.adagradSchedule'), lrDecay: o.lrDecay }),
      adagradReference(o),
      { steps: 6 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.08, eps: 1e-8, init: 0.5, lrDecay: 0.2, wd: 0.01 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByRss({ initialAccumulatorValue: o.init, epsilon: o.eps, lrDecay: o.lrDecay }),
            scaleByLearningRate(o.lr),
          ),
        ),
      adagradReference(o),
      { steps: 8 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(
      () => adagrad({ learningRate: 0.01, lrDecay: 0.01, weightDecay: 1e-3 }),
      { steps: 100 },
    );
  });
});

it('adagrad converges on the parabola and on Rosenbrock within 10 000 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(adagrad({ learningRate: 0.5 }), 'parabola');
  await expectConverges(adagrad({ learningRate: 0.5 }), 'rosenbrock');
});

describe('adagrad errors (cpu)', () => {
  it('rejects out-of-range and non-finite options, naming them, before creating anything', async () => {
    await tf.setBackend('cpu');
    expectConstructionErrors(adagrad, [
      [{ learningRate: -0.1 }, /^\[BAD_HYPERPARAM\] learningRate/],
      [{ epsilon: -1 }, /^\[BAD_HYPERPARAM\] epsilon/],
      [{ initialAccumulatorValue: -0.1 }, /^\[BAD_HYPERPARAM\] initialAccumulatorValue/],
      [{ lrDecay: Number.NaN }, /^\[NON_FINITE\] lrDecay/],
      [{ lrDecay: -1 }, /^\[BAD_HYPERPARAM\] lrDecay/],
      [
        { weightDecay: testSchedule(() => -1, 'test.adagradSchedule') },
        /^\[BAD_HYPERPARAM\] weightDecay \(schedule/,
      ],
      [{ lr_decay: 0.1 } as never, /^\[UNKNOWN_PARAM\] .*"lr_decay"/],
    ]);
  });
});
