import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { expectDescentError } from '../testing/expect-descent-error';
import { expectClose } from '../testing/expect-close';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import {
  type Params,
  checkParams,
  checkSameStructure,
  cloneParams,
  disposeParams,
  flattenParams,
  fromVariables,
  globalNorm,
  globalNormValue,
  mapParams,
  paramCount,
  toVariables,
  unflattenParams,
  zipParams,
} from './params';

/** A small two-layer parameter map with known values (float64 copies kept for references). */
function sampleValues(): Record<string, { shape: number[]; values: number[] }> {
  return {
    'dense1/kernel': { shape: [2, 3], values: [0.5, -1, 2, 3, -0.25, 1.5] },
    'dense1/bias': { shape: [3], values: [0.1, -0.2, 0.3] },
    'dense2/kernel': { shape: [3, 1], values: [4, -5, 6] },
    'dense2/bias': { shape: [1], values: [-7] },
  };
}

function makeParams(spec = sampleValues()): Params {
  const params: Params = {};
  for (const [key, { shape, values }] of Object.entries(spec)) {
    params[key] = tf.tensor(values, shape);
  }
  return params;
}

function norm64(spec: Record<string, { values: number[] }>): number {
  let sum = 0;
  for (const { values } of Object.values(spec)) for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

forEachBackend('mapParams / zipParams', () => {
  it('maps every tensor with its key, leaving the input unchanged', async () => {
    const params = makeParams();
    await expectNoLeaks(async () => {
      const seen: string[] = [];
      const out = mapParams(params, (t, key) => {
        seen.push(key);
        return tf.mul(t, key.endsWith('bias') ? 10 : 2);
      });
      expect(Object.keys(out)).toEqual(Object.keys(params));
      expect(seen).toEqual(Object.keys(params));
      await expectClose(out['dense1/kernel'] as tf.Tensor, [1, -2, 4, 6, -0.5, 3]);
      await expectClose(out['dense1/bias'] as tf.Tensor, [1, -2, 3]);
      await expectClose(out['dense2/bias'] as tf.Tensor, [-70]);
      expect((out['dense1/kernel'] as tf.Tensor).shape).toEqual([2, 3]);
      await expectClose(params['dense1/kernel'] as tf.Tensor, [0.5, -1, 2, 3, -0.25, 1.5]);
      disposeParams(out);
    });
    disposeParams(params);
  });

  it('disposes intermediates, and everything it made when fn throws', async () => {
    const params = makeParams();
    await expectNoLeaks(() => {
      const out = mapParams(params, (t) => tf.add(tf.mul(t, 2), 1));
      disposeParams(out);
    });
    await expectNoLeaks(() => {
      let calls = 0;
      expect(() =>
        mapParams(params, (t) => {
          calls += 1;
          if (calls === 3) throw new Error('boom');
          return tf.neg(t);
        }),
      ).toThrow('boom');
    });
    disposeParams(params);
  });

  it('rejects a result that is not a tensor, naming the key', async () => {
    const params = makeParams();
    await expectNoLeaks(() => {
      expectDescentError(
        () => mapParams(params, (t, key) => (key === 'dense2/kernel' ? (5 as never) : tf.neg(t))),
        'BAD_ARGUMENT',
        '"dense2/kernel"',
      );
    });
    disposeParams(params);
  });

  it('zips two maps key by key, whatever their key order', async () => {
    const params = makeParams();
    const spec = sampleValues();
    const grads: Params = {};
    for (const key of Object.keys(spec).reverse()) {
      const { shape, values } = spec[key] as { shape: number[]; values: number[] };
      grads[key] = tf.tensor(
        values.map((v) => v * 2),
        shape,
      );
    }
    await expectNoLeaks(async () => {
      const keys: string[] = [];
      const out = zipParams(params, grads, (p, g, key) => {
        keys.push(key);
        return tf.sub(p, tf.mul(g, 0.25));
      });
      expect(keys).toEqual(Object.keys(params));
      for (const [key, { values }] of Object.entries(spec)) {
        await expectClose(
          out[key] as tf.Tensor,
          values.map((v) => v - 0.5 * v),
        );
      }
      disposeParams(out);
    });
    disposeParams(params);
    disposeParams(grads);
  });

  it('names missing and extra keys (UNKNOWN_PARAM) before calling fn', () => {
    const a = { w: tf.zeros([2, 2]), b: tf.zeros([2]) };
    const b = { w: tf.zeros([2, 2]), c: tf.zeros([2]) };
    const fn = vi.fn((x: tf.Tensor) => x);
    expectDescentError(
      () => zipParams(a, b, fn, ['params', 'grads']),
      'UNKNOWN_PARAM',
      'grads',
      'params',
      'missing "b"',
      'extra "c"',
    );
    expect(fn).not.toHaveBeenCalled();
    disposeParams(a);
    disposeParams(b);
  });

  it('names the key and both shapes on a shape mismatch (SHAPE_MISMATCH)', () => {
    const a = { 'dense1/kernel': tf.zeros([2, 3]) };
    const b = { 'dense1/kernel': tf.zeros([3, 2]) };
    const fn = vi.fn((x: tf.Tensor) => x);
    expectDescentError(
      () => zipParams(a, b, fn),
      'SHAPE_MISMATCH',
      'a["dense1/kernel"] has shape [2, 3]',
      'b["dense1/kernel"] has shape [3, 2]',
    );
    expect(fn).not.toHaveBeenCalled();
    disposeParams(a);
    disposeParams(b);
  });
});

forEachBackend('paramCount / globalNorm', () => {
  it('counts every element', () => {
    const params = {
      'dense1/kernel': tf.zeros([784, 300]),
      'dense1/bias': tf.zeros([300]),
      s: tf.scalar(1),
    };
    expect(paramCount(params)).toBe(784 * 300 + 300 + 1);
    expect(paramCount({})).toBe(0);
    disposeParams(params);
  });

  it('matches sqrt(Σ x²) computed in float64, leaving only the returned scalar', async () => {
    const spec = sampleValues();
    const params = makeParams(spec);
    const expected = norm64(spec);
    await expectNoLeaks(async () => {
      const norm = globalNorm(params);
      expect(norm.shape).toEqual([]);
      await expectClose(norm, expected, { rtol: 1e-6, atol: 0 });
      norm.dispose();
      expect(await globalNormValue(params)).toBeCloseTo(expected, 5);
    });
    disposeParams(params);
  });

  it('sums more tensors than a shader can bind, and casts int32', async () => {
    const spec: Record<string, { shape: number[]; values: number[] }> = {};
    for (let i = 0; i < 12; i++) {
      spec[`layer${i}/kernel`] = { shape: [2, 2], values: [i, -i / 2, 0.5, i * 0.125] };
    }
    const params = makeParams(spec);
    params.steps = tf.tensor([3, -4], [2], 'int32');
    const expected = Math.sqrt(norm64(spec) ** 2 + 25);
    await expectNoLeaks(async () => {
      expect(await globalNormValue(params)).toBeCloseTo(expected, 4);
    });
    disposeParams(params);
  });

  it('is 0 for an empty map and for zero-size tensors', async () => {
    const params = { empty: tf.zeros([0, 3]) };
    expect(await globalNormValue({})).toBe(0);
    expect(await globalNormValue(params)).toBe(0);
    disposeParams(params);
  });
});

forEachBackend('cloneParams', () => {
  it('makes real copies: new buffers that survive disposing the original', async () => {
    const original = makeParams();
    original.count = tf.tensor([1, -2, 3], [3], 'int32');
    original.flags = tf.tensor([1, 0, 1], [3], 'bool');
    original.scalar = tf.scalar(2.5);
    original.empty = tf.zeros([0, 4]);
    const spec = sampleValues();
    const before = tf.memory().numTensors;
    const clone = cloneParams(original);
    expect(tf.memory().numTensors - before, 'only the copies are new').toBe(8);
    const backend = tf.engine().backend;
    for (const key of Object.keys(original)) {
      const a = original[key] as tf.Tensor;
      const b = clone[key] as tf.Tensor;
      expect(b.dataId, key).not.toBe(a.dataId);
      expect(b.shape, key).toEqual(a.shape);
      expect(b.dtype, key).toBe(a.dtype);
      expect(backend.refCount(b.dataId), key).toBe(1);
    }
    disposeParams(original);
    for (const [key, { values }] of Object.entries(spec)) {
      await expectClose(clone[key] as tf.Tensor, values.map(Math.fround), { rtol: 0, atol: 0 });
    }
    expect(Array.from(await (clone.count as tf.Tensor).data())).toEqual([1, -2, 3]);
    expect(Array.from(await (clone.flags as tf.Tensor).data())).toEqual([1, 0, 1]);
    expect(Array.from(await (clone.scalar as tf.Tensor).data())).toEqual([2.5]);
    expect((clone.empty as tf.Tensor).shape).toEqual([0, 4]);
    disposeParams(clone);
  });

  it('copies bit-exactly: -0, NaN and ±Infinity survive', async () => {
    const original = { x: tf.tensor([-0, Number.NaN, Number.POSITIVE_INFINITY, -1e-40]) };
    const clone = cloneParams(original);
    const values = Array.from(await (clone.x as tf.Tensor).data());
    expect(Object.is(values[0], -0)).toBe(true);
    expect(values[1]).toBeNaN();
    expect(values[2]).toBe(Number.POSITIVE_INFINITY);
    expect(values[3]).toBe(Math.fround(-1e-40));
    disposeParams(original);
    disposeParams(clone);
  });

  it('copies tensors large enough to stay on the device (webgpu runs its shader path)', async () => {
    const n = 2048;
    const values = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -0 : (i - 1000) / 3));
    values[5] = -1e-40; // a float32 subnormal
    const original = { w: tf.reshape(tf.tensor(values), [32, 64]) };
    const clone = cloneParams(original);
    disposeParams(original);
    const copied = (await (clone.w as tf.Tensor).data()) as Float32Array;
    expect(copied.length).toBe(n);
    for (let i = 0; i < n; i++) {
      if (!Object.is(copied[i], values[i]))
        expect.fail(`element ${i}: ${copied[i]} vs ${values[i]}`);
    }
    disposeParams(clone);
  });
});

