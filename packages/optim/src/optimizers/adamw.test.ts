import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addDecayedWeights, weightDecayMask } from '../transforms/add-decayed-weights';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { fromTransform } from './transform-optimizer';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { saveAndLoadWithOptimizer } from '../test-support/layers-harness';
import { AdamW, adamw } from './adamw';
import { adam } from './adam';

/** torch.optim.AdamW, written from its documented algorithm, in float64. */
function adamwReference(o: {
  lr: number | ((step: number) => number);
  b1: number;
  b2: number;
  eps: number;
  wd: number;
  amsgrad?: boolean;
  /** Which parameter indices (0 kernel, 1 bias, 2 scale) are decayed; default all. */
  decayed?: (k: number) => boolean;
}): ReferenceStep {
  const state: { m: Float64Array; v: Float64Array; vmax: Float64Array }[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    const lr = typeof o.lr === 'number' ? o.lr : o.lr(step);
    values.forEach((theta, k) => {
      const s = state[k] ?? {
        m: new Float64Array(theta.length),
        v: new Float64Array(theta.length),
        vmax: new Float64Array(theta.length),
      };
      state[k] = s;
      const g0 = grads[k] as Float64Array;
      const decay = (o.decayed?.(k) ?? true) ? o.wd : 0;
      for (let i = 0; i < theta.length; i++) {
        const g = g0[i] as number;
        theta[i] = (theta[i] as number) * (1 - lr * decay);
        s.m[i] = o.b1 * (s.m[i] as number) + (1 - o.b1) * g;
        s.v[i] = o.b2 * (s.v[i] as number) + (1 - o.b2) * g * g;
        s.vmax[i] = Math.max(s.vmax[i] as number, s.v[i] as number);
        const vHat = (o.amsgrad ? (s.vmax[i] as number) : (s.v[i] as number)) / (1 - o.b2 ** t);
        theta[i] =
          (theta[i] as number) -
          (lr * ((s.m[i] as number) / (1 - o.b1 ** t))) / (Math.sqrt(vHat) + o.eps);
      }
    });
  };
}

/** A schedule for tests: a function of the step with a config. */
forEachBackend('adamw', () => {
  it('matches torch.optim.AdamW in float64 over 8 steps (non-default hyperparameters, AMSGrad; rtol 1e-5)', async () => {
    const o = { lr: 0.03, b1: 0.8, b2: 0.95, eps: 1e-6, wd: 0.5, amsgrad: true };
    await expectMatchesReference(
      () =>
        adamw({
          learningRate: o.lr,
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
          amsgrad: true,
        }),
      adamwReference(o),
      { steps: 8 },
    );
  });

  it('multiplies the decay by the scheduled learning rate and skips masked parameters', async () => {
    const lr = (step: number) => 0.05 * 0.8 ** step;
    const o = { lr, b1: 0.7, b2: 0.99, eps: 1e-8, wd: 0.3, decayed: (k: number) => k === 0 };
    await expectMatchesReference(
      () =>
        adamw({
          learningRate: testSchedule(lr),
          beta1: o.b1,
          beta2: o.b2,
          epsilon: o.eps,
          weightDecay: o.wd,
          weightDecayMask: weightDecayMask(), // rank > 1: only the [3, 5] kernel
        }),
      adamwReference(o),
      { steps: 6 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.05, b1: 0.7, b2: 0.99, eps: 1e-8, wd: 0.2, decayed: (k: number) => k !== 1 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByAdam({ beta1: o.b1, beta2: o.b2, epsilon: o.eps }),
            addDecayedWeights(o.wd, { mask: (name) => !name.endsWith('/bias') }),
            scaleByLearningRate(o.lr),
          ),
        ),
      adamwReference(o),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(
      () => adamw({ learningRate: 0.01, amsgrad: true, weightDecay: 0.1 }),
      { steps: 100 },
    );
  });
});

