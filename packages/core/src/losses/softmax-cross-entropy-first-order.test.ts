import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { gradientOfGradient, withSecondOrder } from '../gradients/second-order';
import { Rng } from '../rng/rng';
import { expectClose } from '../testing/expect-close';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import type { Reduction } from './reduction';
import { type SoftmaxCrossEntropyOptions, softmaxCrossEntropy } from './softmax-cross-entropy';

const N = 5;
const C = 4;
const TOL = { rtol: 1e-6, atol: 1e-7 };

/** Seeded logits with one large-magnitude row, float probability targets, int ids (one out of range). */
function inputs() {
  const rng = new Rng(21);
  const z = Float32Array.from(rng.normalArray(N * C, 0, 2));
  for (let c = 0; c < C; c++) z[C + c] = z[C + c]! + 60;
  const u = rng.uniformArray(N * C, 0.1, 1);
  const y = new Float32Array(N * C);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += u[n * C + c]!;
    for (let c = 0; c < C; c++) y[n * C + c] = u[n * C + c]! / s;
  }
  const weights = Float32Array.from(rng.normalArray(N));
  return { z, y, ids: [2, 0, 3, 1, 7], weights };
}

/** Value and gradient (of `Σ w·ℓ` for `'none'`) on whichever path `run` selects. */
async function valueAndGradient(
  run: <T>(fn: () => T) => T,
  labels: tf.Tensor,
  options: SoftmaxCrossEntropyOptions,
) {
  const { z, weights } = inputs();
  const logits = tf.tensor2d(z, [N, C]);
  const w = tf.tensor1d(weights);
  const f = (x: tf.Tensor) => {
    const loss = softmaxCrossEntropy(x, labels, options);
    return (options.reduction === 'none' ? tf.sum(tf.mul(loss, w)) : loss) as tf.Scalar;
  };
  const { value, grad } = run(() => tf.valueAndGrad(f)(logits));
  const out = { value: await value.data(), grad: await grad.data() };
  tf.dispose([logits, w, value, grad]);
  return out;
}

const firstOrder = <T>(fn: () => T): T => fn();
const anyOrder = <T>(fn: () => T): T => withSecondOrder(fn);

forEachBackend('softmaxCrossEntropy first-order path', () => {
  const { y, ids } = inputs();
  const cases: [string, () => tf.Tensor, number][] = [
    ['int32 ids', () => tf.tensor1d(ids, 'int32'), 0],
    ['float targets', () => tf.tensor2d(y, [N, C]), 0],
    ['int32 ids, label smoothing 0.1', () => tf.tensor1d(ids, 'int32'), 0.1],
    ['float targets, label smoothing 0.2', () => tf.tensor2d(y, [N, C]), 0.2],
  ];
  for (const [name, makeLabels, labelSmoothing] of cases) {
    for (const reduction of ['mean', 'sum', 'none'] as Reduction[]) {
      it(`${name}, reduction ${reduction}: value and gradient equal the any-order path (rtol 1e-6)`, async () => {
        const labels = makeLabels();
        const options = { reduction, labelSmoothing };
        const fast = await expectNoLeaks(() => valueAndGradient(firstOrder, labels, options));
        const exact = await expectNoLeaks(() => valueAndGradient(anyOrder, labels, options));
        await expectClose(fast.value, exact.value, TOL);
        await expectClose(fast.grad, exact.grad, TOL);
        labels.dispose();
      });
    }
  }

  it("an out-of-range id's example gets a zero gradient, as on the any-order path", async () => {
    const labels = tf.tensor1d(ids, 'int32');
    const { grad } = await valueAndGradient(firstOrder, labels, { reduction: 'none' });
    expect(Array.from(grad.slice((N - 1) * C), Math.abs)).toEqual([0, 0, 0, 0]);
    labels.dispose();
  });

  it('takes the any-order path for a nested tf.grad without any scope (H·v equals the scoped one)', async () => {
    const { z } = inputs();
    const logits = tf.tensor2d(z, [N, C]);
    const v = tf.tensor2d(Float32Array.from(new Rng(5).normalArray(N * C)), [N, C]);
    const labels = tf.tensor1d(ids, 'int32');
    const hvp = () =>
      tf.grad((x: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.grad((u: tf.Tensor) => {
              expect(gradientOfGradient()).toBe(true);
              return softmaxCrossEntropy(u, labels) as tf.Scalar;
            })(x),
            v,
          ),
        ),
      )(logits);
    const plain = await expectNoLeaks(async () => {
      const hv = hvp();
      const values = await hv.data();
      hv.dispose();
      return values;
    });
    const scoped = withSecondOrder(hvp);
    await expectClose(plain, scoped, TOL);
    tf.dispose([logits, v, labels, scoped]);
  });
});
