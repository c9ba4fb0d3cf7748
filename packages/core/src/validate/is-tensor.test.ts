import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { forEachBackend } from '../testing/for-each-backend';
import { isTensor } from './is-tensor';

forEachBackend(
  'isTensor',
  () => {
    it('recognizes tensors, live or disposed, by shape rather than class', () => {
      const t = tf.ones([2]);
      expect(isTensor(t)).toBe(true);
      t.dispose();
      expect(isTensor(t)).toBe(true);
      expect(isTensor({ dataId: {}, shape: [2], dtype: 'float32' })).toBe(true);
    });

    it('rejects everything else', () => {
      for (const value of [null, undefined, 1, 'w', [1, 2], { shape: [2], dtype: 'float32' }]) {
        expect(isTensor(value)).toBe(false);
      }
    });
  },
  { backends: ['cpu'] },
);
