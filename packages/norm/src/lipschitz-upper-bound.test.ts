import * as tf from '@tensorflow/tfjs-core';
import { type Model, Rng, inferParamInfo } from '@descent/core';
import { expect, it } from 'vitest';
import { expectDescentErrorAsync, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { lipschitzUpperBound } from './lipschitz-upper-bound';
import { disposeState } from './norm-state';
import { spectralNorm, spectralNormState } from './spectral-norm';
import { largestSingularValue } from './spectral-norm-value';
import { mlp } from './test-support/mlp';

forEachBackend('lipschitzUpperBound', () => {
  it('is the product of the dense kernels’ σ_max, in forward order, and bounds the empirical constant', async () => {
    const model = mlp([6, 8, 5, 2], 1);
    const expected: number[] = [];
    for (const key of ['dense1/kernel', 'dense2/kernel', 'dense3/kernel']) {
      const w = model.params[key] as tf.Tensor;
      expected.push(
        largestSingularValue(
          await w.data(),
          w.shape[0] as number,
          w.shape[1] as number,
          'exact',
          1,
          0,
        ),
      );
    }
    const result = await expectNoLeaks(() => lipschitzUpperBound(model));
    expect(result.factors.map((f) => f.key)).toEqual([
      'dense1/kernel',
      'dense2/kernel',
      'dense3/kernel',
    ]);
    expect(result.factors.map((f) => f.layer)).toEqual(['dense1', 'dense2', 'dense3']);
    result.factors.forEach((f, i) => {
      expect(f.sigma).toBeCloseTo(expected[i] as number, 5);
      expect(f.factor).toBe(f.sigma);
    });
    expect(result.bound).toBeCloseTo(
      expected.reduce((a, b) => a * b, 1),
      4,
    );
    // ‖f(x) − f(y)‖ ≤ L‖x − y‖ on random pairs (nearby and far apart).
    const rng = new Rng(5);
    const x = rng.normal([64, 6]);
    const y = tf.add(x, rng.normal([64, 6], 0, 0.1));
    const z = rng.normal([64, 6], 0, 3);
    let worst = 0;
    for (const other of [y, z]) {
      const ratio = tf.tidy(() => {
        const dy = tf.sub(model.apply(model.params, x), model.apply(model.params, other));
        return tf.div(tf.norm(dy, 'euclidean', 1), tf.norm(tf.sub(x, other), 'euclidean', 1));
      });
      worst = Math.max(worst, ...Array.from(await ratio.data()));
      ratio.dispose();
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(result.bound);
    tf.dispose([x, y, z]);
    tf.dispose(Object.values(model.params));
  });

  it('conv2d: the reshaped-matrix norm is not a bound, √(kh·kw)·σ is', async () => {
    // An all-ones 3×3 kernel, 1 channel: σ(reshape) = 3, but on a constant image the conv
    // multiplies the interior by 9.
    const kernel = tf.ones([3, 3, 1, 1]);
    const model: Model = {
      params: { 'conv/kernel': kernel },
      info: { 'conv/kernel': inferParamInfo('conv/kernel', [3, 3, 1, 1]) },
      apply: (p, x) => tf.conv2d(x as tf.Tensor4D, p['conv/kernel'] as tf.Tensor4D, 1, 'same'),
    };
    const { bound, factors } = await lipschitzUpperBound(model);
    expect(factors[0]?.sigma).toBeCloseTo(3, 6);
    expect(bound).toBeCloseTo(9, 5);
    const x = tf.ones([1, 16, 16, 1]);
    const y = model.apply(model.params, x);
    const gain = (await tf.norm(y).data())[0]! / (await tf.norm(x).data())[0]!;
    expect(gain).toBeGreaterThan(3 * 2.5); // 9·(14/16)+edge terms ≈ 8.0
    expect(gain).toBeLessThanOrEqual(bound);
    tf.dispose([kernel, x, y]);
  });

  it('a spectrally normalized MLP has every factor ≈ 1', async () => {
    const model = mlp([6, 8, 5], 2);
    const normalized: Model = { ...model, params: { ...model.params } };
    for (const key of ['dense1/kernel', 'dense2/kernel']) {
      const w = model.params[key] as tf.Tensor;
      let state = spectralNormState(w.shape, new Rng(key));
      for (let i = 0; i < 5; i++) {
        const out = spectralNorm(w, state, { training: true, iterations: 20 });
        disposeState(state);
        state = out.state;
        if (i < 4) out.w.dispose();
        else normalized.params[key] = out.w;
      }
      disposeState(state);
    }
    const { bound, factors } = await lipschitzUpperBound(normalized);
    for (const f of factors) expect(f.factor).toBeCloseTo(1, 4);
    expect(bound).toBeCloseTo(1, 4);
    tf.dispose([
      ...Object.values(model.params),
      normalized.params['dense1/kernel'] as tf.Tensor,
      normalized.params['dense2/kernel'] as tf.Tensor,
    ]);
  });
});

it('lipschitzUpperBound rejects vector weights and non-models', async () => {
  const w = tf.ones([3]);
  const model: Model = {
    params: { 'scale/w': w },
    info: { 'scale/w': { role: 'weight', layer: 'scale', layout: 'vector', fanIn: 3, fanOut: 3 } },
    apply: (p, x) => tf.mul(x, p['scale/w'] as tf.Tensor),
  };
  await expectDescentErrorAsync(
    () => lipschitzUpperBound(model),
    'BAD_ARGUMENT',
    'scale/w',
    'vector',
  );
  await expectDescentErrorAsync(() => lipschitzUpperBound({} as never), 'BAD_ARGUMENT', 'Model');
  w.dispose();
});