forEachBackend('disposeParams', () => {
  it('disposes every tensor, tolerating shared and already disposed ones', async () => {
    await expectNoLeaks(() => {
      const shared = tf.ones([2]);
      const params = { a: shared, b: shared, c: tf.zeros([3]) };
      (params.c as tf.Tensor).dispose();
      disposeParams(params);
      expect(shared.isDisposed).toBe(true);
      disposeParams(params);
    });
  });

  it('rejects values that are not tensors before disposing anything', () => {
    const t = tf.zeros([2]);
    expectDescentError(
      () => disposeParams({ t, bad: 3 } as unknown as Params),
      'BAD_ARGUMENT',
      'params["bad"]',
    );
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });
});

forEachBackend('toVariables / fromVariables', () => {
  it('creates named, trainable variables holding copies of the tensors', async () => {
    const params = makeParams();
    const spec = sampleValues();
    const vars = toVariables(params, { prefix: 'tv1/' });
    try {
      const backend = tf.engine().backend;
      expect(Object.keys(vars)).toEqual(Object.keys(params));
      for (const key of Object.keys(params)) {
        const v = vars[key] as tf.Variable;
        expect(v.name).toBe(`tv1/${key}`);
        expect(v.trainable).toBe(true);
        expect(v.dataId).not.toBe((params[key] as tf.Tensor).dataId);
        expect(backend.refCount(v.dataId)).toBe(1);
        expect(tf.engine().registeredVariables[`tv1/${key}`]).toBe(v);
      }
      disposeParams(params);
      for (const [key, { values }] of Object.entries(spec)) {
        await expectClose(vars[key] as tf.Tensor, values.map(Math.fround), { rtol: 0, atol: 0 });
      }
    } finally {
      disposeParams(vars);
    }
    expect(tf.engine().registeredVariables['tv1/dense1/kernel']).toBeUndefined();
  });

  it('never changes the input when a variable is updated', async () => {
    const params = { w: tf.tensor([1, 2]) };
    const vars = toVariables(params, { trainable: false, prefix: 'tv2/' });
    expect((vars.w as tf.Variable).trainable).toBe(false);
    (vars.w as tf.Variable).assign(tf.tensor([5, 6]));
    await expectClose(params.w, [1, 2], { rtol: 0, atol: 0 });
    await expectClose(vars.w as tf.Tensor, [5, 6], { rtol: 0, atol: 0 });
    disposeParams(vars);
    disposeParams(params);
  });

  it('refuses names tfjs already holds, before creating any variable', () => {
    const params = { a: tf.zeros([2]), b: tf.zeros([2]) };
    const existing = tf.variable(tf.zeros([2]), true, 'tv3/b');
    const before = tf.memory().numTensors;
    const registered = Object.keys(tf.engine().registeredVariables).length;
    expectDescentError(
      () => toVariables(params, { prefix: 'tv3/' }),
      'BAD_ARGUMENT',
      '"tv3/b"',
      'prefix',
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(tf.engine().registeredVariables)).toHaveLength(registered);
    existing.dispose();
    disposeParams(params);
  });

  it('rejects options of the wrong type', () => {
    const params = { a: tf.zeros([2]) };
    expectDescentError(
      () => toVariables(params, { prefix: 3 as unknown as string }),
      'BAD_ARGUMENT',
      'options.prefix',
    );
    expectDescentError(
      () => toVariables(params, { trainable: 'yes' as unknown as boolean }),
      'BAD_ARGUMENT',
      'options.trainable',
    );
    disposeParams(params);
  });

  it('views variables as a frozen Params map of the same tensors', async () => {
    const params = { w: tf.tensor([[1, 2]]) };
    const vars = toVariables(params, { prefix: 'tv4/' });
    await expectNoLeaks(() => {
      const view = fromVariables(vars);
      expect(view.w).toBe(vars.w);
      expect(Object.isFrozen(view)).toBe(true);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(view.w as tf.Tensor);
      g.dispose();
    });
    disposeParams(vars);
    disposeParams(params);
  });
});

