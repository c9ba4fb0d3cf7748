import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams, softmaxCrossEntropy } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { it } from 'vitest';
import type { Activation } from './activation';
import { mlp } from './mlp';

/**
 * Hessian-vector products of a cross-entropy loss through every activation: `grad` of `grad·v`
 * (double backprop) against central differences of the gradient, `(g(θ + εv) − g(θ − εv))/2ε`
 * with ε = 1e-3 in float32 (small enough that no ReLU kink is crossed for this seed).
 */
forEachBackend('Hessian-vector products through nets', () => {
  for (const activation of [
    'tanh',
    'sigmoid',
    'elu',
    'leakyRelu',
    'softplus',
    'erf',
    'relu',
  ] as const) {
    it(`mlp [3, 5, 4] with ${activation}: HVP by double backprop = differences of the gradient`, async () => {
      const net = mlp({ sizes: [3, 5, 4], activation: activation as Activation, seed: 1 });
      const rng = new Rng(2);
      const keys = Object.keys(net.params);
      // Non-zero biases so that kinks of relu/leakyRelu are not hit at zero.
      const theta = keys.map((k) => rng.normal((net.params[k] as tf.Tensor).shape, 0, 0.7));
      const v = keys.map((k) => rng.normal((net.params[k] as tf.Tensor).shape));
      const x = rng.normal([6, 3]);
      const y = tf.tensor1d([0, 1, 2, 3, 1, 0], 'int32');
      const asParams = (ws: tf.Tensor[]): Params =>
        Object.fromEntries(keys.map((k, i) => [k, ws[i] as tf.Tensor]));
      const loss = (...ws: tf.Tensor[]) =>
        softmaxCrossEntropy(net.apply(asParams(ws), x), y) as tf.Scalar;
      const gradDotV = (...ws: tf.Tensor[]) =>
        tf.addN(
          tf
            .grads(loss)(ws)
            .map((g, i) => tf.sum(tf.mul(g, v[i] as tf.Tensor))),
        ) as tf.Scalar;
      await expectNoLeaks(async () => {
        const hv = tf.grads(gradDotV)(theta);
        const eps = 1e-3;
        const at = (sign: number) =>
          tf.tidy(() =>
            tf.grads(loss)(theta.map((t, i) => tf.add(t, tf.mul(v[i] as tf.Tensor, sign * eps)))),
          );
        const up = at(1);
        const down = at(-1);
        const fd = tf.tidy(() =>
          up.map((u, i) => tf.div(tf.sub(u, down[i] as tf.Tensor), 2 * eps)),
        );
        const fdFlat = tf.tidy(() => tf.concat(fd.map((t) => tf.reshape(t, [-1]))));
        const hvFlat = tf.tidy(() => tf.concat(hv.map((t) => tf.reshape(t, [-1]))));
        const scale = Math.max(...Array.from(await fdFlat.data(), Math.abs));
        await expectClose(hvFlat, fdFlat, { rtol: 1e-2, atol: 2e-3 * scale });
        tf.dispose([...hv, ...up, ...down, ...fd, fdFlat, hvFlat]);
      });
      tf.dispose([...theta, ...v, x, y]);
      disposeParams(net.params);
    });
  }
});
