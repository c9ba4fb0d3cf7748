import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../testing/for-each-backend';
import { describeValue } from './describe-value';

describe('describeValue', () => {
  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [42, 'number 42'],
    [Number.NaN, 'number NaN'],
    [true, 'boolean true'],
    [3n, 'bigint 3'],
    ['relu6', '"relu6"'],
    ['', '""'],
    [[1, 2, 3], 'an array of length 3'],
    [new Float32Array(4), 'a Float32Array of length 4'],
    [new Map([['w', 1]]), 'a Map of size 1'],
    [new Set(), 'a Set of size 0'],
    [{}, 'an object with no keys'],
    [{ lr: 0.1 }, 'an object with key "lr"'],
    [{ a: 1, b: 2 }, 'an object with keys "a", "b"'],
    [Object.create(null), 'an object with no keys'],
    [new Date(0), 'an instance of Date'],
  ])('describes %o as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('names functions without printing their source', () => {
    function relu6() {}
    expect(describeValue(relu6)).toBe('a function (relu6)');
    expect(describeValue(() => 0)).toBe('a function');
  });

  it('cuts long strings and objects with many keys short', () => {
    const long = 'x'.repeat(100);
    expect(describeValue(long)).toBe(`"${'x'.repeat(40)}"… (100 characters)`);
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i]));
    expect(describeValue(many)).toBe(
      'an object with keys "k0", "k1", "k2", "k3", "k4", … (9 in all)',
    );
  });
});

forEachBackend(
  'describeValue of tensors',
  () => {
    it('gives the dtype and the shape, and says when the tensor is disposed', () => {
      const t = tf.zeros([2, 3], 'int32');
      expect(describeValue(t)).toBe('an int32 tensor of shape [2, 3]');
      t.dispose();
      expect(describeValue(t)).toBe('an int32 tensor of shape [2, 3] (disposed)');
      const s = tf.scalar(1);
      expect(describeValue(s)).toBe('a float32 tensor of shape []');
      s.dispose();
    });
  },
  { backends: ['cpu'] },
);