describe('adamw (cpu)', () => {
  it('converges on the parabola and on Rosenbrock within 10 000 steps', async () => {
    await tf.setBackend('cpu');
    // Decoupled decay moves the optimum towards 0; λ small enough to stay within 3e-2.
    await expectConverges(adamw({ learningRate: 0.1, weightDecay: 1e-4 }), 'parabola');
    await expectConverges(adamw({ learningRate: 0.05, weightDecay: 1e-4 }), 'rosenbrock');
  });

  it('with zero gradients shrinks decayed parameters by (1 − ηλ) per step and leaves masked ones', async () => {
    await tf.setBackend('cpu');
    const s = uniqueSuffix();
    const w = tf.variable(tf.tensor([[1, -2]]), true, `dense${s}/kernel`);
    const b = tf.variable(tf.tensor([3, 4]), true, `dense${s}/bias`);
    const opt = adamw({
      learningRate: 0.1,
      weightDecay: 0.5,
      weightDecayMask: { [b.name]: false },
    });
    for (let i = 0; i < 3; i++) {
      opt.applyGradients({ [w.name]: tf.zerosLike(w), [b.name]: tf.zerosLike(b) });
    }
    await expectClose(w, [0.95 ** 3, -2 * 0.95 ** 3], { rtol: 1e-6 });
    await expectClose(b, [3, 4], { rtol: 0, atol: 0 });
    opt.dispose();
    tf.dispose([w, b]);
  });

  it('differs from adam’s L2 weightDecay (which the adaptive denominator rescales)', async () => {
    await tf.setBackend('cpu');
    const run = async (opt: tf.Optimizer) => {
      const x = tf.variable(tf.tensor([1, 10]), true, `l2${uniqueSuffix()}`);
      for (let i = 0; i < 5; i++) opt.minimize(() => tf.sum(tf.square(x)) as tf.Scalar, false, [x]);
      const values = Array.from(await x.data());
      opt.dispose();
      x.dispose();
      return values;
    };
    const decoupled = await run(adamw({ learningRate: 0.1, weightDecay: 0.5 }));
    const l2 = await run(adam({ learningRate: 0.1, weightDecay: 0.5 }));
    expect(Math.abs((decoupled[1] as number) - (l2[1] as number))).toBeGreaterThan(0.1);
  });

  it('saves a weightDecayMask record through model.save / loadLayersModel (names with “_” intact)', async () => {
    await tf.setBackend('cpu');
    const mask = { 'dense_Dense1/kernel': true, 'dense_Dense1/bias': false, 'odd%5F_name': false };
    const opt = adamw({ learningRate: 0.01, weightDecay: 0.1, weightDecayMask: mask });
    const config = opt.getConfig();
    expect(Object.keys(config.weightDecayMask as object).every((key) => !key.includes('_'))).toBe(
      true,
    );
    const restored = AdamW.fromConfig(AdamW, JSON.parse(JSON.stringify(config))) as AdamW;
    expect(restored.options.weightDecayMask).toEqual(mask);
    restored.dispose();

    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 1, inputShape: [2], name: `d${uniqueSuffix()}` })],
    });
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const loaded = await saveAndLoadWithOptimizer(model);
    const loadedOptimizer = loaded.optimizer as AdamW;
    expect(loadedOptimizer.getClassName()).toBe('descent.AdamW');
    expect(loadedOptimizer.options.weightDecayMask).toEqual(mask);
    expect(loadedOptimizer.options.weightDecay).toBe(0.1);
    loadedOptimizer.dispose();
    loaded.dispose();
    model.dispose();
    opt.dispose();
  });

  it('refuses to serialize a weightDecayMask function', () => {
    const opt = adamw({ weightDecayMask: weightDecayMask() });
    expect(() => opt.getConfig()).toThrow(/\[BAD_ARGUMENT\] option weightDecayMask is a function/);
    opt.dispose();
  });

  it('rejects out-of-range and malformed options before creating anything', () => {
    expectConstructionErrors(adamw, [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ learningRate: Number.NaN }, /\[NON_FINITE\] learningRate/],
      [{ beta1: 1 }, /\[BAD_HYPERPARAM\] beta1/],
      [{ beta1: testSchedule(() => 1.5) }, /\[BAD_HYPERPARAM\] beta1 \(schedule test at step 0\)/],
      [{ beta2: -0.1 }, /\[BAD_HYPERPARAM\] beta2/],
      [{ epsilon: -1e-8 }, /\[BAD_HYPERPARAM\] epsilon/],
      [{ weightDecay: -0.01 }, /\[BAD_HYPERPARAM\] weightDecay/],
      [{ weightDecay: Number.POSITIVE_INFINITY }, /\[NON_FINITE\] weightDecay/],
      [{ amsgrad: 1 as unknown as boolean }, /\[BAD_HYPERPARAM\] amsgrad/],
      [{ weightDecayMask: { a: 1 } as unknown as Record<string, boolean> }, /\[BAD_ARGUMENT\]/],
      [{ weightDecayMask: [] as unknown as Record<string, boolean> }, /\[BAD_ARGUMENT\]/],
      [{ learning_rate: 0.1 } as unknown as Parameters<typeof adamw>[0], /\[UNKNOWN_PARAM\]/],
    ]);
  });

  it('throws when a mask predicate returns a non-boolean, leaving the variable untouched', async () => {
    await tf.setBackend('cpu');
    const x = tf.variable(tf.tensor([1, 2]), true, `mask${uniqueSuffix()}`);
    const opt = adamw({ weightDecayMask: (() => 'yes') as unknown as () => boolean });
    expect(() => opt.applyGradients({ [x.name]: tf.ones([2]) })).toThrow(
      /\[BAD_ARGUMENT\] the weight-decay mask returned string yes/,
    );
    await expectClose(x, [1, 2], { rtol: 0, atol: 0 });
    opt.dispose();
    x.dispose();
  });
});
