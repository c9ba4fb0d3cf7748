import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { sampleGradient, sampleParams, uniqueSuffix } from '../test-support/optimizer-harness';
import { adadelta } from './adadelta';
import { adagrad } from './adagrad';
import { lion } from './lion';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';

/** Each SGD-family optimizer with every optional state slot switched on. */
const OPTIMIZERS: Record<string, () => tf.Optimizer> = {
  sgd: () => sgd({ learningRate: 0.05, momentum: 0.8, dampening: 0.2, weightDecay: 0.01 }),
  sgdNesterov: () => sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true }),
  adagrad: () => adagrad({ learningRate: 0.05, lrDecay: 0.1, initialAccumulatorValue: 0.1 }),
  rmsprop: () => rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 }),
  adadelta: () => adadelta({ learningRate: 0.5, weightDecay: 0.01 }),
  lion: () => lion({ learningRate: 0.01, weightDecay: 0.1 }),
};

/** Applies the sample gradients of steps `from` … `to − 1`. */
function run(
  opt: tf.Optimizer,
  params: ReturnType<typeof sampleParams>,
  from: number,
  to: number,
): void {
  for (let step = from; step < to; step++) {
    const grads: tf.NamedTensorMap = {};
    params.forEach((p, index) => {
      grads[p.name] = tf.tensor(Float32Array.from(sampleGradient(p, index, step)), p.shape);
    });
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
}

forEachBackend(
  'sgd family resume',
  () => {
    for (const [name, make] of Object.entries(OPTIMIZERS)) {
      it(`${name}: getWeights() → setWeights() on a fresh optimizer continues the same trajectory`, async () => {
        const params = sampleParams(`resume_${name}${uniqueSuffix()}`);
        const variables = params.map((p) =>
          tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, p.name),
        );
        await expectNoLeaks(async () => {
          // Uninterrupted: 6 steps.
          const a = make();
          run(a, params, 0, 6);
          const expected = await Promise.all(
            variables.map(async (v) => Array.from(await v.data())),
          );
          a.dispose();
          // Reset, 3 steps, save, restore into a fresh optimizer, 3 more steps.
          variables.forEach((v, k) => {
            const p = params[k] as (typeof params)[number];
            const init = tf.tensor(Float32Array.from(p.values), p.shape);
            v.assign(init);
            init.dispose();
          });
          const b = make();
          run(b, params, 0, 3);
          const weights = await b.getWeights();
          const c = make();
          await c.setWeights(weights);
          b.dispose();
          expect(c.iterations).toBe(3);
          run(c, params, 3, 6);
          for (const [k, v] of variables.entries()) {
            await expectClose(v, expected[k] as number[], { rtol: 1e-6, atol: 1e-7 });
          }
          c.dispose();
        });
        tf.dispose(variables);
      });
    }
  },
  { backends: ['cpu'] },
);
