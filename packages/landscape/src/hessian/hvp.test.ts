import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams, mse, softmaxCrossEntropy } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { groupNorm, layerNorm } from '@descent/norm';
import { expect, it } from 'vitest';
import { hvp } from './hvp';
import { hvpFiniteDifference } from './hvp-finite-difference';

/** Deterministic pseudo-random values in [-scale, scale]. */
function values(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * scale);
}

function tensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
      scale,
    ),
    shape,
  );
}

type Act = (t: tf.Tensor) => tf.Tensor;

/** A 5-8-8-3 MLP with activation `act`, softmax cross-entropy on 6 examples. */
function mlpProblem(act: Act) {
  const params: Params = {
    w1: tensor([5, 8], 1, 0.6),
    b1: tensor([8], 2, 0.1),
    w2: tensor([8, 8], 3, 0.4),
    b2: tensor([8], 4, 0.1),
    w3: tensor([8, 3], 5, 0.5),
    b3: tensor([3], 6, 0.1),
  };
  const x = tensor([6, 5], 7);
  const y = tf.tensor1d([0, 2, 1, 1, 0, 2], 'int32');
  const loss = (p: Params) => {
    const h1 = act(tf.add(tf.matMul(x, p.w1 as tf.Tensor), p.b1 as tf.Tensor));
    const h2 = act(tf.add(tf.matMul(h1, p.w2 as tf.Tensor), p.b2 as tf.Tensor));
    return softmaxCrossEntropy(tf.add(tf.matMul(h2, p.w3 as tf.Tensor), p.b3 as tf.Tensor), y);
  };
  return { params, loss, dispose: () => tf.dispose([...Object.values(params), x, y]) };
}

function directionLike(params: Params, seed: number): Params {
  const v: Params = {};
  Object.entries(params).forEach(([k, t], i) => {
    v[k] = tensor(t.shape, seed + i);
  });
  return v;
}

async function flat(p: Params): Promise<Float32Array> {
  const parts = await Promise.all(
    Object.keys(p)
      .sort()
      .map((k) => (p[k] as tf.Tensor).data()),
  );
  const out = new Float32Array(parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part as Float32Array, at);
    at += part.length;
  }
  return out;
}

/** `‖a − b‖ / ‖b‖`. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

async function compareWithDifferences(
  loss: (p: Params) => tf.Tensor,
  params: Params,
  v: Params,
  // 3e-3: small enough that no pre-activation crosses elu's or relu's kink, large enough that
  // float32 rounding stays near 1e-4 of ‖Hv‖ (measured on these nets: 4e-5 to 1.3e-4)
  epsilon = 3e-3,
) {
  const exact = await expectNoLeaks(async () => {
    const hv = hvp(loss, params, v);
    const out = await flat(hv);
    disposeParams(hv);
    return out;
  });
  const approx = await hvpFiniteDifference(loss, params, v, { epsilon });
  const approxFlat = await flat(approx);
  disposeParams(approx);
  return relativeError(exact, approxFlat);
}

const softplus: Act = (t) => tf.softplus(t);
const ACTIVATIONS: [string, Act][] = [
  ['relu', (t) => tf.relu(t)],
  ['tanh', (t) => tf.tanh(t)],
  ['sigmoid', (t) => tf.sigmoid(t)],
  ['softplus', softplus],
  ['elu', (t) => tf.elu(t)],
];

forEachBackend('hvp', () => {
  for (const [name, act] of ACTIVATIONS) {
    it(`equals finite differences (relative 1e-3) for a ${name} MLP with softmax cross-entropy`, async () => {
      const { params, loss, dispose } = mlpProblem(act);
      const v = directionLike(params, 40);
      const error = await compareWithDifferences(loss, params, v);
      expect(error).toBeLessThan(1e-3);
      disposeParams(v);
      dispose();
    });
  }

  it('equals finite differences through layerNorm and groupNorm (fused path outside)', async () => {
    const params: Params = {
      w1: tensor([4, 8], 11, 0.7),
      g1: tf.add(1, tensor([8], 12, 0.2)),
      s1: tensor([8], 13, 0.1),
      g2: tf.add(1, tensor([8], 14, 0.2)),
      s2: tensor([8], 15, 0.1),
      w2: tensor([8, 2], 16, 0.5),
    };
    const x = tensor([6, 4], 17);
    const target = tensor([6, 2], 18);
    const loss = (p: Params) => {
      const h = layerNorm(tf.matMul(x, p.w1 as tf.Tensor), { gamma: p.g1, beta: p.s1 });
      const g = groupNorm(
        tf.reshape(tf.tanh(h), [6, 1, 1, 8]),
        { gamma: p.g2, beta: p.s2 },
        {
          groups: 2,
        },
      );
      return mse(tf.matMul(tf.reshape(g, [6, 8]), p.w2 as tf.Tensor), target);
    };
    const v = directionLike(params, 60);
    expect(await compareWithDifferences(loss, params, v)).toBeLessThan(1e-3);
    disposeParams(v);
    tf.dispose([...Object.values(params), x, target]);
  });

  it('gives the closed form 2XᵀXv/n for the mean squared error of a linear model', async () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const y = tf.tensor2d([1, 0, 2], [3, 1]);
    const w = tf.tensor2d([0.5, -0.3], [2, 1]);
    const v = tf.tensor2d([1, 2], [2, 1]);
    // XᵀX = [[35, 44], [44, 56]]; mse = ‖Xw − y‖²/n → H = 2XᵀX/3
    const hv = hvp((p) => mse(tf.matMul(x, p.w as tf.Tensor), y), { w }, { w: v });
    await expectClose(hv.w as tf.Tensor, [(2 * (35 + 88)) / 3, (2 * (44 + 112)) / 3], {
      rtol: 1e-6,
    });
    disposeParams(hv);
    tf.dispose([x, y, w, v]);
  });
});

forEachBackend('hvp with parameters the loss ignores', () => {
  it('gives zero rows for them, and H·v of the others', async () => {
    const a = tf.tensor1d([0.5, -1]);
    const unused = tf.tensor1d([3]);
    const linear = tf.tensor1d([2, 2]);
    const params: Params = { a, unused, linear };
    const v: Params = {
      a: tf.tensor1d([1, 2]),
      unused: tf.tensor1d([5]),
      linear: tf.tensor1d([1, 1]),
    };
    // L = Σ a³ + Σ linear: H = diag(6a) on a, 0 elsewhere
    const loss = (p: Params) =>
      tf.add(tf.sum(tf.pow(p.a as tf.Tensor, 3)), tf.sum(p.linear as tf.Tensor));
    const values = await expectNoLeaks(async () => {
      const hv = hvp(loss, params, v);
      const out = await Promise.all(
        ['a', 'unused', 'linear'].map((k) => (hv[k] as tf.Tensor).data()),
      );
      disposeParams(hv);
      return out.map((d) => Array.from(d));
    });
    expect(values).toEqual([[3, -12], [0], [0, 0]]);
    const failing = new Error('own');
    await expect(async () =>
      hvp(
        () => {
          throw failing;
        },
        params,
        v,
      ),
    ).rejects.toBe(failing);
    disposeParams(v);
    tf.dispose([a, unused, linear]);
  });
});
