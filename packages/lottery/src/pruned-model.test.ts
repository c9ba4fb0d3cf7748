import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams, softmaxCrossEntropy } from '@descent/core';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { expect, it } from 'vitest';
import { applyMasks } from './apply-masks';
import { magnitudeScores } from './magnitude-scores';
import type { Masks } from './masks';
import { prune } from './prune';
import { prunedModel } from './pruned-model';

async function setup() {
  const net = mlp({ sizes: [8, 16, 4], seed: 3 });
  const scores = magnitudeScores(net.params);
  const masks: Masks = await prune(scores, { info: net.info, rate: 0.5 });
  disposeParams(scores);
  const x = tf.tensor2d(
    Array.from({ length: 5 * 8 }, (_, i) => Math.sin(0.7 * i + 0.3)),
    [5, 8],
  );
  const y = tf.tensor1d([0, 1, 2, 3, 1], 'int32');
  const dispose = () => {
    disposeParams(net.params);
    disposeParams(masks);
    tf.dispose([x, y]);
  };
  return { net, masks, x, y, dispose };
}

forEachBackend('prunedModel', () => {
  it('shares params and info, and its forward pass equals f(θ ⊙ m, x) exactly', async () => {
    const { net, masks, x, dispose } = await setup();
    const sparse = await expectNoLeaks(() => prunedModel(net, masks));
    expect(sparse.params).toBe(net.params);
    expect(sparse.info).toBe(net.info);
    const masked = applyMasks(net.params, masks);
    const want = net.apply(masked, x);
    const wanted = Array.from(await want.data());
    await expectNoLeaks(async () => {
      const got = sparse.apply(net.params, x, { training: false });
      expect(Array.from(await got.data())).toEqual(wanted);
      got.dispose();
    });
    // The unmasked forward pass differs: the pruned weights do matter to f(θ, x).
    const dense = net.apply(net.params, x);
    expect(Array.from(await dense.data())).not.toEqual(Array.from(await want.data()));
    tf.dispose([want, dense]);
    disposeParams(masked);
    dispose();
  });

  it('gives exactly zero gradients to pruned weights (tf.variableGrads) and leaks nothing', async () => {
    const { net, masks, x, y, dispose } = await setup();
    const keys = Object.keys(net.params);
    const vars = keys.map((k) => tf.variable(net.params[k] as tf.Tensor, true));
    const asParams = (): Params =>
      Object.fromEntries(keys.map((k, i) => [k, vars[i] as tf.Tensor]));
    const sparse = prunedModel({ ...net, params: asParams() }, masks);
    await expectNoLeaks(async () => {
      const { value, grads } = tf.variableGrads(
        () => softmaxCrossEntropy(sparse.apply(asParams(), x, { training: true }), y) as tf.Scalar,
        vars,
      );
      for (const [i, key] of keys.entries()) {
        const gv = await (grads[(vars[i] as tf.Variable).name] as tf.Tensor).data();
        const mask = masks[key];
        if (mask === undefined) {
          expect(
            gv.some((v) => v !== 0),
            `${key} has a gradient`,
          ).toBe(true);
          continue;
        }
        const mv = await mask.data();
        let kept = 0;
        for (let j = 0; j < gv.length; j++) {
          if (mv[j] === 0) expect(gv[j] === 0, `${key}[${j}] is pruned: ${gv[j]}`).toBe(true);
          else if (gv[j] !== 0) kept++;
        }
        expect(kept, `${key} has nonzero gradients where kept`).toBeGreaterThan(0);
      }
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose(vars);
    dispose();
  });

  it('its apply refuses a mask disposed since', async () => {
    const { net, masks, x, dispose } = await setup();
    const sparse = prunedModel(net, masks);
    const key = Object.keys(masks)[0] as string;
    (masks[key] as tf.Tensor).dispose();
    await expectNoLeaks(() => {
      expectDescentError(
        () => sparse.apply(net.params, x),
        'DISPOSED',
        `prunedModel: masks[${JSON.stringify(key)}]`,
      );
    });
    dispose();
  });
});
