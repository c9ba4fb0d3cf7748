import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByNadam } from '../transforms/scale-by-nadam';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { nadam } from './nadam';

/** torch.optim.NAdam, written from its documented algorithm, in float64. */
function nadamReference(o: {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  psi: number;
  wd?: number;
  decoupled?: boolean;
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array; muProduct: number }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    const mu = o.b1 * (1 - 0.5 * 0.96 ** (t * o.psi));
    const muNext = o.b1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.psi));
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        m: new Float64Array(theta.length),
        v: new Float64Array(theta.length),
        muProduct: 1,
      };
      state[k] = s;
      s.muProduct *= mu;
      const g0 = grads[k] as Float64Array;
      const wd = o.wd ?? 0;
      for (let i = 0; i < theta.length; i++) {
        const p = theta[i] as number;
        const g = (g0[i] as number) + (o.decoupled ? 0 : wd * p);
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * g;
        s.v[i] = o.b2 * (s.v[i] as number) + (1 - o.b2) * g * g;
        const mHat =
          (muNext * (s.m[i] as number)) / (1 - s.muProduct * muNext) +
          ((1 - mu) * g) / (1 - s.muProduct);
        const vHat = (s.v[i] as number) / (1 - o.b2 ** t);
        const decayed = o.decoupled ? p * (1 - o.lr * wd) : p;
        theta[i] = decayed - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
      }
    });
  };
}

forEachBackend('nadam', () => {
  it('matches torch.optim.NAdam in float64 over 8 steps (non-default hyperparameters, L2; rtol 1e-5)', async () => {
    // ψ = 0.3 makes the momentum schedule move visibly within 8 steps.
    const o = { lr: 0.03, b1: 0.8, b2: 0.95, eps: 1e-6, psi: 0.3, wd: 0.1 };
    await expectMatchesReference(
      () =>
        nadam({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          momentumDecay: o.psi,
          weightDecay: o.wd,
        }),
      nadamReference(o),
      { steps: 8 },
    );
  });

  it('matches torch.optim.NAdam(decoupled_weight_decay=True) over 6 steps', async () => {
    const o = { lr: 0.05, b1: 0.85, b2: 0.9, eps: 1e-8, psi: 0.1, wd: 0.4, decoupled: true };
    await expectMatchesReference(
      () =>
        nadam({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          momentumDecay: o.psi,
          weightDecay: o.wd,
          decoupledWeightDecay: true,
        }),
      nadamReference(o),
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.05, b1: 0.85, b2: 0.9, eps: 1e-8, psi: 0.1, wd: 0.4, decoupled: true };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByNadam({ beta1: o.b1, beta2: o.b2, epsilon: o.eps, momentumDecay: o.psi }),
            addDecayedWeights(o.wd),
            scaleByLearningRate(o.lr),
          ),
        ),
      nadamReference(o),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => nadam({ learningRate: 0.01, weightDecay: 0.01 }), {
      steps: 100,
    });
  });
});

describe('nadam (cpu)', () => {
  it('converges on the parabola and on Rosenbrock within 10 000 steps', async () => {
    await tf.setBackend('cpu');
    await expectConverges(nadam({ learningRate: 0.1 }), 'parabola');
    await expectConverges(nadam({ learningRate: 0.05 }), 'rosenbrock');
  });

  it('saves the momentum product exactly: getWeights/setWeights resumes the same trajectory', async () => {
    await tf.setBackend('cpu');
    const make = () => nadam({ learningRate: 0.05, momentumDecay: 0.2 });
    const name = `resume${uniqueSuffix()}`;
    const x = tf.variable(tf.tensor([2, -3]), true, name);
    const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
    const a = make();
    for (let i = 0; i < 3; i++) a.minimize(loss, false, [x]);
    const saved = await a.getWeights();
    const b = make();
    await b.setWeights(saved);
    const start = await x.data();
    for (let i = 0; i < 3; i++) a.minimize(loss, false, [x]);
    const uninterrupted = Array.from(await x.data());
    const restart = tf.tensor(start);
    x.assign(restart);
    restart.dispose();
    for (let i = 0; i < 3; i++) b.minimize(loss, false, [x]);
    expect(Array.from(await x.data())).toEqual(uninterrupted);
    a.dispose();
    b.dispose();
    x.dispose();
  });

  it('rejects out-of-range options before creating anything', () => {
    expectConstructionErrors(nadam, [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ beta1: 1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ beta2: 1.5 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ epsilon: -1 }, /\[BAD_HYPERPARAM\] epsilon/],
      [{ momentumDecay: -0.004 }, /\[BAD_HYPERPARAM\] momentumDecay/],
      [{ momentumDecay: Number.POSITIVE_INFINITY }, /\[NON_FINITE\] momentumDecay/],
      [{ weightDecay: -1 }, /\[BAD_HYPERPARAM\] weightDecay/],
      [
        { decoupledWeightDecay: 'yes' as unknown as boolean },
        /\[BAD_HYPERPARAM\] decoupledWeightDecay/,
      ],
      [{ momentum_decay: 0.1 } as unknown as Parameters<typeof nadam>[0], /\[UNKNOWN_PARAM\]/],
    ]);
  });
});
