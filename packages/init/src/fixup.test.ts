import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type Model, Rng, disposeParams } from '@descent/core';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { fixup, fixupScale } from './fixup';
import { residualMlp } from './test-support/models';
import { moments } from './test-support/stats';

describe('fixupScale', () => {
  it('is L^(−1/(2m−2)) (Zhang, Dauphin & Ma 2019)', () => {
    expect(fixupScale({ branches: 16, layersPerBranch: 2 })).toBeCloseTo(0.25, 15);
    expect(fixupScale({ branches: 8, layersPerBranch: 3 })).toBeCloseTo(8 ** -0.25, 15); // 0.5946
    expect(fixupScale({ branches: 1, layersPerBranch: 2 })).toBe(1);
    // ResNet-110: 54 branches of 2 layers → 54^(−1/2) = 0.136083
    expect(fixupScale({ branches: 54, layersPerBranch: 2 })).toBeCloseTo(0.136083, 6);
  });

  it('rejects m < 2, L < 1 and non-integers', () => {
    expectDescentError(
      () => fixupScale({ branches: 4, layersPerBranch: 1 }),
      'BAD_HYPERPARAM',
      'layersPerBranch',
    );
    expectDescentError(
      () => fixupScale({ branches: 0, layersPerBranch: 2 }),
      'BAD_HYPERPARAM',
      'branches',
    );
    expectDescentError(
      () => fixupScale({ branches: 2.5, layersPerBranch: 2 }),
      'BAD_HYPERPARAM',
      'branches',
    );
    expectDescentError(
      () => fixupScale({ branches: 2, layersPerBranch: 2, m: 2 } as never),
      'UNKNOWN_PARAM',
      'm',
    );
  });
});

