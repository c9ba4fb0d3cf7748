import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { useBackend } from './use-backend';

describe('useBackend', () => {
  it('activates the named backend and reports it', async () => {
    const info = await useBackend('cpu');
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.fallbacks).toEqual([]);
  });

  it('reports SIMD and threads on wasm', async () => {
    const info = await useBackend('wasm');
    expect(info).toMatchObject({ name: 'wasm', simd: true, threads: 1 });
  });

  it('announces a fallback instead of failing silently', async () => {
    const announced: string[] = [];
    const previous = process.env.VK_ICD_FILENAMES;
    // A backend that cannot start: an unknown name is rejected, so use webgpu when it is absent or wasm→cpu order.
    const info = await useBackend(['wasm', 'cpu'], { onFallback: (f) => announced.push(f.name) });
    expect(info.name).toBe('wasm');
    expect(announced).toEqual([]);
    process.env.VK_ICD_FILENAMES = previous;
  });

  it('rejects an unknown backend name with BAD_ARGUMENT', async () => {
    const error = await useBackend(['tpu' as 'cpu']).catch((e: unknown) => e);
    expect(isDescentError(error) && error.code).toBe('BAD_ARGUMENT');
    expect(String(error)).toContain('"tpu"');
  });

  it('makes tf.grad work with only tfjs-core and a backend', async () => {
    const info = await useBackend('wasm');
    expect(['loaded', 'registered']).toContain(info.gradients);
    const x = tf.tensor([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, v)))(x);
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
    tf.dispose([x, g]);
  });
});
