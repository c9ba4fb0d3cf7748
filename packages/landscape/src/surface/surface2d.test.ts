import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { lossValue } from '../loss/loss-fn';
import { randomDirection } from './random-direction';
import { surface2d } from './surface2d';
import { flatValues, halfSquaredDistance, tinyMlpProblem } from './test-support/tiny-problem';

/** `f(u, v) = u² + 3v + u·v²` of θ = { w: [u, v] }: no symmetry that would hide a transposition. */
function asymmetric(p: Params): tf.Tensor {
  const [u, v] = tf.unstack(p.w as tf.Tensor);
  return tf.add(
    tf.add(tf.square(u as tf.Tensor), tf.mul(3, v as tf.Tensor)),
    tf.mul(u as tf.Tensor, tf.square(v as tf.Tensor)),
  );
}

forEachBackend('surface2d', () => {
  it('indexes values[i][j] by alphas[i] (d1) and betas[j] (d2)', async () => {
    const params = { w: tf.tensor1d([0.3, -0.2]) };
    const d1 = { w: tf.tensor1d([1, 0.5]) };
    const d2 = { w: tf.tensor1d([-0.25, 1]) };
    const { alphas, betas, values } = await expectNoLeaks(() =>
      surface2d(asymmetric, params, d1, d2, {
        range: { alpha: [-1, 1], beta: [-0.5, 1.5] },
        points: [5, 7],
      }),
    );
    expect(alphas).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(betas).toHaveLength(7);
    expect(values).toHaveLength(5);
    const expected = alphas.flatMap((a) =>
      betas.map((b) => {
        const u = 0.3 + a - 0.25 * b;
        const v = -0.2 + 0.5 * a + b;
        return u * u + 3 * v + u * v * v;
      }),
    );
    expect(values.every((row) => row.length === 7)).toBe(true);
    await expectClose(values.flat(), expected, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([params.w, d1.w, d2.w]);
  });

  it('matches ½‖θ₀ + αd₁ + βd₂‖² on filter-normalized directions (rtol 1e-5)', async () => {
    const { params, info, dispose } = tinyMlpProblem(3);
    const rng = new Rng(5);
    const d1 = await randomDirection(params, info, { ignore: 'none', rng });
    const d2 = await randomDirection(params, info, { ignore: 'none', rng });
    const [theta, x, y] = await Promise.all([params, d1, d2].map(flatValues));
    const { alphas, betas, values } = await surface2d(halfSquaredDistance(), params, d1, d2, {
      range: [-2, 2],
      points: 5,
    });
    const expected = alphas.flatMap((a) =>
      betas.map(
        (b) =>
          0.5 *
          (theta as number[]).reduce(
            (s, t, i) => s + (t + a * (x?.[i] as number) + b * (y?.[i] as number)) ** 2,
            0,
          ),
      ),
    );
    await expectClose(values.flat(), expected, { rtol: 1e-5, atol: 0 });
    disposeParams(d1);
    disposeParams(d2);
    dispose();
  });

  it('has L(θ₀) exactly at the centre of the grid', async () => {
    const { params, info, loss, dispose } = tinyMlpProblem();
    const rng = new Rng(6);
    const d1 = await randomDirection(params, info, { rng });
    const d2 = await randomDirection(params, info, { rng });
    const calls: number[] = [];
    const { alphas, betas, values } = await expectNoLeaks(() =>
      surface2d(loss, params, d1, d2, { points: 7, onPoint: (done) => calls.push(done) }),
    );
    expect([alphas[3], betas[3]]).toEqual([0, 0]);
    expect(values[3]?.[3]).toBe(await lossValue('test', loss, params));
    expect(calls).toEqual([16, 32, 48, 49]);
    disposeParams(d1);
    disposeParams(d2);
    dispose();
  });
});