forEachBackend('flattenParams / unflattenParams', () => {
  it('concatenates in sorted key order, row-major', async () => {
    const params = {
      b: tf.tensor([[5, 6, 7]]),
      a: tf.tensor([
        [1, 2],
        [3, 4],
      ]),
      c: tf.tensor([8, 9], [2], 'int32'),
    };
    await expectNoLeaks(async () => {
      const flat = flattenParams(params);
      expect(flat.shape).toEqual([9]);
      expect(flat.dtype).toBe('float32');
      await expectClose(flat, [1, 2, 3, 4, 5, 6, 7, 8, 9], { rtol: 0, atol: 0 });
      flat.dispose();
    });
    disposeParams(params);
  });

  it('round-trips: unflatten(flatten(p), p) = p with shapes and dtypes', async () => {
    const params = makeParams();
    params.count = tf.tensor([1, 2, 3], [3], 'int32');
    params.scalar = tf.scalar(-3.5);
    params.empty = tf.zeros([2, 0]);
    await expectNoLeaks(async () => {
      const flat = flattenParams(params);
      const back = unflattenParams(flat, params);
      flat.dispose();
      expect(Object.keys(back).sort()).toEqual(Object.keys(params).sort());
      for (const key of Object.keys(params)) {
        const original = params[key] as tf.Tensor;
        const restored = back[key] as tf.Tensor;
        expect(restored.shape, key).toEqual(original.shape);
        expect(restored.dtype, key).toBe(original.dtype);
        await expectClose(restored, original, { rtol: 0, atol: 0 });
      }
      disposeParams(back);
    });
    disposeParams(params);
  });

  it('handles the empty map', async () => {
    const flat = flattenParams({});
    expect(flat.shape).toEqual([0]);
    expect(unflattenParams(flat, {})).toEqual({});
    flat.dispose();
  });

  it('rejects a vector of the wrong length, naming both shapes', () => {
    const like = { w: tf.zeros([2, 3]), b: tf.zeros([3]) };
    const short = tf.zeros([8]);
    const matrix = tf.zeros([3, 3]);
    expectDescentError(() => unflattenParams(short, like), 'SHAPE_MISMATCH', '[8]', 'expected [9]');
    expectDescentError(() => unflattenParams(matrix, like), 'SHAPE_MISMATCH', '[3, 3]', '[9]');
    disposeParams({ short, matrix, ...like });
  });
});

