import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByRadam } from '../transforms/scale-by-radam';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { radam } from './radam';

/** torch.optim.RAdam, written from its documented algorithm, in float64. */
function radamReference(o: {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  wd?: number;
  decoupled?: boolean;
  /** Records whether each step was rectified. */
  rectified?: boolean[];
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array }[] = [];
  const rhoInf = 2 / (1 - o.b2) - 1;
  return (values, grads, step) => {
    const t = step + 1;
    const rho = rhoInf - (2 * t * o.b2 ** t) / (1 - o.b2 ** t);
    o.rectified?.push(rho > 5);
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        m: new Float64Array(theta.length),
        v: new Float64Array(theta.length),
      };
      state[k] = s;
      const g0 = grads[k] as Float64Array;
      const wd = o.wd ?? 0;
      for (let i = 0; i < theta.length; i++) {
        const p = theta[i] as number;
        const g = (g0[i] as number) + (o.decoupled ? 0 : wd * p);
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * g;
        s.v[i] = o.b2 * (s.v[i] as number) + (1 - o.b2) * g * g;
        const mHat = (s.m[i] as number) / (1 - o.b1 ** t);
        let delta: number;
        if (rho > 5) {
          const l = Math.sqrt(1 - o.b2 ** t) / (Math.sqrt(s.v[i] as number) + o.eps);
          const r = Math.sqrt(
            ((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho),
          );
          delta = mHat * r * l;
        } else {
          delta = mHat;
        }
        theta[i] = (o.decoupled ? p * (1 - o.lr * wd) : p) - o.lr * delta;
      }
    });
  };
}

forEachBackend('radam', () => {
  it('matches torch.optim.RAdam in float64 over 10 steps, 5 unadapted then 5 rectified (L2; rtol 1e-5)', async () => {
    // β₂ = 0.95: ρ_∞ = 39, ρ_t > 5 from t = 6 on.
    const rectified: boolean[] = [];
    const o = { lr: 0.03, b1: 0.8, b2: 0.95, eps: 1e-6, wd: 0.1, rectified };
    await expectMatchesReference(
      () =>
        radam({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
        }),
      radamReference(o),
      { steps: 10 },
    );
    expect(rectified).toEqual([false, false, false, false, false, true, true, true, true, true]);
  });

  it('matches torch.optim.RAdam(decoupled_weight_decay=True) over 8 steps', async () => {
    const o = { lr: 0.02, b1: 0.9, b2: 0.9, eps: 1e-8, wd: 0.3, decoupled: true };
    await expectMatchesReference(
      () =>
        radam({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
          decoupledWeightDecay: true,
        }),
      radamReference(o),
      { steps: 8 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.05, b1: 0.7, b2: 0.95, eps: 1e-8, wd: 0.01 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByRadam({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }),
            scaleByLearningRate(o.lr),
          ),
        ),
      radamReference(o),
      { steps: 8 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => radam({ learningRate: 0.01, weightDecay: 0.01 }), {
      steps: 100,
    });
  });
});

describe('radam (cpu)', () => {
  it('converges on the parabola and on Rosenbrock within 10 000 steps', async () => {
    await tf.setBackend('cpu');
    await expectConverges(radam({ learningRate: 0.1 }), 'parabola');
    await expectConverges(radam({ learningRate: 0.05 }), 'rosenbrock');
  });

  it('rejects out-of-range options before creating anything', () => {
    expectConstructionErrors(radam, [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ learningRate: Number.NaN }, /\[NON_FINITE\] learningRate/],
      [{ beta1: 1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ beta2: 1 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ epsilon: -1 }, /\[BAD_HYPERPARAM\] epsilon/],
      [{ weightDecay: -1 }, /\[BAD_HYPERPARAM\] weightDecay/],
      [
        { decoupledWeightDecay: 1 as unknown as boolean },
        /\[BAD_HYPERPARAM\] decoupledWeightDecay/,
      ],
      [{ betas: [0.9, 0.99] } as unknown as Parameters<typeof radam>[0], /\[UNKNOWN_PARAM\]/],
    ]);
  });
});
