import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByPadam } from '../transforms/scale-by-padam';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { adam } from './adam';
import { padam } from './padam';

/**
 * Padam (Chen & Gu, Algorithm 1: AMSGrad max, power p) with torch-style bias correction of both
 * moments and ε outside the power, in float64.
 */
function padamReference(o: {
  lr: number;
  p: number;
  b1: number;
  b2: number;
  eps: number;
  wd?: number;
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array; vmax: Float64Array }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        m: new Float64Array(theta.length),
        v: new Float64Array(theta.length),
        vmax: new Float64Array(theta.length),
      };
      state[k] = s;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = (g0[i] as number) + (o.wd ?? 0) * (theta[i] as number);
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * g;
        s.v[i] = o.b2 * (s.v[i] as number) + (1 - o.b2) * g * g;
        s.vmax[i] = Math.max(s.vmax[i] as number, s.v[i] as number);
        const mHat = (s.m[i] as number) / (1 - o.b1 ** t);
        const vHat = (s.vmax[i] as number) / (1 - o.b2 ** t);
        theta[i] = (theta[i] as number) - (o.lr * mHat) / (vHat ** o.p + o.eps);
      }
    });
  };
}

forEachBackend('padam', () => {
  it('matches Padam in float64 over 8 steps (p = 0.2, non-default hyperparameters, L2; rtol 1e-5)', async () => {
    const o = { lr: 0.03, p: 0.2, b1: 0.8, b2: 0.95, eps: 1e-6, wd: 0.1 };
    await expectMatchesReference(
      () =>
        padam({
          learningRate: o.lr,
          partial: o.p,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
        }),
      padamReference(o),
      { steps: 8 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling (default p = 1/8)', async () => {
    const o = { lr: 0.02, p: 1 / 8, b1: 0.7, b2: 0.9, eps: 1e-8, wd: 0.01 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByPadam({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }),
            scaleByLearningRate(o.lr),
          ),
        ),
      padamReference(o),
    );
  });

  it('with p = ½ is exactly AMSGrad (padam and adam({ amsgrad: true }) both match the reference)', async () => {
    const o = { lr: 0.03, p: 0.5, b1: 0.8, b2: 0.95, eps: 1e-6 };
    const options = { learningRate: o.lr, beta1: o.b1, beta2: o.b2, epsilon: o.eps };
    await expectMatchesReference(() => padam({ ...options, partial: 0.5 }), padamReference(o));
    await expectMatchesReference(() => adam({ ...options, amsgrad: true }), padamReference(o));
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => padam({ learningRate: 0.01, weightDecay: 0.01 }), {
      steps: 100,
    });
  });
});

describe('padam (cpu)', () => {
  it('converges on the parabola and on Rosenbrock within 10 000 steps', async () => {
    await tf.setBackend('cpu');
    await expectConverges(padam({ learningRate: 0.1 }), 'parabola');
    await expectConverges(padam({ learningRate: 0.002, partial: 0.25 }), 'rosenbrock');
  });

  it('rejects out-of-range options before creating anything', () => {
    expectConstructionErrors(padam, [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ partial: 0 }, /\[BAD_HYPERPARAM\] partial must be a finite number > 0 and ≤ 0.5/],
      [{ partial: 0.6 }, /\[BAD_HYPERPARAM\] partial/],
      [{ partial: Number.NaN }, /\[NON_FINITE\] partial/],
      [{ beta1: 1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ beta2: 1 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ epsilon: -1 }, /\[BAD_HYPERPARAM\] epsilon/],
      [{ weightDecay: -1 }, /\[BAD_HYPERPARAM\] weightDecay/],
      [{ amsgrad: false } as unknown as Parameters<typeof padam>[0], /\[UNKNOWN_PARAM\]/],
    ]);
  });
});
