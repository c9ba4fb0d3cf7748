import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { clipByBlockRms } from '../transforms/clip-by-block-rms';
import { ema } from '../transforms/ema';
import { scale } from '../transforms/scale';
import { scaleByFactoredRms } from '../transforms/scale-by-factored-rms';
import { scaleByParamBlockRms } from '../transforms/scale-by-param-block-rms';
import {
  expectConverges,
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
  expectConstructionErrors,
} from '../test-support/optimizer-harness';
import { Adafactor, adafactor } from './adafactor';
import { fromTransform } from './transform-optimizer';

const rms = (a: ArrayLike<number>) =>
  Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0) / Math.max(a.length, 1));

/**
 * optax's adafactor in float64, for the harness's parameters: the [3, 5] kernel factored (rows =
 * axis 0, averaged over axis 1; columns averaged over axis 0) when minDimSizeToFactor ≤ 3, the
 * [5] bias and the scalar with a full second moment.
 */
function adafactorReference(o: {
  lr?: number;
  minDim: number;
  decayRate: number;
  clip?: number;
  paramScale: boolean;
  momentum?: number;
  wd?: number;
  eps: number;
}): ReferenceStep {
  const state: { row: Float64Array; col: Float64Array; v: Float64Array; m: Float64Array }[] = [];
  return (values, grads, step) => {
    const beta = 1 - (step + 1) ** -o.decayRate;
    values.forEach((theta, k) => {
      const g = grads[k] as Float64Array;
      const s = state[k] ?? {
        row: new Float64Array(3),
        col: new Float64Array(5),
        v: new Float64Array(theta.length),
        m: new Float64Array(theta.length),
      };
      state[k] = s;
      let u: Float64Array;
      if (k === 0 && o.minDim <= 3) {
        for (let i = 0; i < 3; i++) {
          let mean = 0;
          for (let j = 0; j < 5; j++) mean += ((g[i * 5 + j] as number) ** 2 + o.eps) / 5;
          s.row[i] = beta * (s.row[i] as number) + (1 - beta) * mean;
        }
        for (let j = 0; j < 5; j++) {
          let mean = 0;
          for (let i = 0; i < 3; i++) mean += ((g[i * 5 + j] as number) ** 2 + o.eps) / 3;
          s.col[j] = beta * (s.col[j] as number) + (1 - beta) * mean;
        }
        const rowMean = s.row.reduce((a, b) => a + b, 0) / 3;
        u = g.map((x, f) => {
          const i = Math.floor(f / 5);
          const j = f % 5;
          return x / Math.sqrt((s.row[i] as number) / rowMean) / Math.sqrt(s.col[j] as number);
        });
      } else {
        u = g.map((x, i) => {
          s.v[i] = beta * (s.v[i] as number) + (1 - beta) * (x * x + o.eps);
          return x / Math.sqrt(s.v[i] as number);
        });
      }
      if (o.clip !== undefined) {
        const denominator = Math.max(1, rms(u) / o.clip);
        u = u.map((x) => x / denominator);
      }
      if (o.lr !== undefined) u = u.map((x) => x * (o.lr as number));
      if (o.paramScale) {
        const p = Math.max(rms(theta), 1e-3);
        u = u.map((x) => x * p);
      }
      if (o.momentum !== undefined) {
        const b1 = o.momentum;
        u = u.map((x, i) => {
          s.m[i] = b1 * (s.m[i] as number) + (1 - b1) * x;
          return s.m[i] as number;
        });
      }
      for (let i = 0; i < theta.length; i++) {
        theta[i] = (theta[i] as number) - ((u[i] as number) + (o.wd ?? 0) * (theta[i] as number));
      }
    });
  };
}

