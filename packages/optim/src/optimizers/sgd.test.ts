import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByMomentum } from '../transforms/scale-by-momentum';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
  testSchedule,
  descentErrorMessage as code,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { fromTransform } from './transform-optimizer';
import { SGD, sgd } from './sgd';

/** torch.optim.SGD, written from its documented algorithm, in float64. */
function sgdReference(o: {
  lr: number;
  momentum?: number | ((step: number) => number);
  dampening?: number;
  nesterov?: boolean;
  wd?: number;
}): ReferenceStep {
  const bufs: Float64Array[] = [];
  const mu = (step: number) =>
    typeof o.momentum === 'function' ? o.momentum(step) : (o.momentum ?? 0);
  const stateless = o.momentum === undefined || o.momentum === 0;
  return (values, grads, step) => {
    const m = mu(step);
    values.forEach((theta, k) => {
      const first = bufs[k] === undefined;
      const buf = bufs[k] ?? new Float64Array(theta.length);
      bufs[k] = buf;
      const g0 = grads[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        let g = (g0[i] as number) + (o.wd ?? 0) * (theta[i] as number);
        if (!stateless) {
          buf[i] = first ? g : m * (buf[i] as number) + (1 - (o.dampening ?? 0)) * g;
          g = o.nesterov ? g + m * (buf[i] as number) : (buf[i] as number);
        }
        theta[i] = (theta[i] as number) - o.lr * g;
      }
    });
  };
}