forEachBackend('checkParams / checkSameStructure', () => {
  it('accepts a map of live tensors, including the empty map', () => {
    const params = makeParams();
    expect(() => checkParams('params', params)).not.toThrow();
    expect(() => checkParams('params', {})).not.toThrow();
    const grads = zerosFor(params);
    expect(() => checkSameStructure('params', params, 'grads', grads)).not.toThrow();
    disposeParams(params);
    disposeParams(grads);
  });

  it('rejects what is not a map of tensors (BAD_ARGUMENT)', () => {
    const t = tf.zeros([2, 2]);
    expectDescentError(
      () => checkParams('params', t),
      'BAD_ARGUMENT',
      'single tensor of shape [2, 2]',
    );
    expectDescentError(() => checkParams('params', [t]), 'BAD_ARGUMENT', 'array');
    expectDescentError(() => checkParams('params', new Map([['w', t]])), 'BAD_ARGUMENT', 'Map');
    expectDescentError(() => checkParams('params', null), 'BAD_ARGUMENT', 'null');
    expectDescentError(() => checkParams('grads', { w: [1, 2] }), 'BAD_ARGUMENT', 'grads["w"]');
    t.dispose();
  });

  it('names a disposed entry and its shape (DISPOSED)', () => {
    const params = makeParams();
    (params['dense1/bias'] as tf.Tensor).dispose();
    expectDescentError(
      () => checkParams('grads', params),
      'DISPOSED',
      'grads["dense1/bias"]',
      '[3]',
    );
    expectDescentError(() => paramCount(params), 'DISPOSED', 'dense1/bias');
    expectDescentError(() => cloneParams(params), 'DISPOSED', 'dense1/bias');
    disposeParams(params);
  });

  it('compares structures: missing, extra, shape', () => {
    const a = { w: tf.zeros([2, 3]), b: tf.zeros([3]) };
    const missing = { w: tf.zeros([2, 3]) };
    const shape = { w: tf.zeros([2, 3]), b: tf.zeros([4]) };
    expectDescentError(
      () => checkSameStructure('params', a, 'grads', missing),
      'UNKNOWN_PARAM',
      'missing "b"',
    );
    expectDescentError(
      () => checkSameStructure('params', missing, 'grads', a),
      'UNKNOWN_PARAM',
      'extra "b"',
    );
    expectDescentError(
      () => checkSameStructure('params', a, 'grads', shape),
      'SHAPE_MISMATCH',
      'params["b"] has shape [3]',
      'grads["b"] has shape [4]',
    );
    disposeParams({ ...a, m: missing.w, s1: shape.w, s2: shape.b });
  });
});

