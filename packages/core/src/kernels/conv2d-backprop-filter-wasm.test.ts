import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { useBackend } from '../backend/use-backend';
import { Rng } from '../rng/rng';
import { expectClose } from '../testing/expect-close';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { registerWasmConv2DBackpropFilter } from './conv2d-backprop-filter-wasm';

type Attrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

const CASES: { name: string; xShape: [number, number, number, number]; attrs: Attrs }[] = [
  {
    name: "3×3 'same' stride 1",
    xShape: [2, 7, 7, 3],
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
  },
  {
    name: "5×5 'valid' stride 2",
    xShape: [2, 8, 9, 2],
    attrs: { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [5, 5, 2, 3] },
  },
  {
    name: "3×2 'same' strides [2, 3]",
    xShape: [1, 9, 8, 3],
    attrs: { strides: [2, 3], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 2, 3, 2] },
  },
  {
    name: 'explicit padding',
    xShape: [2, 6, 7, 2],
    attrs: {
      strides: 1,
      pad: [
        [0, 0],
        [1, 2],
        [2, 0],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      filterShape: [3, 3, 2, 2],
    },
  },
  {
    name: "numeric pad 1, stride 2, dimRoundingMode 'ceil'",
    xShape: [1, 8, 8, 2],
    attrs: {
      strides: 2,
      pad: 1,
      dimRoundingMode: 'ceil',
      dataFormat: 'NHWC',
      filterShape: [3, 3, 2, 3],
    },
  },
  {
    name: "NCHW 3×3 'same'",
    xShape: [2, 3, 6, 5],
    attrs: { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 2] },
  },
  {
    name: "LeNet-5 conv1: 5×5 'same' on 28×28×1",
    xShape: [3, 28, 28, 1],
    attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [5, 5, 1, 6] },
  },
];

/** dy's shape for a case (tfjs's own shape arithmetic). */
function dyShape(xShape: [number, number, number, number], attrs: Attrs): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    attrs.dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
  );
  return info.outShape;
}

/** Runs the kernel on `backend` and returns the values (restoring nothing: tests set backends). */
async function runOn(
  backend: string,
  x: Float32Array,
  dy: Float32Array,
  xShape: number[],
  dShape: number[],
  attrs: Attrs,
) {
  await tf.setBackend(backend);
  const xt = tf.tensor(x, xShape);
  const dyt = tf.tensor(dy, dShape);
  const out = tf
    .engine()
    .runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, attrs as never) as tf.Tensor;
  const values = await out.data();
  expect(out.shape).toEqual(attrs.filterShape);
  tf.dispose([xt, dyt, out]);
  return values;
}

beforeAll(async () => {
  await useBackend('cpu');
});

it('registers once: a second call is a no-op and reports false', () => {
  registerWasmConv2DBackpropFilter();
  expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  expect(registerWasmConv2DBackpropFilter()).toBe(false);
});

forEachBackend(
  'wasm Conv2DBackpropFilter',
  () => {
    for (const { name, xShape, attrs } of CASES) {
      it(`matches the cpu kernel: ${name} (rtol 1e-5)`, async () => {
        registerWasmConv2DBackpropFilter();
        const dShape = dyShape(xShape, attrs);
        const rng = new Rng(`conv-${name}`);
        const x = rng.normalArray(xShape.reduce((a, b) => a * b, 1));
        const dy = rng.normalArray(dShape.reduce((a, b) => a * b, 1));
        const expected = await runOn('cpu', x, dy, xShape, dShape, attrs);
        const actual = await runOn('wasm', x, dy, xShape, dShape, attrs);
        const scale = Math.max(...Array.from(expected, Math.abs));
        await expectClose(actual, expected, { rtol: 1e-5, atol: 1e-6 * scale });
      });
    }

    it('makes tf.grad of a conv2d loss work on wasm, equal to cpu, without leaks', async () => {
      registerWasmConv2DBackpropFilter();
      const rng = new Rng(5);
      const x = rng.normalArray(2 * 10 * 10 * 3);
      const w = rng.normalArray(3 * 3 * 3 * 4, 0, 0.3);
      const c = rng.normalArray(2 * 5 * 5 * 4);
      const gradOn = async (backend: string) => {
        await tf.setBackend(backend);
        const xt = tf.tensor4d(x, [2, 10, 10, 3]);
        const wt = tf.tensor4d(w, [3, 3, 3, 4]);
        const ct = tf.tensor4d(c, [2, 5, 5, 4]);
        const loss = (filter: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(xt as tf.Tensor4D, filter as tf.Tensor4D, 2, 'same'), ct));
        const values = await expectNoLeaks(async () => {
          const g = tf.grad(loss)(wt);
          const v = await g.data();
          g.dispose();
          return v;
        });
        tf.dispose([xt, wt, ct]);
        return values;
      };
      const expected = await gradOn('cpu');
      const actual = await gradOn('wasm');
      const scale = Math.max(...Array.from(expected, Math.abs));
      await expectClose(actual, expected, { rtol: 1e-5, atol: 1e-6 * scale });
    });
  },
  { backends: ['wasm'] },
);
