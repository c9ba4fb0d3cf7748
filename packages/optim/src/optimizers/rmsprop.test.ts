import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRms } from '../transforms/scale-by-rms';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { fromTransform } from './transform-optimizer';
import { rmsprop } from './rmsprop';

/** torch.optim.RMSprop, written from its documented algorithm, in float64. */
function rmspropReference(o: {
  lr: number;
  alpha: number;
  eps: number;
  momentum?: number | ((step: number) => number);
  centered?: boolean;
  wd?: number;
}): ReferenceStep {
  const state: { v: Float64Array; gAvg: Float64Array; buf: Float64Array }[] = [];
  return (values, grads, step) => {
    const mu = typeof o.momentum === 'function' ? o.momentum(step) : (o.momentum ?? 0);
    const withMomentum = o.momentum !== undefined && o.momentum !== 0;
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        v: new Float64Array(theta.length),
        gAvg: new Float64Array(theta.length),
        buf: new Float64Array(theta.length),
      };
      state[k] = s;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = (g0[i] as number) + (o.wd ?? 0) * (theta[i] as number);
        s.v[i] = o.alpha * (s.v[i] as number) + (1 - o.alpha) * g * g;
        let avg = s.v[i] as number;
        if (o.centered) {
          s.gAvg[i] = o.alpha * (s.gAvg[i] as number) + (1 - o.alpha) * g;
          avg -= (s.gAvg[i] as number) ** 2;
        }
        const x = g / (Math.sqrt(avg) + o.eps);
        if (withMomentum) {
          s.buf[i] = mu * (s.buf[i] as number) + x;
          theta[i] = (theta[i] as number) - o.lr * (s.buf[i] as number);
        } else {
          theta[i] = (theta[i] as number) - o.lr * x;
        }
      }
    });
  };
}

forEachBackend('rmsprop', () => {
  it('matches torch.optim.RMSprop in float64 over 8 steps (centered, momentum 0.6, ρ 0.9, L2 0.02; rtol 1e-5)', async () => {
    const o = { lr: 0.01, alpha: 0.9, eps: 1e-6, momentum: 0.6, centered: true, wd: 0.02 };
    await expectMatchesReference(
      () =>
        rmsprop({
          learningRate: o.lr,
          rho: o.alpha,
          epsilon: o.eps,
          momentum: o.momentum,
          centered: true,
          weightDecay: o.wd,
        }),
      rmspropReference(o),
      { steps: 8 },
    );
  });

  it('matches torch.optim.RMSprop without momentum or centering over 6 steps (ρ 0.8)', async () => {
    const o = { lr: 0.02, alpha: 0.8, eps: 1e-7 };
    await expectMatchesReference(
      () => rmsprop({ learningRate: o.lr, rho: o.alpha, epsilon: o.eps }),
      rmspropReference(o),
    );
  });

  it('follows a momentum schedule', async () => {
    const momentum = (step: number) => 0.9 - 0.1 * step;
    const o = { lr: 0.01, alpha: 0.95, eps: 1e-8, momentum };
    await expectMatchesReference(
      () =>
        rmsprop({
          learningRate: o.lr,
          rho: o.alpha,
          momentum: testSchedule(momentum, 'test.rmspropSchedule'),
        }),
      rmspropReference(o),
      { steps: 7 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.03, alpha: 0.85, eps: 1e-8, momentum: 0.3, centered: false, wd: 0.05 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByRms({ rho: o.alpha, epsilon: o.eps, momentum: o.momentum }),
            scaleByLearningRate(o.lr),
          ),
        ),
      rmspropReference(o),
      { steps: 8 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    for (const options of [{ centered: true, momentum: 0.9, weightDecay: 1e-3 }, {}]) {
      await expectNoLeaksOverSteps(() => rmsprop({ learningRate: 0.01, ...options }), {
        steps: 100,
      });
    }
  });
});

it('rmsprop converges on the parabola and on Rosenbrock within 10 000 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(rmsprop({ learningRate: 5e-3 }), 'parabola');
  await expectConverges(rmsprop({ learningRate: 1e-3, centered: true, momentum: 0.5 }), 'parabola');
  await expectConverges(rmsprop({ learningRate: 1e-3 }), 'rosenbrock');
});

describe('rmsprop errors (cpu)', () => {
  it('rejects out-of-range and non-finite options, naming them, before creating anything', async () => {
    await tf.setBackend('cpu');
    expectConstructionErrors(rmsprop, [
      [{ learningRate: -0.1 }, /^\[BAD_HYPERPARAM\] learningRate/],
      [{ rho: 1 }, /^\[BAD_HYPERPARAM\] rho/],
      [{ rho: -0.5 }, /^\[BAD_HYPERPARAM\] rho/],
      [{ epsilon: Number.NaN }, /^\[NON_FINITE\] epsilon/],
      [{ momentum: 1.2 }, /^\[BAD_HYPERPARAM\] momentum/],
      [
        { momentum: testSchedule(() => -1, 'test.rmspropSchedule') },
        /^\[BAD_HYPERPARAM\] momentum \(schedule/,
      ],
      [{ weightDecay: -1 }, /^\[BAD_HYPERPARAM\] weightDecay/],
      [{ centered: 1 as unknown as boolean }, /^\[BAD_HYPERPARAM\] centered/],
      [{ alpha: 0.9 } as never, /^\[UNKNOWN_PARAM\] .*"alpha"/],
    ]);
  });
});
