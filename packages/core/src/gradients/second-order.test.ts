import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registerWasmConv2DBackpropFilter } from '../kernels/conv2d-backprop-filter-wasm';
import { segmentNorm, segmentNormPath } from '../kernels/segment-norm/segment-norm';
import { expectClose } from '../testing/expect-close';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { numericGrad } from '../testing/numeric-grad';
import {
  SECOND_ORDER_KERNELS,
  disableSecondOrder,
  enableSecondOrder,
  gradientOfGradient,
  secondOrderActive,
  withSecondOrder,
} from './second-order';

/** Elementwise second derivative `f″(x)` by tfjs: the gradient of `Σ f′(x)`. */
function secondDerivative(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.grad((y: tf.Tensor) => tf.sum(tf.grad((z: tf.Tensor) => tf.sum(f(z)))(y)))(x);
}

/** `H·v` by tfjs double backprop of `loss` at `w`. */
function tfHvp(loss: (w: tf.Tensor) => tf.Tensor, w: tf.Tensor, v: tf.Tensor): tf.Tensor {
  return tf.grad((u: tf.Tensor) =>
    tf.sum(tf.mul(tf.grad(loss as (w: tf.Tensor) => tf.Scalar)(u), v)),
  )(w);
}

/** `H·v` in float64: central differences of float64 central-difference gradients. */
function f64Hvp(f: (w: Float64Array) => number, w: ArrayLike<number>, v: ArrayLike<number>) {
  const eps = 1e-4;
  const at = (s: number) =>
    numericGrad(
      f,
      Float64Array.from(w, (wi, i) => wi + s * v[i]!),
    );
  const up = at(eps);
  const down = at(-eps);
  return Float64Array.from(up, (u, i) => (u - down[i]!) / (2 * eps));
}

/** Runs `fn` inside a second-order scope, reads its tensor and disposes it, asserting no leaks. */
function secondOrderValues(fn: () => tf.Tensor): Promise<Float32Array> {
  return expectNoLeaks(async () => {
    const t = withSecondOrder(fn);
    const values = (await t.data()) as Float32Array;
    t.dispose();
    return values;
  });
}

const XS = [-2.5, -1, -0.3, 0, 0.4, 1.2, 3];
const TOL = { rtol: 1e-4, atol: 1e-5 };

/** A 2-D convolution in float64, NHWC input `[1, h, w, c]`, filter `[k, k, c, o]`, 'valid'. */
function conv2dF64(
  x: Float64Array,
  [h, w, c]: [number, number, number],
  f: Float64Array,
  k: number,
  o: number,
) {
  const oh = h - k + 1;
  const ow = w - k + 1;
  const out = new Float64Array(oh * ow * o);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      for (let q = 0; q < o; q++) {
        let s = 0;
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            for (let p = 0; p < c; p++) {
              s += x[((i + a) * w + (j + b)) * c + p]! * f[((a * k + b) * c + p) * o + q]!;
            }
          }
        }
        out[(i * ow + j) * o + q] = s;
      }
    }
  }
  return { out, shape: [oh, ow, o] as [number, number, number] };
}

/** 2×2 average pooling, stride 2, 'valid', of an `[h, w, o]` float64 map. */
function avgPoolF64(y: Float64Array, [h, w, o]: [number, number, number]) {
  const ph = Math.floor(h / 2);
  const pw = Math.floor(w / 2);
  const out = new Float64Array(ph * pw * o);
  for (let i = 0; i < ph; i++) {
    for (let j = 0; j < pw; j++) {
      for (let q = 0; q < o; q++) {
        let s = 0;
        for (const [a, b] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ] as const) {
          s += y[((2 * i + a) * w + (2 * j + b)) * o + q]!;
        }
        out[(i * pw + j) * o + q] = s / 4;
      }
    }
  }
  return out;
}

const softplus = (t: number) => Math.log1p(Math.exp(t));

