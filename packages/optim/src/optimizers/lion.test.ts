import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByLion } from '../transforms/scale-by-lion';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
  testSchedule,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { fromTransform } from './transform-optimizer';
import { Lion, lion } from './lion';

/** Lion (Chen et al., 2023, Algorithm 2; optax's `lion`), written from its equations, in float64. */
function lionReference(o: {
  lr: number;
  b1: number | ((step: number) => number);
  b2: number;
  wd?: number;
}): ReferenceStep {
  const moments: Float64Array[] = [];
  return (values, grads, step) => {
    const b1 = typeof o.b1 === 'function' ? o.b1(step) : o.b1;
    values.forEach((theta, k) => {
      const m = moments[k] ?? new Float64Array(theta.length);
      moments[k] = m;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const g = g0[i] as number;
        const u = Math.sign(b1 * (m[i] as number) + (1 - b1) * g);
        theta[i] = (theta[i] as number) - o.lr * (u + (o.wd ?? 0) * (theta[i] as number));
        m[i] = o.b2 * (m[i] as number) + (1 - o.b2) * g;
      }
    });
  };
}

forEachBackend('lion', () => {
  it('matches Lion in float64 over 8 steps (β₁ 0.8, β₂ 0.95, decoupled λ 0.3; rtol 1e-5)', async () => {
    const o = { lr: 0.03, b1: 0.8, b2: 0.95, wd: 0.3 };
    await expectMatchesReference(
      () => lion({ learningRate: o.lr, beta1: o.b1, beta2: o.b2, weightDecay: o.wd }),
      lionReference(o),
      { steps: 8 },
    );
  });

  it('follows a β₁ schedule', async () => {
    const b1 = (step: number) => 0.5 + 0.06 * step;
    const o = { lr: 0.01, b1, b2: 0.9 };
    await expectMatchesReference(
      () => lion({ learningRate: o.lr, beta1: testSchedule(b1, 'test.lionSchedule'), beta2: o.b2 }),
      lionReference(o),
      { steps: 7 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.02, b1: 0.7, b2: 0.98, wd: 0.1 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByLion({ beta1: o.b1, beta2: o.b2 }),
            addDecayedWeights(o.wd),
            scaleByLearningRate(o.lr),
          ),
        ),
      lionReference(o),
      { steps: 8 },
    );
  });

  it('takes full ±η steps for tiny gradients too (exact sign on every backend)', async () => {
    const x = tf.variable(tf.tensor([1, 1, 1]), true, `tiny${uniqueSuffix()}`);
    const opt = lion({ learningRate: 0.1 });
    const grads = { [x.name]: tf.tensor([1e-9, -1e-9, 0]) };
    opt.applyGradients(grads);
    await expectClose(x, [0.9, 1.1, 1], { rtol: 1e-6 });
    tf.dispose(Object.values(grads));
    opt.dispose();
    x.dispose();
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(() => lion({ learningRate: 1e-3, weightDecay: 0.1 }), {
      steps: 100,
    });
  });
});

it('lion converges on the parabola and on Rosenbrock within 10 000 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(lion({ learningRate: 1e-2 }), 'parabola');
  await expectConverges(lion({ learningRate: 1e-2, weightDecay: 1e-4 }), 'rosenbrock');
});

describe('lion errors (cpu)', () => {
  it('rejects out-of-range, non-finite and unknown options, naming them, before creating anything', async () => {
    await tf.setBackend('cpu');
    expectConstructionErrors(lion, [
      [{ learningRate: -1e-4 }, /^\[BAD_HYPERPARAM\] learningRate/],
      [{ beta1: 1 }, /^\[BAD_HYPERPARAM\] beta1/],
      [
        { beta1: testSchedule(() => 2, 'test.lionSchedule') },
        /^\[BAD_HYPERPARAM\] beta1 \(schedule/,
      ],
      [{ beta2: Number.NaN }, /^\[NON_FINITE\] beta2/],
      [{ weightDecay: -0.1 }, /^\[BAD_HYPERPARAM\] weightDecay/],
      [{ b1: 0.9 } as never, /^\[UNKNOWN_PARAM\] .*"b1"/],
    ]);
  });

  it('round-trips its config', async () => {
    await tf.setBackend('cpu');
    const opt = lion({ learningRate: 3e-5, beta1: 0.95, weightDecay: 0.1 });
    const copy = Lion.fromConfig(Lion, opt.getConfig()) as Lion;
    expect(copy.getConfig()).toEqual({ learningRate: 3e-5, beta1: 0.95, weightDecay: 0.1 });
    opt.dispose();
    copy.dispose();
  });
});
