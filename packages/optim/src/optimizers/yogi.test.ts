import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByYogi } from '../transforms/scale-by-yogi';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { yogi } from './yogi';

/** optax.yogi (scale_by_yogi, then −η), written from optax's equations, in float64. */
function yogiReference(o: {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  v0: number;
  /** Counts elements where v moved down (v > g²) and up (v < g²). */
  moves?: { down: number; up: number };
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        m: new Float64Array(theta.length).fill(o.v0),
        v: new Float64Array(theta.length).fill(o.v0),
      };
      state[k] = s;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = g0[i] as number;
        const g2 = g * g;
        const v = s.v[i] as number;
        if (o.moves && v > g2) o.moves.down += 1;
        if (o.moves && v < g2) o.moves.up += 1;
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * g;
        s.v[i] = v - (1 - o.b2) * Math.sign(v - g2) * g2;
        const mHat = (s.m[i] as number) / (1 - o.b1 ** t);
        const vHat = (s.v[i] as number) / (1 - o.b2 ** t);
        theta[i] = (theta[i] as number) - (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
      }
    });
  };
}

forEachBackend('yogi', () => {
  it('matches optax.yogi in float64 over 8 steps, v moving both ways (non-default hyperparameters; rtol 1e-5)', async () => {
    const moves = { down: 0, up: 0 };
    const o = { lr: 0.03, b1: 0.8, b2: 0.7, eps: 1e-2, v0: 0.3, moves };
    await expectMatchesReference(
      () =>
        yogi({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          initialAccumulatorValue: o.v0,
        }),
      yogiReference(o),
      { steps: 8 },
    );
    expect(moves.down).toBeGreaterThan(0);
    expect(moves.up).toBeGreaterThan(0);
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.05, b1: 0.7, b2: 0.9, eps: 1e-3, v0: 1e-6 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByYogi({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }),
            scaleByLearningRate(o.lr),
          ),
        ),
      yogiReference(o),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => yogi({ learningRate: 0.01 }), { steps: 100 });
  });
});

describe('yogi (cpu)', () => {
  it('converges on the parabola and on Rosenbrock within 10 000 steps', async () => {
    await tf.setBackend('cpu');
    await expectConverges(yogi({ learningRate: 0.1 }), 'parabola');
    await expectConverges(yogi({ learningRate: 0.05 }), 'rosenbrock');
  });

  it('rejects out-of-range options before creating anything', () => {
    expectConstructionErrors(yogi, [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ beta1: 1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ beta2: 1 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ epsilon: -1e-3 }, /\[BAD_HYPERPARAM\] epsilon/],
      [{ initialAccumulatorValue: -1 }, /\[BAD_HYPERPARAM\] initialAccumulatorValue/],
      [{ initialAccumulatorValue: Number.NaN }, /\[NON_FINITE\] initialAccumulatorValue/],
      [{ weightDecay: 0.1 } as unknown as Parameters<typeof yogi>[0], /\[UNKNOWN_PARAM\]/],
    ]);
  });
});
