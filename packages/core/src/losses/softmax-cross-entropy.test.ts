import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Rng } from '../rng/rng';
import { expectClose } from '../testing/expect-close';
import { expectDescentError } from '../testing/expect-descent-error';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { numericGrad } from '../testing/numeric-grad';
import { safeExp } from './safe-exp';
import { safeLogSoftmax } from './safe-log-softmax';
import { softmaxCrossEntropy } from './softmax-cross-entropy';

const N = 4;
const C = 5;

/** Seeded logits with one large-magnitude row (tests the max shift). */
function logitsData(): Float64Array {
  const z = Float64Array.from(new Rng(11).normalArray(N * C, 0, 2));
  for (let c = 0; c < C; c++) z[C + c] = (z[C + c] as number) + 80; // row 1 near exp overflow
  return Float64Array.from(z, (v) => Math.fround(v));
}

/** Probability targets (rows sum to 1) and an all-zero last row. */
function targetData(): Float64Array {
  const u = new Rng(12).uniformArray(N * C, 0.1, 1);
  const y = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += u[n * C + c] as number;
    for (let c = 0; c < C; c++) y[n * C + c] = Math.fround((u[n * C + c] as number) / s);
  }
  return y;
}

const IDS = [3, 0, 4, 1];
const f32 = (data: ArrayLike<number>, shape: number[]) => tf.tensor(Float32Array.from(data), shape);
const oneHot = (ids: number[]) => {
  const y = new Float64Array(ids.length * C);
  ids.forEach((id, n) => {
    y[n * C + id] = 1;
  });
  return y;
};

/** Float64 per-example losses Σ_c y_c (lse − z_c). */
function refLosses(z: ArrayLike<number>, y: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let n = 0; n < N; n++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) m = Math.max(m, z[n * C + c] as number);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp((z[n * C + c] as number) - m);
    const lse = m + Math.log(s);
    let l = 0;
    for (let c = 0; c < C; c++) l += (y[n * C + c] as number) * (lse - (z[n * C + c] as number));
    out.push(l);
  }
  return out;
}
const refMean = (z: ArrayLike<number>, y: ArrayLike<number>) =>
  refLosses(z, y).reduce((a, b) => a + b, 0) / N;

/** Float64 gradient of the mean loss: ((Σy)·softmax − y)/N. */
function refGrad(z: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const g = new Float64Array(N * C);
  for (let n = 0; n < N; n++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) m = Math.max(m, z[n * C + c] as number);
    let s = 0;
    let sy = 0;
    for (let c = 0; c < C; c++) {
      s += Math.exp((z[n * C + c] as number) - m);
      sy += y[n * C + c] as number;
    }
    for (let c = 0; c < C; c++) {
      const p = Math.exp((z[n * C + c] as number) - m) / s;
      g[n * C + c] = (sy * p - (y[n * C + c] as number)) / N;
    }
  }
  return g;
}

/** Hessian-vector product of the mean loss by central differences of the float64 gradient. */
function refHvpByDifferences(z: ArrayLike<number>, y: ArrayLike<number>, v: ArrayLike<number>) {
  const eps = 1e-5;
  const plus = refGrad(
    Float64Array.from(z, (zi, i) => zi + eps * (v[i] as number)),
    y,
  );
  const minus = refGrad(
    Float64Array.from(z, (zi, i) => zi - eps * (v[i] as number)),
    y,
  );
  return Float64Array.from(plus, (p, i) => (p - (minus[i] as number)) / (2 * eps));
}

const hvp = (z: tf.Tensor, labels: tf.Tensor, v: tf.Tensor) =>
  tf.grad((zz: tf.Tensor) =>
    tf.sum(tf.mul(tf.grad((w: tf.Tensor) => softmaxCrossEntropy(w, labels))(zz), v)),
  )(z);