/** A schedule for tests (not registered: these optimizers are never serialized). */
forEachBackend('sgd', () => {
  it('follows the public vector (x₀ = [1, 2], lr 0.1, momentum 0.5)', async () => {
    const x = tf.variable(tf.tensor([1, 2]), true, `vector${uniqueSuffix()}`);
    const opt = sgd({ learningRate: 0.1, momentum: 0.5 });
    const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.minimize(loss, false, [x]);
    await expectClose(x, [0.8, 1.6], { rtol: 1e-6 });
    opt.minimize(loss, false, [x]);
    await expectClose(x, [0.54, 1.08], { rtol: 1e-6 });
    opt.dispose();
    x.dispose();
  });

  it('matches torch.optim.SGD in float64 over 8 steps (momentum 0.8, dampening 0.3, L2 0.05; rtol 1e-5)', async () => {
    const o = { lr: 0.07, momentum: 0.8, dampening: 0.3, wd: 0.05 };
    await expectMatchesReference(
      () =>
        sgd({
          learningRate: o.lr,
          momentum: o.momentum,
          dampening: o.dampening,
          weightDecay: o.wd,
        }),
      sgdReference(o),
      { steps: 8 },
    );
  });

  it('matches torch.optim.SGD with Nesterov momentum in float64 over 8 steps', async () => {
    const o = { lr: 0.04, momentum: 0.7, nesterov: true, wd: 0.02 };
    await expectMatchesReference(
      () => sgd({ learningRate: o.lr, momentum: o.momentum, nesterov: true, weightDecay: o.wd }),
      sgdReference(o),
      { steps: 8 },
    );
  });

  it('matches plain gradient descent (momentum 0) over 6 steps', async () => {
    const o = { lr: 0.3 };
    await expectMatchesReference(() => sgd({ learningRate: o.lr }), sgdReference(o));
  });

  it('follows a momentum schedule (the update count drives it)', async () => {
    const momentum = (step: number) => 0.5 + 0.05 * step;
    const o = { lr: 0.05, momentum, nesterov: true };
    await expectMatchesReference(
      () =>
        sgd({
          learningRate: o.lr,
          momentum: testSchedule(momentum, 'test.sgdSchedule'),
          nesterov: true,
        }),
      sgdReference(o),
      { steps: 7 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = { lr: 0.06, momentum: 0.6, dampening: 0.5, wd: 0.1 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            addL2Gradient(o.wd),
            scaleByMomentum({ momentum: o.momentum, dampening: o.dampening }),
            scaleByLearningRate(o.lr),
          ),
        ),
      sgdReference(o),
      { steps: 8 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    for (const options of [
      { momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
      { momentum: 0.9, dampening: 0.1 },
      {},
    ]) {
      await expectNoLeaksOverSteps(() => sgd({ learningRate: 0.01, ...options }), { steps: 100 });
    }
  });
});

it('sgd converges on the parabola and on Rosenbrock within 10 000 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(sgd({ learningRate: 0.1 }), 'parabola');
  await expectConverges(sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), 'parabola');
  await expectConverges(sgd({ learningRate: 1e-3, momentum: 0.9 }), 'rosenbrock');
  await expectConverges(sgd({ learningRate: 1e-3, momentum: 0.9, nesterov: true }), 'rosenbrock');
});

describe('sgd errors (cpu)', () => {
  it('rejects Nesterov without momentum or with dampening (torch rule)', async () => {
    await tf.setBackend('cpu');
    expect(code(() => sgd({ nesterov: true }))).toMatch(/^\[BAD_HYPERPARAM\] .*momentum/);
    expect(code(() => sgd({ momentum: 0.9, nesterov: true, dampening: 0.1 }))).toMatch(
      /^\[BAD_HYPERPARAM\] .*dampening/,
    );
    expect(
      code(() => sgd({ momentum: testSchedule(() => 0, 'test.sgdSchedule'), nesterov: true })),
    ).toMatch(/^\[BAD_HYPERPARAM\] .*momentum/);
  });

  it('rejects out-of-range and non-finite options, naming them, before creating anything', async () => {
    await tf.setBackend('cpu');
    expectConstructionErrors(sgd, [
      [{ learningRate: -1 }, /^\[BAD_HYPERPARAM\] learningRate/],
      [{ learningRate: Number.NaN }, /^\[NON_FINITE\] learningRate/],
      [{ momentum: -0.1 }, /^\[BAD_HYPERPARAM\] momentum/],
      [{ momentum: 1.5 }, /^\[BAD_HYPERPARAM\] momentum/],
      [{ momentum: Number.POSITIVE_INFINITY }, /^\[NON_FINITE\] momentum/],
      [{ momentum: 0.9, dampening: 2 }, /^\[BAD_HYPERPARAM\] dampening/],
      [{ weightDecay: -1e-4 }, /^\[BAD_HYPERPARAM\] weightDecay/],
      [
        { momentum: testSchedule(() => -1, 'test.sgdSchedule') },
        /^\[BAD_HYPERPARAM\] momentum \(schedule/,
      ],
      [{ nesterov: 'yes' as unknown as boolean, momentum: 0.9 }, /^\[BAD_HYPERPARAM\] nesterov/],
      [{ useNesterov: true } as never, /^\[UNKNOWN_PARAM\] .*"useNesterov"/],
    ]);
  });

  it('a momentum schedule that leaves its range throws at that step and changes nothing', async () => {
    await tf.setBackend('cpu');
    const x = tf.variable(tf.tensor([1, 2]), true, `err${uniqueSuffix()}`);
    const opt = sgd({
      learningRate: 0.1,
      momentum: testSchedule((step) => (step < 2 ? 0.5 : 0), 'test.sgdSchedule'),
      nesterov: true,
    });
    const loss = () => tf.sum(tf.square(x)) as tf.Scalar;
    opt.minimize(loss, false, [x]);
    opt.minimize(loss, false, [x]);
    const weights = await opt.getWeights();
    const saved = await Promise.all(weights.map(async (w) => Array.from(await w.tensor.data())));
    const numTensors = tf.memory().numTensors;
    const grads = { [x.name]: tf.tensor([1, 1]) };
    expect(() => opt.applyGradients(grads)).toThrow(
      /momentum \(schedule test.sgdSchedule at step 2\)/,
    );
    tf.dispose(Object.values(grads));
    expect(tf.memory().numTensors).toBe(numTensors);
    await expectClose(x, [0.44, 0.88], { rtol: 1e-6 }); // two Nesterov steps, the third not taken
    const after = await opt.getWeights();
    expect(await Promise.all(after.map(async (w) => Array.from(await w.tensor.data())))).toEqual(
      saved,
    );
    opt.dispose();
    x.dispose();
  });

  it('round-trips its config', async () => {
    await tf.setBackend('cpu');
    const opt = sgd({ learningRate: 0.2, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
    const config = opt.getConfig();
    expect(config).toEqual({ learningRate: 0.2, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
    const copy = SGD.fromConfig(SGD, config) as SGD;
    expect(copy).toBeInstanceOf(SGD);
    expect(copy.getConfig()).toEqual(config);
    opt.dispose();
    copy.dispose();
  });
});
