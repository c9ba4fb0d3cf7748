import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { fromTransform } from '../optimizers/transform-optimizer';
import { expectMatchesReference, type ReferenceStep } from '../test-support/optimizer-harness';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByTrustRatio } from './scale-by-trust-ratio';

const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

/** optax's scale_by_trust_ratio followed by −η, in float64. */
function trustRatioReference(o: {
  lr: number;
  minNorm: number;
  c: number;
  eps: number;
  scaled?: (k: number) => boolean;
}): ReferenceStep {
  return (values, grads) => {
    values.forEach((theta, k) => {
      const g = grads[k] as Float64Array;
      const pn = Math.max(norm(theta), o.minNorm);
      const un = Math.max(norm(g), o.minNorm);
      const ratio =
        (o.scaled?.(k) ?? true) ? (pn === 0 || un === 0 ? 1 : (o.c * pn) / (un + o.eps)) : 1;
      for (let i = 0; i < theta.length; i++) {
        theta[i] = (theta[i] as number) - o.lr * ratio * (g[i] as number);
      }
    });
  };
}

forEachBackend('scaleByTrustRatio', () => {
  it('matches optax in float64 over 6 steps (minNorm, trustCoefficient, eps; rtol 1e-5)', async () => {
    const o = { lr: 0.1, minNorm: 2, c: 0.3, eps: 0.05 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByTrustRatio({ minNorm: o.minNorm, trustCoefficient: o.c, eps: o.eps }),
            scaleByLearningRate(o.lr),
          ),
        ),
      trustRatioReference(o),
    );
  });

  it('skips masked parameters', async () => {
    const o = { lr: 0.05, minNorm: 0, c: 1, eps: 0, scaled: (k: number) => k !== 1 };
    await expectMatchesReference(
      () =>
        fromTransform(
          chain(
            scaleByTrustRatio({ mask: (name) => !name.endsWith('/bias') }),
            scaleByLearningRate(o.lr),
          ),
        ),
      trustRatioReference(o),
    );
  });

  it('uses ratio 1 for a zero parameter or a zero update (no NaN), and leaks nothing', async () => {
    const params = { zero: tf.zeros([3]), p: tf.tensor([3, 4]) };
    const updates = { zero: tf.tensor([1, -2, 2]), p: tf.zeros([2]) };
    const t = scaleByTrustRatio({ trustCoefficient: 0.5 });
    await expectNoLeaks(async () => {
      const state = t.init(params);
      const result = runUpdate(t, updates, state, params);
      await expectClose(result.updates.zero as tf.Tensor, [1, -2, 2], { rtol: 0, atol: 0 });
      await expectClose(result.updates.p as tf.Tensor, [0, 0], { rtol: 0, atol: 0 });
      tf.dispose(Object.values(result.updates));
    });
    // ‖θ‖ = 5, ‖u‖ = 3: u ← 0.5·5/3·u.
    const r = runUpdate(t, { zero: tf.tensor([0, 3, 0]) }, t.init({}), {
      zero: tf.tensor([3, 0, 4]),
    });
    await expectClose(r.updates.zero as tf.Tensor, [0, 2.5, 0], { rtol: 1e-6 });
    tf.dispose([...Object.values(params), ...Object.values(updates), ...Object.values(r.updates)]);
  });
});

it('scaleByTrustRatio rejects bad options and a missing parameter', () => {
  expect(() => scaleByTrustRatio({ minNorm: -1 })).toThrow(/\[BAD_HYPERPARAM\] minNorm/);
  expect(() => scaleByTrustRatio({ trustCoefficient: 0 })).toThrow(
    /\[BAD_HYPERPARAM\] trustCoefficient/,
  );
  expect(() => scaleByTrustRatio({ eps: Number.NaN })).toThrow(/\[NON_FINITE\] eps/);
  expect(() => scaleByTrustRatio({ mask: [] as never })).toThrow(/\[BAD_ARGUMENT\] mask/);
  const t = scaleByTrustRatio();
  const g = tf.ones([2]);
  expect(() => tf.tidy(() => t.update({ w: g }, t.init({})).updates.w as tf.Tensor)).toThrow(
    /\[BAD_ARGUMENT\] scaleByTrustRatio needs params/,
  );
  g.dispose();
});