forEachBackend(
  'fixup',
  () => {
    it('zeros branch ends, classifier and biases; scales the other branch layers by L^(−1/(2m−2))', async () => {
      // 4 branches of m = 2: factor 4^(−1/2) = 0.5, so Var = 0.25·2/64 on the first branch layers.
      const { model, branches } = residualMlp(
        { input: 32, width: 64, output: 10, blocks: 4, m: 2 },
        (_, s) => tf.ones(s),
      );
      const before = tf.memory().numTensors;
      const params = fixup(model, { branches, seed: 3 });
      // Exactly one new tensor per parameter, nothing else left behind.
      expect(tf.memory().numTensors - before).toBe(Object.keys(model.params).length);
      expect(Object.keys(params)).toEqual(Object.keys(model.params));
      for (let b = 0; b < 4; b++) {
        await expectClose(params[`block${b}/dense2/kernel`]!, new Float32Array(64 * 64), {
          atol: 0,
        });
        await expectClose(params[`block${b}/multiplier`]!, [1], { atol: 0 });
        await expectClose(params[`block${b}/dense1/bias`]!, new Float32Array(64), { atol: 0 });
      }
      await expectClose(params['head/kernel']!, new Float32Array(640), { atol: 0 });
      // Pooled first branch layers: 4 × 4096 draws, standard error of the variance ≈ 1.1 %.
      const first = tf.concat(
        [0, 1, 2, 3].map((b) => tf.reshape(params[`block${b}/dense1/kernel`]!, [-1])),
      );
      const m = await moments(first);
      first.dispose();
      expect(Math.abs(m.variance / (0.25 * (2 / 64)) - 1)).toBeLessThan(0.05);
      const stem = await moments(params['stem/kernel']!); // He, unscaled: Var 2/32, 2048 draws
      expect(Math.abs(stem.variance / (2 / 32) - 1)).toBeLessThan(0.1);
      // The caller's params are untouched.
      await expectClose(model.params['head/kernel']!, new Float32Array(640).fill(1), { atol: 0 });
      disposeParams(params);
      disposeParams(model.params);
    });

    it('makes every residual block the identity and the output 0 at initialization', async () => {
      const { model, branches } = residualMlp(
        { input: 6, width: 12, output: 3, blocks: 3, m: 3 },
        (n, s) => tf.randomNormal(s, 0, 1, 'float32', n.length),
      );
      const params = fixup(model, { branches, seed: 1, classifier: 'head' });
      const x = new Rng(2).normal([5, 6]);
      const seen: Record<string, tf.Tensor> = {};
      const y = tf.tidy(() =>
        model.apply(params, x, {
          tap: (layer, z) => {
            if (layer.endsWith('/dense1')) seen[layer] = tf.keep(tf.clone(z));
            return z;
          },
        }),
      );
      await expectClose(y, new Float32Array(15), { atol: 0 });
      // Identity blocks: each block's first layer sees the same input h = relu(stem), so the
      // output of block b's first layer equals relu(stem)·W_b; compare with a direct product.
      const h = tf.tidy(() => tf.relu(tf.matMul(x, params['stem/kernel']!)));
      for (let b = 0; b < 3; b++) {
        const direct = tf.matMul(h, params[`block${b}/dense1/kernel`]!);
        await expectClose(seen[`block${b}/dense1`]!, direct, { rtol: 1e-5, atol: 1e-6 });
        direct.dispose();
      }
      tf.dispose([y, h, x, ...Object.values(seen)]);
      disposeParams(params);
      disposeParams(model.params);
    });

    it('classifier: null keeps the head He-initialized; default picks the last weight outside branches', async () => {
      const { model, branches } = residualMlp(
        { input: 4, width: 8, output: 2, blocks: 2, m: 2 },
        (_, s) => tf.ones(s),
      );
      const kept = fixup(model, { branches, seed: 0, classifier: null });
      const dflt = fixup(model, { branches, seed: 0 });
      const k = await moments(kept['head/kernel']!);
      expect(k.variance).toBeGreaterThan(0);
      await expectClose(dflt['head/kernel']!, new Float32Array(16), { atol: 0 });
      // Same seed and name → same stem in both.
      await expectClose(kept['stem/kernel']!, dflt['stem/kernel']!, { rtol: 0, atol: 0 });
      disposeParams(kept);
      disposeParams(dflt);
      disposeParams(model.params);
    });

    it('rejects malformed branches with DescentErrors and allocates nothing', () => {
      const { model, branches } = residualMlp(
        { input: 4, width: 8, output: 2, blocks: 2, m: 2 },
        (_, s) => tf.ones(s),
      );
      const before = tf.memory().numTensors;
      expectDescentError(() => fixup(model, { branches: [], seed: 0 }), 'BAD_ARGUMENT', 'branches');
      expectDescentError(
        () => fixup(model, { branches: [['block0/dense1']], seed: 0 }),
        'BAD_HYPERPARAM',
        'm ≥ 2',
      );
      expectDescentError(
        () => fixup(model, { branches: [['block0/dense1', 'nope']], seed: 0 }),
        'BAD_ARGUMENT',
        '"nope"',
      );
      expectDescentError(
        () => fixup(model, { branches: [...branches, branches[0]!], seed: 0 }),
        'BAD_ARGUMENT',
        'more than once',
      );
      expectDescentError(
        () => fixup(model, { branches, seed: 0, classifier: 'block0/dense2' }),
        'BAD_ARGUMENT',
        'inside a residual branch',
      );
      expectDescentError(
        () => fixup(model, { branches, seed: 0, classifier: 'x' }),
        'BAD_ARGUMENT',
        'classifier',
      );
      expectDescentError(() => fixup(model, { branches }), 'BAD_ARGUMENT', 'fixup.rng');
      expectDescentError(
        () => fixup(model, { branches, seed: 0, nonlinearity: 'gelu' as 'relu' }),
        'BAD_ARGUMENT',
        'gelu',
      );
      expectDescentError(
        () => fixup({ params: {}, info: {} } as unknown as Model, { branches, seed: 0 }),
        'BAD_ARGUMENT',
        'model',
      );
      expect(tf.memory().numTensors).toBe(before);
      disposeParams(model.params);
    });
  },
  { backends: ['cpu'] },
);

forEachBackend('fixup on every backend (small)', () => {
  it('residual MLP (2 blocks × 2 layers): zero ends and output, no leaks', async () => {
    const { model, branches } = residualMlp(
      { input: 4, width: 8, output: 2, blocks: 2, m: 2 },
      (_, s) => tf.ones(s),
    );
    const x = tf.ones([3, 4]);
    await expectNoLeaks(async () => {
      const params = fixup(model, { branches, rng: new Rng(5) });
      const y = model.apply(params, x);
      await expectClose(y, new Float32Array(6), { atol: 0 });
      await expectClose(params['block1/dense2/kernel']!, new Float32Array(64), { atol: 0 });
      y.dispose();
      disposeParams(params);
    });
    tf.dispose([x, ...Object.values(model.params)]);
  });
});
