import * as tf from '@tensorflow/tfjs-core';
import { type Params, mse, softmaxCrossEntropy } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { expect, it } from 'vitest';
import { perExampleGrads } from './per-example-grads';
import { sample } from './test-support/brute-force';

/** `∂ℓ(f(xᵢ), yᵢ)/∂θ` by one `tf.grads` per example, read back. */
async function reference(
  f: (p: Params, x: tf.Tensor) => tf.Tensor,
  params: Params,
  x: tf.Tensor,
  loss: (out: tf.Tensor, i: number) => tf.Tensor,
): Promise<Record<string, number[]>> {
  const keys = Object.keys(params);
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  for (let i = 0; i < (x.shape[0] as number); i++) {
    const xi = tf.slice(x, [i, 0], [1, x.shape[1] as number]);
    const g = tf.grads((...values: tf.Tensor[]) => {
      const p: Params = {};
      keys.forEach((k, j) => {
        p[k] = values[j] as tf.Tensor;
      });
      return loss(f(p, xi), i);
    })(keys.map((k) => params[k] as tf.Tensor));
    for (const [j, k] of keys.entries()) out[k]?.push(...(await (g[j] as tf.Tensor).data()));
    tf.dispose([...g, xi]);
  }
  return out;
}

forEachBackend('perExampleGrads', () => {
  it('equals per-example tf.grads for no labels (sum of outputs), int32 labels and float32 targets', async () => {
    const net = mlp({ sizes: [3, 6, 3], activation: 'tanh', seed: 2 });
    const f = (p: Params, x: tf.Tensor) => net.apply(p, x);
    const x = tf.tensor2d(sample(12, 9), [4, 3]);
    const ids = tf.tensor1d([0, 2, 1, 2], 'int32');
    const targets = tf.tensor2d(sample(12, 10), [4, 3]);
    const cases = [
      { y: undefined, loss: (o: tf.Tensor) => tf.sum(o) },
      {
        y: ids,
        loss: (o: tf.Tensor, i: number) => softmaxCrossEntropy(o, tf.slice(ids, [i], [1])),
      },
      { y: targets, loss: (o: tf.Tensor, i: number) => mse(o, tf.slice(targets, [i, 0], [1, 3])) },
    ];
    for (const c of cases) {
      const ref = await reference(f, net.params, x, c.loss);
      await expectNoLeaks(async () => {
        const g = perExampleGrads(net, net.params, x, c.y);
        for (const key of Object.keys(net.params)) {
          expect(g[key]?.shape).toEqual([4, ...(net.params[key] as tf.Tensor).shape]);
          await expectClose(g[key] as tf.Tensor, ref[key] as number[], { rtol: 1e-5, atol: 1e-6 });
        }
        tf.dispose(Object.values(g));
      });
    }
    tf.dispose([x, ids, targets, ...Object.values(net.params)]);
  });

  it('takes a function and a custom loss', async () => {
    const w = tf.tensor2d(sample(6, 3), [3, 2]);
    const f = (p: Params, x: tf.Tensor) => tf.matMul(x, p.w as tf.Tensor);
    const x = tf.tensor2d([1, 2, 3, -1, 0, 2], [2, 3]);
    // ℓ = Σ_a f_a² / 2 ⇒ ∂ℓ/∂w = xᵢᵀ f(xᵢ).
    const g = perExampleGrads(f, { w }, x, null, {
      loss: (o) => tf.mul(tf.sum(tf.square(o)), 0.5),
    });
    const wv = Array.from(await w.data());
    const xv = [
      [1, 2, 3],
      [-1, 0, 2],
    ];
    const expected = xv.flatMap((xi) => {
      const fi = [0, 1].map((a) => xi.reduce((s, v, k) => s + v * (wv[k * 2 + a] as number), 0));
      return xi.flatMap((v) => fi.map((fa) => v * fa));
    });
    await expectClose(g.w as tf.Tensor, expected, { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([w, x, g.w as tf.Tensor]);
  });
});