forEachBackend('withSecondOrder', () => {
  it('tanh, sigmoid, exp, elu and softplus: second derivatives equal the closed forms', async () => {
    const x = tf.tensor1d(XS);
    const cases: [string, (t: tf.Tensor) => tf.Tensor, (t: number) => number][] = [
      ['tanh', tf.tanh, (t) => -2 * Math.tanh(t) * (1 - Math.tanh(t) ** 2)],
      [
        'sigmoid',
        tf.sigmoid,
        (t) => {
          const s = 1 / (1 + Math.exp(-t));
          return s * (1 - s) * (1 - 2 * s);
        },
      ],
      ['exp', tf.exp, Math.exp],
      ['elu', tf.elu, (t) => (t < 0 ? Math.exp(t) : 0)],
      ['softplus', tf.softplus, (t) => Math.exp(-t) / (1 + Math.exp(-t)) ** 2],
      ['pow(e, x)', (t) => tf.pow(tf.scalar(Math.E), t), Math.exp],
    ];
    for (const [name, f, exact] of cases) {
      const d2 = await secondOrderValues(() => secondDerivative(f, x));
      const want = XS.map(exact);
      for (let i = 0; i < want.length; i++) {
        expect(Math.abs(d2[i]! - want[i]!), `${name} at x = ${XS[i]}`).toBeLessThanOrEqual(
          TOL.atol + TOL.rtol * Math.abs(want[i]!),
        );
      }
    }
    x.dispose();
  });

  it('softmax: H·v of Σ w·softmax(z) equals float64 finite differences', async () => {
    const z = [0.3, -1.2, 2, 0.5];
    const w = [1, -2, 0.5, 3];
    const v = [0.7, 0.1, -0.4, 1];
    const f = (t: Float64Array) => {
      const m = Math.max(...t);
      const e = Array.from(t, (ti) => Math.exp(ti - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.reduce((acc, ei, i) => acc + (w[i]! * ei) / s, 0);
    };
    const [zt, wt, vt] = [tf.tensor2d([z]), tf.tensor2d([w]), tf.tensor2d([v])];
    const hv = await secondOrderValues(() =>
      tfHvp((u) => tf.sum(tf.mul(tf.softmax(u), wt)), zt, vt),
    );
    await expectClose(hv, f64Hvp(f, z, v), { rtol: 1e-3, atol: 1e-5 });
    tf.dispose([zt, wt, vt]);
  });

  it('conv2d + avgPool: H·v in the filter equals float64 finite differences', async () => {
    registerWasmConv2DBackpropFilter();
    const [h, w, c, k, o] = [5, 5, 2, 2, 3];
    const xs = Float64Array.from({ length: h * w * c }, (_, i) => Math.sin(i * 1.3) * 0.8);
    const fs = Float64Array.from({ length: k * k * c * o }, (_, i) => Math.cos(i * 0.7) * 0.5);
    const vs = Float64Array.from({ length: fs.length }, (_, i) => Math.sin(i * 2.1 + 1));
    const lossF64 = (f: Float64Array) => {
      const { out, shape } = conv2dF64(xs, [h, w, c], f, k, o);
      return avgPoolF64(out.map(softplus), shape).reduce((a, p) => a + p * p, 0);
    };
    const x = tf.tensor4d(Float32Array.from(xs), [1, h, w, c]);
    const filter = tf.tensor4d(Float32Array.from(fs), [k, k, c, o]);
    const v = tf.tensor4d(Float32Array.from(vs), [k, k, c, o]);
    const loss = (f: tf.Tensor) =>
      tf.sum(
        tf.square(
          tf.avgPool(tf.softplus(tf.conv2d(x, f as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid'),
        ),
      );
    const hv = await secondOrderValues(() => tfHvp(loss, filter, v));
    await expectClose(hv, f64Hvp(lossF64, fs, vs), { rtol: 1e-3, atol: 1e-4 });
    tf.dispose([x, filter, v]);
  });

  it('routes fused normalization to its composable path inside the scope only', () => {
    const outside = segmentNormPath();
    expect(withSecondOrder(() => segmentNormPath())).toBe('reference');
    expect(segmentNormPath()).toBe(outside);
  });
});

describe('withSecondOrder scope', () => {
  it("restores tfjs's own gradients on exit, on a throw and when a promise settles", async () => {
    await tf.ready();
    const before = SECOND_ORDER_KERNELS.map((k) => tf.getGradient(k));
    const inside = withSecondOrder(() => SECOND_ORDER_KERNELS.map((k) => tf.getGradient(k)));
    expect(inside.some((g, i) => g !== before[i])).toBe(true);
    expect(SECOND_ORDER_KERNELS.map((k) => tf.getGradient(k))).toEqual(before);
    expect(() =>
      withSecondOrder(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(secondOrderActive()).toBe(false);
    const pending = withSecondOrder(async () => {
      await Promise.resolve();
      return secondOrderActive();
    });
    expect(secondOrderActive()).toBe(true);
    expect(await pending).toBe(true);
    expect(secondOrderActive()).toBe(false);
    expect(withSecondOrder(() => withSecondOrder(() => 1) + Number(secondOrderActive()))).toBe(2);
    expect(SECOND_ORDER_KERNELS.map((k) => tf.getGradient(k))).toEqual(before);
  });

  it('enableSecondOrder lasts until disableSecondOrder; both are idempotent', async () => {
    await tf.ready();
    const original = tf.getGradient('Tanh');
    enableSecondOrder();
    enableSecondOrder();
    expect(secondOrderActive()).toBe(true);
    expect(tf.getGradient('Tanh')).not.toBe(original);
    disableSecondOrder();
    disableSecondOrder();
    expect(secondOrderActive()).toBe(false);
    expect(tf.getGradient('Tanh')).toBe(original);
  });

  it("tfjs's own tanh gradient cannot be differentiated again (why the scope exists)", async () => {
    await tf.ready();
    const x = tf.tensor1d([0.5]);
    expect(() => secondDerivative(tf.tanh, x)).toThrow();
    x.dispose();
  });
});

describe('gradientOfGradient', () => {
  it('is false outside any tape and on a single tape, true on a nested tape or in the scope', () => {
    const seen: boolean[] = [];
    const probe = (x: tf.Tensor) => {
      seen.push(gradientOfGradient());
      return tf.sum(tf.square(x));
    };
    const x = tf.tensor1d([1, 2]);
    seen.push(gradientOfGradient());
    tf.dispose(tf.grad(probe)(x));
    tf.dispose(tf.grad((y: tf.Tensor) => tf.sum(tf.grad(probe)(y)))(x));
    seen.push(withSecondOrder(() => gradientOfGradient()));
    x.dispose();
    expect(seen).toEqual([false, false, true, true]);
  });
});

forEachBackend('gradientOfGradient', () => {
  it('a nested tf.grad without any scope through segmentNorm equals the composable path and float64 differences', async () => {
    const [rows, cols] = [3, 4];
    const xData = Float64Array.from([0.3, -1.2, 2, 0.5, 1, 0.1, -0.4, 0.9, -2, 0.7, 1.5, -0.2]);
    const wData = Float64Array.from([0.5, -1, 0.25, 2, -0.5, 1, 0.75, -0.25, 1.5, 0.1, -2, 0.3]);
    const vData = Float64Array.from([1, -0.5, 0.2, 0.3, -1, 0.6, 0.4, -0.7, 0.2, 0.9, -0.3, 0.5]);
    const layout = { outer: rows, spatial: 1, groups: 1, groupSize: cols };
    const eps = 1e-5;
    const loss = (x: tf.Tensor) =>
      tf.sum(
        tf.mul(tf.square(segmentNorm(x, undefined, undefined, layout, eps)), wConst()),
      ) as tf.Scalar;
    const w = tf.tensor2d(Float32Array.from(wData), [rows, cols]);
    const wConst = () => w;
    const x = tf.tensor2d(Float32Array.from(xData), [rows, cols]);
    const v = tf.tensor2d(Float32Array.from(vData), [rows, cols]);
    const plain = await expectNoLeaks(async () => {
      const hv = tfHvp(loss, x, v);
      const values = (await hv.data()) as Float32Array;
      hv.dispose();
      return values;
    });
    const composable = await secondOrderValues(() => tfHvp(loss, x, v));
    const f64Loss = (xs: Float64Array) => {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        const row = xs.subarray(r * cols, (r + 1) * cols);
        const mean = row.reduce((a, b) => a + b, 0) / cols;
        const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / cols;
        for (let c = 0; c < cols; c++) {
          const y = (row[c]! - mean) / Math.sqrt(variance + eps);
          s += y * y * wData[r * cols + c]!;
        }
      }
      return s;
    };
    const expected = f64Hvp(f64Loss, xData, vData);
    const scale = Math.max(...Array.from(expected, Math.abs));
    await expectClose(plain, composable, { rtol: 1e-4, atol: 1e-5 * scale });
    await expectClose(plain, expected, { rtol: 1e-3, atol: 1e-4 * scale });
    tf.dispose([w, x, v]);
  });
});