forEachBackend(
  'dtype checks',
  () => {
    it('rejects complex64 tensors with DTYPE_MISMATCH before allocating', () => {
      const params = { z: tf.complex([1, 2], [3, 4]), w: tf.zeros([2]) };
      const before = tf.memory().numTensors;
      expectDescentError(() => cloneParams(params), 'DTYPE_MISMATCH', 'params["z"]', 'complex64');
      expectDescentError(() => globalNorm(params), 'DTYPE_MISMATCH', 'complex64');
      expectDescentError(() => flattenParams(params), 'DTYPE_MISMATCH', 'complex64');
      expectDescentError(
        () => toVariables(params, { prefix: 'dt/' }),
        'DTYPE_MISMATCH',
        'complex64',
      );
      expect(tf.memory().numTensors).toBe(before);
      disposeParams(params);
    });
  },
  { backends: ['cpu'] },
);

describe('mapParams argument checks', () => {
  it('rejects a non-function fn', () => {
    expectDescentError(() => mapParams({}, 3 as never), 'BAD_ARGUMENT', 'fn');
  });
});

/** Same-structure zeros for a map (test helper). */
function zerosFor(params: Params): Params {
  const out: Params = {};
  for (const [key, t] of Object.entries(params)) out[key] = tf.zerosLike(t);
  return out;
}
