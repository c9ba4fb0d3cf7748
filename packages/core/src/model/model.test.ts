import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectDescentError } from '../testing/expect-descent-error';
import { inferParamInfo } from '../params/param-info';
import { type Params, disposeParams } from '../params/params';
import { expectClose } from '../testing/expect-close';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { type ApplyFn, type Model, checkModel, isModel, toApplyFn } from './model';

/**
 * Test-only example: a 2-layer dense net y = relu(x·W1 + b1)·W2 + b2 with fixed weights
 * (in = 2, hidden = 3, out = 1). `training: true` doubles the output, only so that tests can see
 * the option arrive.
 */
function tinyMlp(): Model {
  const params: Params = {
    'dense1/kernel': tf.tensor2d([
      [1, -1, 0.5],
      [2, 0, -1],
    ]),
    'dense1/bias': tf.tensor1d([0, 1, 0.5]),
    'dense2/kernel': tf.tensor2d([[1], [2], [-1]]),
    'dense2/bias': tf.tensor1d([0.25]),
  };
  const info = Object.fromEntries(
    Object.entries(params).map(([key, t]) => [key, inferParamInfo(key, t.shape)]),
  );
  const apply: ApplyFn = (p, x, opts) =>
    tf.tidy(() => {
      const h = tf.relu(
        tf.add(tf.matMul(x, p['dense1/kernel'] as tf.Tensor), p['dense1/bias'] as tf.Tensor),
      );
      const y = tf.add(
        tf.matMul(h, p['dense2/kernel'] as tf.Tensor),
        p['dense2/bias'] as tf.Tensor,
      );
      return opts?.training ? tf.mul(y, 2) : y;
    });
  return { params, info, apply };
}

/** The same network in float64 JS. */
function tinyMlpReference(x: readonly [number, number]): number {
  const w1 = [
    [1, -1, 0.5],
    [2, 0, -1],
  ];
  const b1 = [0, 1, 0.5];
  const w2 = [1, 2, -1];
  let y = 0.25;
  for (let j = 0; j < 3; j++) {
    const pre = x[0] * (w1[0]?.[j] as number) + x[1] * (w1[1]?.[j] as number) + (b1[j] as number);
    y += Math.max(0, pre) * (w2[j] as number);
  }
  return y;
}

forEachBackend('Model', () => {
  it('applies the example 2-layer net, matching a float64 reference, without leaks', async () => {
    const model = tinyMlp();
    const inputs: [number, number][] = [
      [1, 0],
      [0.5, -2],
      [-1, 3],
    ];
    const x = tf.tensor2d(inputs);
    await expectNoLeaks(async () => {
      const y = toApplyFn(model)(model.params, x);
      expect(y.shape).toEqual([3, 1]);
      await expectClose(y, inputs.map(tinyMlpReference), { rtol: 1e-6, atol: 1e-6 });
      const yTrain = model.apply(model.params, x, { training: true });
      await expectClose(
        yTrain,
        inputs.map((v) => 2 * tinyMlpReference(v)),
        { rtol: 1e-6, atol: 1e-6 },
      );
      y.dispose();
      yTrain.dispose();
    });
    x.dispose();
    disposeParams(model.params);
  });

  it('validates a well-formed model', () => {
    const model = tinyMlp();
    expect(() => checkModel('model', model)).not.toThrow();
    disposeParams(model.params);
  });

  it('requires info keys to equal params keys (UNKNOWN_PARAM naming both sides)', () => {
    const model = tinyMlp();
    const { 'dense2/bias': _dropped, ...info } = model.info;
    expectDescentError(
      () => checkModel('model', { ...model, info }),
      'UNKNOWN_PARAM',
      'params without info: "dense2/bias"',
    );
    expectDescentError(
      () =>
        checkModel('model', {
          ...model,
          info: { ...model.info, 'dense3/kernel': inferParamInfo('dense3/kernel', [1, 1]) },
        }),
      'UNKNOWN_PARAM',
      'info without params: "dense3/kernel"',
    );
    disposeParams(model.params);
  });

  it('requires shapes consistent with layouts and fans (SHAPE_MISMATCH naming key and shape)', () => {
    const model = tinyMlp();
    const kernelInfo = model.info['dense1/kernel'];
    if (!kernelInfo) throw new Error('missing info');
    expectDescentError(
      () =>
        checkModel('model', {
          ...model,
          info: { ...model.info, 'dense1/kernel': { ...kernelInfo, fanIn: 3, fanOut: 2 } },
        }),
      'SHAPE_MISMATCH',
      'model.params["dense1/kernel"] has shape [2, 3]',
      'fans (2, 3)',
      'says (3, 2)',
    );
    expectDescentError(
      () =>
        checkModel('model', {
          ...model,
          info: { ...model.info, 'dense1/kernel': { ...kernelInfo, layout: 'conv2d' } },
        }),
      'SHAPE_MISMATCH',
      '[2, 3]',
      "'conv2d'",
    );
    expectDescentError(
      () =>
        checkModel('model', {
          ...model,
          info: { ...model.info, 'dense1/bias': { ...kernelInfo, role: 'offset' as 'bias' } },
        }),
      'BAD_ARGUMENT',
      'model.info["dense1/bias"].role',
    );
    disposeParams(model.params);
  });

  it('reports disposed parameters (DISPOSED)', () => {
    const model = tinyMlp();
    (model.params['dense2/kernel'] as tf.Tensor).dispose();
    expectDescentError(
      () => checkModel('net', model),
      'DISPOSED',
      'net.params["dense2/kernel"]',
      '[3, 1]',
    );
    disposeParams(model.params);
  });
});

describe('isModel / toApplyFn', () => {
  const apply: ApplyFn = (_p, x) => x;

  it('recognizes models by shape, not class', () => {
    expect(isModel({ params: {}, info: {}, apply })).toBe(true);
    expect(isModel({ params: {}, info: {} })).toBe(false);
    expect(isModel({ params: {}, apply })).toBe(false);
    expect(isModel({ params: null, info: {}, apply })).toBe(false);
    expect(isModel(apply)).toBe(false);
    expect(isModel(null)).toBe(false);
  });

  it('passes functions through and calls model.apply as a method', () => {
    expect(toApplyFn(apply)).toBe(apply);
    const model = {
      params: {},
      info: {},
      scale: 3,
      apply(this: { scale: number }, _p: Params, x: tf.Tensor) {
        return this.scale === 3 ? x : (undefined as never);
      },
    };
    const marker = { shape: [] } as unknown as tf.Tensor;
    expect(toApplyFn(model as unknown as Model)({}, marker)).toBe(marker);
  });

  it('rejects anything else (BAD_ARGUMENT)', () => {
    expectDescentError(
      () => toApplyFn({ params: {} } as unknown as Model),
      'BAD_ARGUMENT',
      'Model',
    );
    expectDescentError(
      () => checkModel('net', 42),
      'BAD_ARGUMENT',
      'net must be a Model',
      'number 42',
    );
  });
});