it('the float64 reference gradient matches central differences of the reference loss', () => {
  const z = logitsData();
  const y = targetData();
  const numeric = numericGrad((zz) => refMean(zz, y), z);
  const analytic = refGrad(z, y);
  for (let i = 0; i < analytic.length; i++) {
    expect(Math.abs((analytic[i] as number) - (numeric[i] as number))).toBeLessThan(1e-7);
  }
});

forEachBackend('softmaxCrossEntropy', () => {
  it('matches the float64 reference for probability and int32 labels, every reduction (rtol 1e-5)', async () => {
    const zData = logitsData();
    const z = f32(zData, [N, C]);
    const probs = targetData();
    const y = f32(probs, [N, C]);
    const ids = tf.tensor1d(IDS, 'int32');
    await expectNoLeaks(async () => {
      for (const [labels, targets] of [
        [y, probs],
        [ids, oneHot(IDS)],
      ] as const) {
        const per = refLosses(zData, targets);
        const none = softmaxCrossEntropy(z, labels, { reduction: 'none' });
        const sum = softmaxCrossEntropy(z, labels, { reduction: 'sum' });
        const mean = softmaxCrossEntropy(z, labels);
        expect(none.shape).toEqual([N]);
        expect(mean.shape).toEqual([]);
        await expectClose(none, per, { rtol: 1e-5, atol: 1e-5 });
        await expectClose(
          sum,
          per.reduce((a, b) => a + b),
          { rtol: 1e-5, atol: 1e-5 },
        );
        await expectClose(mean, refMean(zData, targets), { rtol: 1e-5, atol: 1e-5 });
        tf.dispose([none, sum, mean]);
      }
    });
    tf.dispose([z, y, ids]);
  });

  it('applies label smoothing (1 − α)·y + α/C', async () => {
    const zData = logitsData();
    const z = f32(zData, [N, C]);
    const ids = tf.tensor1d(IDS, 'int32');
    const smoothed = Float64Array.from(oneHot(IDS), (v) => 0.8 * v + 0.2 / C);
    const loss = softmaxCrossEntropy(z, ids, { labelSmoothing: 0.2 });
    await expectClose(loss, refMean(zData, smoothed), { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([z, ids, loss]);
  });

  it('keeps leading axes: logits [2, 2, C] with ids [2, 2]', async () => {
    const zData = logitsData();
    const z = f32(zData, [2, 2, C]);
    const ids = tf.tensor2d(IDS, [2, 2], 'int32');
    const none = softmaxCrossEntropy(z, ids, { reduction: 'none' });
    expect(none.shape).toEqual([2, 2]);
    await expectClose(none, refLosses(zData, oneHot(IDS)), { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([z, ids, none]);
  });

  it('has the gradient (Σy·softmax − y)/N (rtol 1e-5, atol 1e-7)', async () => {
    const zData = logitsData();
    const z = f32(zData, [N, C]);
    for (const [labels, targets] of [
      [f32(targetData(), [N, C]), targetData()],
      [tf.tensor1d(IDS, 'int32'), oneHot(IDS)],
    ] as const) {
      const g = tf.grad((w: tf.Tensor) => softmaxCrossEntropy(w, labels))(z);
      await expectClose(g, refGrad(zData, targets), { rtol: 1e-5, atol: 1e-7 });
      tf.dispose([g, labels]);
    }
    z.dispose();
  });

  it('gives exact Hessian-vector products: grad of (grad·v) vs differences of the gradient', async () => {
    const zData = logitsData();
    const vData = Float64Array.from(new Rng(13).normalArray(N * C), (x) => Math.fround(x));
    const z = f32(zData, [N, C]);
    const v = f32(vData, [N, C]);
    for (const [labels, targets] of [
      [f32(targetData(), [N, C]), targetData()],
      [tf.tensor1d(IDS, 'int32'), oneHot(IDS)],
    ] as const) {
      // Against central differences of the float64 gradient (the exact Hessian times v).
      const expected = refHvpByDifferences(zData, targets, vData);
      const scale = Math.max(...expected.map(Math.abs));
      await expectNoLeaks(async () => {
        const hv = hvp(z, labels, v);
        await expectClose(hv, expected, { rtol: 1e-4, atol: 1e-5 * scale });
        // And against central differences of tfjs's own float32 gradient (ε = 1e-2).
        const eps = 1e-2;
        const gradAt = (sign: number) =>
          tf.tidy(() =>
            tf.grad((w: tf.Tensor) => softmaxCrossEntropy(w, labels))(
              tf.add(z, tf.mul(v, sign * eps)),
            ),
          );
        const up = gradAt(1);
        const down = gradAt(-1);
        const fd = tf.tidy(() => tf.div(tf.sub(up, down), 2 * eps));
        await expectClose(hv, fd, { rtol: 5e-3, atol: 5e-3 * scale });
        tf.dispose([hv, up, down, fd]);
      });
      labels.dispose();
    }
    tf.dispose([z, v]);
  });

  it('safeExp and safeLogSoftmax match tf.exp / the reference and are differentiable twice', async () => {
    const x = tf.tensor1d([-2, 0, 1.5]);
    const e = safeExp(x);
    await expectClose(e, [Math.exp(-2), 1, Math.exp(1.5)], { rtol: 1e-6 });
    const d2 = tf.grad((a: tf.Tensor) => tf.sum(tf.grad((b: tf.Tensor) => tf.sum(safeExp(b)))(a)))(
      x,
    );
    await expectClose(d2, [Math.exp(-2), 1, Math.exp(1.5)], { rtol: 1e-6 });
    const ls = safeLogSoftmax(tf.tensor2d([[0, Math.log(3)]]));
    await expectClose(ls, [Math.log(0.25), Math.log(0.75)], { rtol: 1e-6 });
    tf.dispose([x, e, d2, ls]);
  });

  it('rejects bad input with DescentErrors before computing', () => {
    const z = tf.zeros([N, C]);
    const ids = tf.tensor1d(IDS, 'int32');
    const before = tf.memory().numTensors;
    expectDescentError(() => softmaxCrossEntropy(z, tf.zeros([N])), 'SHAPE_MISMATCH', '[4, 5]');
    expectDescentError(
      () => softmaxCrossEntropy(z, tf.tensor1d([1, 2], 'int32')),
      'SHAPE_MISMATCH',
      'class ids',
    );
    expectDescentError(
      () => softmaxCrossEntropy(tf.cast(z, 'int32'), ids),
      'DTYPE_MISMATCH',
      'logits',
    );
    expectDescentError(
      () => softmaxCrossEntropy(z, tf.zeros([N, C], 'bool')),
      'DTYPE_MISMATCH',
      'labels',
    );
    expectDescentError(() => softmaxCrossEntropy(tf.scalar(1), ids), 'SHAPE_MISMATCH', 'rank');
    expectDescentError(
      () => softmaxCrossEntropy(z, ids, { reduction: 'avg' as 'mean' }),
      'BAD_ARGUMENT',
      'reduction',
    );
    expectDescentError(
      () => softmaxCrossEntropy(z, ids, { labelSmoothing: 2 }),
      'BAD_HYPERPARAM',
      'labelSmoothing',
    );
    expectDescentError(
      () => softmaxCrossEntropy(z, ids, { weights: 1 } as never),
      'UNKNOWN_PARAM',
      'weights',
    );
    const d = tf.zeros([N, C]);
    d.dispose();
    expectDescentError(() => softmaxCrossEntropy(d, ids), 'DISPOSED');
    expectDescentError(() => safeExp(tf.cast(z, 'int32')), 'DTYPE_MISMATCH', 'safeExp');
    // The argument tensors made inside the expect calls above: 5 (zeros, tensor1d, cast, zeros, scalar) + cast.
    expect(tf.memory().numTensors - before).toBe(6);
    tf.dispose([z, ids]);
  });
});
