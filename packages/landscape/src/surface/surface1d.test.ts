import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { lossValue } from '../loss/loss-fn';
import { randomDirection } from './random-direction';
import { surface1d } from './surface1d';
import { flatValues, halfSquaredDistance, tinyMlpProblem } from './test-support/tiny-problem';

forEachBackend('surface1d', () => {
  it('matches ½‖θ₀ + αd‖² at every point of an asymmetric range (rtol 1e-5)', async () => {
    const { params, info, dispose } = tinyMlpProblem();
    const d = await randomDirection(params, info, { ignore: 'none', rng: new Rng(3) });
    const theta = await flatValues(params);
    const dir = await flatValues(d);
    const { alphas, values } = await expectNoLeaks(() =>
      surface1d(halfSquaredDistance(), params, d, { range: [-0.5, 2], points: 11 }),
    );
    expect(alphas).toEqual(
      Array.from({ length: 11 }, (_, i) => (i === 10 ? 2 : -0.5 + (2.5 * i) / 10)),
    );
    const expected = alphas.map(
      (alpha) => 0.5 * theta.reduce((s, t, i) => s + (t + alpha * (dir[i] as number)) ** 2, 0),
    );
    await expectClose(values, expected, { rtol: 1e-5, atol: 0 });
    disposeParams(d);
    dispose();
  });

  it('has L(θ₀) exactly at the centre of a symmetric range', async () => {
    const { params, info, loss, dispose } = tinyMlpProblem();
    const d = await randomDirection(params, info, { rng: new Rng(8) });
    const { alphas, values } = await surface1d(loss, params, d, { range: [-0.3, 0.3], points: 21 });
    expect(Object.is(alphas[10], 0)).toBe(true);
    expect(values[10]).toBe(await lossValue('test', loss, params));
    expect(values[0]).not.toBe(values[10]);
    disposeParams(d);
    dispose();
  });

  it('evaluates each point from θ₀: equal to the loss of θ₀ + αd formed on its own', async () => {
    const { params, info, loss, dispose } = tinyMlpProblem(2);
    const d = await randomDirection(params, info, { rng: new Rng(1) });
    const { alphas, values } = await surface1d(loss, params, d, { points: 5 });
    for (const [i, alpha] of alphas.entries()) {
      const moved: Params = {};
      for (const k of Object.keys(params)) {
        moved[k] =
          alpha === 0
            ? (params[k] as tf.Tensor)
            : tf.add(params[k] as tf.Tensor, tf.mul(d[k] as tf.Tensor, alpha));
      }
      expect(values[i]).toBe(await lossValue('test', loss, moved));
      if (alpha !== 0) disposeParams(moved);
    }
    disposeParams(d);
    dispose();
  });

  it('reports progress after every batch of points, ending at (total, total)', async () => {
    const d = { w: tf.tensor1d([1, -2]) };
    const params = { w: tf.tensor1d([0.5, 0.25]) };
    const calls: [number, number][] = [];
    const { values } = await surface1d(halfSquaredDistance(), params, d, {
      points: 51,
      onPoint: (done, total) => calls.push([done, total]),
    });
    expect(values).toHaveLength(51);
    expect(calls).toEqual([
      [16, 51],
      [32, 51],
      [48, 51],
      [51, 51],
    ]);
    tf.dispose([d.w, params.w]);
  });
});
