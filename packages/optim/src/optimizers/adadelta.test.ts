import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByAdadelta } from '../transforms/scale-by-adadelta';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { fromTransform } from './transform-optimizer';
import { adadelta } from './adadelta';

/** torch.optim.Adadelta, written from its documented algorithm, in float64. */
function adadeltaReference(o: {
  lr: number;
  rho: number;
  eps: number;
  wd?: number;
}): ReferenceStep {
  const state: { v: Float64Array; a: Float64Array }[] = [];
  return (values, grads) => {
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        v: new Float64Array(theta.length),
        a: new Float64Array(theta.length),
      };
      state[k] = s;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = (g0[i] as number) + (o.wd ?? 0) * (theta[i] as number);
        s.v[i] = o.rho * (s.v[i] as number) + (1 - o.rho) * g * g;
        const delta =
          (Math.sqrt((s.a[i] as number) + o.eps) / Math.sqrt((s.v[i] as number) + o.eps)) * g;
        s.a[i] = o.rho * (s.a[i] as number) + (1 - o.rho) * delta * delta;
        theta[i] = (theta[i] as number) - o.lr * delta;
      }
    });
  };
}

forEachBackend('adadelta', () => {
  it('matches torch.optim.Adadelta in float64 over 8 steps (lr 0.5, ρ 0.8, ε 1e-4, L2 0.05; rtol 1e-5)', async () => {
    const o = { lr: 0.5, rho: 0.8, eps: 1e-4, wd: 0.05 };
    await expectMatchesReference(
      () => adadelta({ learningRate: o.lr, rho: o.rho, epsilon: o.eps, weightDecay: o.wd }),
      adadeltaReference(o),
      { steps: 8 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 2, rho: 0.95, eps: 1e-3, wd: 0.1 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByAdadelta({ rho: o.rho, epsilon: o.eps }),
            scaleByLearningRate(o.lr),
          ),
        ),
      adadeltaReference(o),
      { steps: 8 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => adadelta({ weightDecay: 1e-3 }), { steps: 100 });
  });
});

it('adadelta converges on the parabola and on Rosenbrock within 10 000 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(adadelta(), 'parabola');
  await expectConverges(adadelta({ learningRate: 0.1 }), 'rosenbrock');
});

describe('adadelta errors (cpu)', () => {
  it('rejects out-of-range and non-finite options, naming them, before creating anything', async () => {
    await tf.setBackend('cpu');
    expectConstructionErrors(adadelta, [
      [{ learningRate: -1 }, /^\[BAD_HYPERPARAM\] learningRate/],
      [{ rho: 1 }, /^\[BAD_HYPERPARAM\] rho/],
      [{ epsilon: 0 }, /^\[BAD_HYPERPARAM\] epsilon/],
      [{ epsilon: Number.POSITIVE_INFINITY }, /^\[NON_FINITE\] epsilon/],
      [{ weightDecay: -0.1 }, /^\[BAD_HYPERPARAM\] weightDecay/],
      [{ eps: 1e-6 } as never, /^\[UNKNOWN_PARAM\] .*"eps"/],
    ]);
  });
});
