import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { expectClose } from '../testing/expect-close';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { copyTensor } from './copy-tensor';

forEachBackend('copyTensor', () => {
  it('allocates a new buffer, where tf.clone may share one', async () => {
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    const shared = tf.clone(x);
    // cpu and webgpu share the buffer (the reason copyTensor exists); wasm happens to copy.
    if (tf.getBackend() !== 'wasm') expect(shared.dataId).toBe(x.dataId);
    shared.dispose();
    await expectNoLeaks(() => copyTensor(x).dispose()); // nothing but the result is allocated
    const copy = copyTensor(x);
    expect(copy.dataId).not.toBe(x.dataId);
    expect(tf.engine().backend.refCount(copy.dataId)).toBe(1);
    x.dispose();
    await expectClose(copy, [1, 2, 3, 4], { rtol: 0, atol: 0 });
    expect(copy.shape).toEqual([2, 2]);
    copy.dispose();
  });

  it('rejects disposed tensors and unsupported dtypes, naming the argument', () => {
    const x = tf.zeros([3]);
    x.dispose();
    const error = (() => {
      try {
        copyTensor(x, 'params["w"]');
      } catch (e) {
        return e;
      }
    })();
    expect(isDescentError(error) && error.code).toBe('DISPOSED');
    expect(String(error)).toContain('params["w"] (shape [3])');
    const s = tf.tensor(['a', 'b']);
    expect(() => copyTensor(s)).toThrow(/DTYPE_MISMATCH.*string/);
    s.dispose();
  });
});
