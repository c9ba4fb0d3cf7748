import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByAdabound } from '../transforms/scale-by-adabound';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { adabound } from './adabound';

/**
 * AdaBound/AMSBound, written in float64 from the authors' reference implementation
 * (Luolc/AdaBound, adabound.py: `final_lr = final_lr · lr / base_lr`, bounds
 * `final_lr·(1 ∓ 1/(γt (+1)))`, clip of `lr·√(1−β₂ᵗ)/(1−β₁ᵗ) / (√v + ε)`, times `m`).
 */
function adaboundReference(o: {
  lr: number | ((step: number) => number);
  finalLr: number;
  gamma: number;
  b1: number;
  b2: number;
  eps: number;
  wd?: number;
  amsbound?: boolean;
  /** Counts elements clipped at the lower and the upper bound. */
  clipped?: { lower: number; upper: number };
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array; vmax: Float64Array }[] = [];
  const lrAt = (step: number) => (typeof o.lr === 'number' ? o.lr : o.lr(step));
  const baseLr = lrAt(0);
  return (values, grads, step) => {
    const t = step + 1;
    const lr = lrAt(step);
    const stepSize = (lr * Math.sqrt(1 - o.b2 ** t)) / (1 - o.b1 ** t);
    const finalLr = (o.finalLr * lr) / baseLr;
    const lower = finalLr * (1 - 1 / (o.gamma * t + 1));
    const upper = finalLr * (1 + 1 / (o.gamma * t));
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
        const denom = Math.sqrt((o.amsbound ? s.vmax[i] : s.v[i]) as number) + o.eps;
        const raw = stepSize / denom;
        if (o.clipped && raw < lower) o.clipped.lower += 1;
        if (o.clipped && raw > upper) o.clipped.upper += 1;
        const size = Math.min(Math.max(raw, lower), upper);
        theta[i] = (theta[i] as number) - size * (s.m[i] as number);
      }
    });
  };
}

forEachBackend('adabound', () => {
  it('matches the authors’ AdaBound in float64 over 8 steps, clipping at both bounds (L2; rtol 1e-5)', async () => {
    const clipped = { lower: 0, upper: 0 };
    const o = {
      lr: 0.03,
      finalLr: 0.1,
      gamma: 0.1,
      b1: 0.8,
      b2: 0.95,
      eps: 1e-6,
      wd: 0.1,
      clipped,
    };
    await expectMatchesReference(
      () =>
        adabound({
          learningRate: o.lr,
          finalLr: o.finalLr,
          gamma: o.gamma,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
        }),
      adaboundReference(o),
      { steps: 8 },
    );
    expect(clipped.lower).toBeGreaterThan(0);
    expect(clipped.upper).toBeGreaterThan(0);
  });

  it('matches AMSBound with a learning-rate schedule that also scales the final rate (η*·η_t/η_0)', async () => {
    const lr = (step: number) => 0.04 * 0.7 ** step;
    const clipped = { lower: 0, upper: 0 };
    const o = {
      lr,
      finalLr: 0.2,
      gamma: 0.2,
      b1: 0.7,
      b2: 0.9,
      eps: 1e-8,
      amsbound: true,
      clipped,
    };
    await expectMatchesReference(
      () =>
        adabound({
          learningRate: testSchedule(lr),
          finalLr: o.finalLr,
          gamma: o.gamma,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          amsbound: true,
        }),
      adaboundReference(o),
      { steps: 8 },
    );
    expect(clipped.lower + clipped.upper).toBeGreaterThan(0);
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.05, finalLr: 0.1, gamma: 0.05, b1: 0.7, b2: 0.99, eps: 1e-8, wd: 0.01 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByAdabound({
              learningRate: o.lr,
              finalLr: o.finalLr,
              gamma: o.gamma,
              beta1: o.b1,
              beta2: o.b2,
              epsilon: o.eps,
            }),
          ),
        ),
      adaboundReference(o),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(
      () => adabound({ learningRate: 0.01, amsbound: true, weightDecay: 0.01 }),
      { steps: 100 },
    );
  });
});

describe('adabound (cpu)', () => {
  it('converges on the parabola and on Rosenbrock within 10 000 steps', async () => {
    await tf.setBackend('cpu');
    await expectConverges(adabound({ learningRate: 0.1, finalLr: 0.1 }), 'parabola');
    await expectConverges(adabound({ learningRate: 0.02, finalLr: 0.002 }), 'rosenbrock');
  });

  it('with γ = 0 is Adam with ε on √v (no bounds)', async () => {
    const o = { lr: 0.03, finalLr: 0.1, gamma: 0, b1: 0.8, b2: 0.95, eps: 1e-6 };
    await tf.setBackend('cpu');
    await expectMatchesReference(
      () =>
        adabound({
          learningRate: o.lr,
          finalLr: o.finalLr,
          gamma: 0,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
        }),
      adaboundReference(o),
    );
  });

  it('rejects out-of-range options before creating anything', () => {
    expectConstructionErrors(adabound, [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ learningRate: 0 }, /\[BAD_HYPERPARAM\] learningRate must be > 0 at step 0/],
      [
        { learningRate: testSchedule((s) => s * 1e-3) },
        /\[BAD_HYPERPARAM\] learningRate must be > 0/,
      ],
      [{ finalLr: -0.1 }, /\[BAD_HYPERPARAM\] finalLr/],
      [{ gamma: 1 }, /\[BAD_HYPERPARAM\] gamma/],
      [{ gamma: -1e-3 }, /\[BAD_HYPERPARAM\] gamma/],
      [{ beta1: 1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ beta2: -1 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ epsilon: Number.NaN }, /\[NON_FINITE\] epsilon/],
      [{ weightDecay: -1 }, /\[BAD_HYPERPARAM\] weightDecay/],
      [{ amsbound: 'true' as unknown as boolean }, /\[BAD_HYPERPARAM\] amsbound/],
      [{ final_lr: 0.1 } as unknown as Parameters<typeof adabound>[0], /\[UNKNOWN_PARAM\]/],
    ]);
  });
});