forEachBackend('adafactor', () => {
  it('matches optax.adafactor in float64 over 8 steps (non-default: lr 0.05, factored at 3, decayRate 0.7, clip 0.8, momentum 0.6, weight decay 0.01, ε 1e-20; rtol 1e-5)', async () => {
    const o = {
      lr: 0.05,
      minDim: 3,
      decayRate: 0.7,
      clip: 0.8,
      paramScale: true,
      momentum: 0.6,
      wd: 0.01,
      eps: 1e-20,
    };
    await expectMatchesReference(
      () =>
        adafactor({
          learningRate: o.lr,
          minDimSizeToFactor: o.minDim,
          decayRate: o.decayRate,
          clippingThreshold: o.clip,
          momentum: o.momentum,
          weightDecayRate: o.wd,
          eps: o.eps,
        }),
      adafactorReference(o),
      { steps: 8 },
    );
  });

  it('with defaults (no learning rate, unfactored at 128) and without clipping or parameter scale', async () => {
    await expectMatchesReference(
      () => adafactor(),
      adafactorReference({ minDim: 128, decayRate: 0.8, clip: 1, paramScale: true, eps: 1e-30 }),
      { steps: 6 },
    );
    await expectMatchesReference(
      () =>
        adafactor({
          learningRate: 0.1,
          minDimSizeToFactor: 2,
          clippingThreshold: null,
          multiplyByParameterScale: false,
        }),
      adafactorReference({ lr: 0.1, minDim: 2, decayRate: 0.8, paramScale: false, eps: 1e-30 }),
      { steps: 6 },
    );
  });

  it('follows the same trajectory as its chain(...) spelling', async () => {
    const o = {
      lr: 0.02,
      minDim: 3,
      decayRate: 0.8,
      clip: 1,
      paramScale: true,
      momentum: 0.9,
      wd: 0.05,
      eps: 1e-30,
    };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByFactoredRms({ minDimSizeToFactor: 3 }),
            clipByBlockRms(1),
            scale(o.lr),
            scaleByParamBlockRms(),
            ema(o.momentum, { debias: false }),
            addDecayedWeights(o.wd),
            scale(-1),
          ),
        ),
      adafactorReference(o),
      { steps: 6 },
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    await expectNoLeaksOverSteps(
      () =>
        adafactor({
          learningRate: 0.01,
          minDimSizeToFactor: 2,
          momentum: 0.9,
          weightDecayRate: 1e-3,
        }),
      {
        steps: 100,
        initial: [
          [2, 4],
          [1, 3],
        ],
        name: 'adafactor_leak',
      },
    );
  });
});

it('adafactor converges on the parabola and on Rosenbrock within 10 000 steps (cpu; lr 5e-3 as optax’s test)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(adafactor({ learningRate: 5e-3 }), 'parabola');
  await expectConverges(adafactor({ learningRate: 5e-3 }), 'rosenbrock');
});

it('adafactor rejects bad options before creating anything, and round-trips its config', () => {
  expectConstructionErrors(
    (options: unknown) => adafactor(options as never),
    [
      [{ learningRate: -1 }, /\[BAD_HYPERPARAM\] learningRate/],
      [{ minDimSizeToFactor: 0 }, /\[BAD_HYPERPARAM\] minDimSizeToFactor/],
      [{ decayRate: -0.8 }, /\[BAD_HYPERPARAM\] decayRate/],
      [{ decayOffset: -1 }, /\[BAD_HYPERPARAM\] decayOffset/],
      [{ clippingThreshold: 0 }, /\[BAD_HYPERPARAM\] clippingThreshold/],
      [{ momentum: 1 }, /\[BAD_HYPERPARAM\] momentum/],
      [{ weightDecayRate: -1 }, /\[BAD_HYPERPARAM\] weightDecayRate/],
      [{ eps: Number.NaN }, /\[NON_FINITE\] eps/],
      [{ factored: 1 }, /\[BAD_HYPERPARAM\] factored/],
      [{ multiplyByParameterScale: 'no' }, /\[BAD_HYPERPARAM\] multiplyByParameterScale/],
      [{ relativeStep: true }, /\[UNKNOWN_PARAM\]/],
    ],
  );

  const opt = adafactor({ learningRate: 1e-2, clippingThreshold: null, momentum: 0.9 });
  expect(opt.getClassName()).toBe('descent.Adafactor');
  const again = Adafactor.fromConfig(Adafactor, JSON.parse(JSON.stringify(opt.getConfig())));
  expect(again.getConfig()).toEqual(opt.getConfig());
  expect((again as Adafactor).options.clippingThreshold).toBeNull();
});
