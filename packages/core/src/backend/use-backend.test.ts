import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { hasGradients } from '../gradients/ensure-gradients';
import { useBackend } from './use-backend';

// In this test file's worker, "webgpu" is a backend that always fails to start, registered before
// anything imports @tensorflow/tfjs-backend-webgpu: it stands in for a machine without a GPU.
tf.registerBackend('webgpu', async () => {
  throw new Error('no adapter');
});

describe('useBackend', () => {
  it('activates exactly the named backend and reports it', async () => {
    const info = await useBackend('cpu');
    expect(info).toEqual({ name: 'cpu', fallbacks: [], gradients: expect.any(String) });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reports SIMD and threads on wasm', async () => {
    const info = await useBackend('wasm');
    expect(info).toMatchObject({ name: 'wasm', simd: true, threads: 1, fallbacks: [] });
  });

  it('announces each fallback on console.warn and lands on the next backend', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const info = await useBackend(['webgpu', 'wasm', 'cpu']);
    expect(info.name).toBe('wasm');
    expect(info.fallbacks).toEqual([
      { name: 'webgpu', reason: 'no WebGPU adapter or device could be created' },
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/backend webgpu unavailable.*trying the next/);
    warn.mockRestore();
  });

  it('passes fallbacks to onFallback instead, when given', async () => {
    const seen: string[] = [];
    const info = await useBackend(['webgpu', 'cpu'], { onFallback: (f) => seen.push(f.name) });
    expect(info.name).toBe('cpu');
    expect(seen).toEqual(['webgpu']);
  });

  it('throws BACKEND_UNAVAILABLE with every reason when nothing starts', async () => {
    const error = await useBackend('webgpu').catch((e: unknown) => e);
    expect(isDescentError(error) && error.code).toBe('BACKEND_UNAVAILABLE');
    expect(String(error)).toContain('webgpu: no WebGPU adapter');
  });

  it('rejects an unknown backend name with BAD_ARGUMENT', async () => {
    const error = await useBackend(['tpu' as 'cpu']).catch((e: unknown) => e);
    expect(isDescentError(error) && error.code).toBe('BAD_ARGUMENT');
    expect(String(error)).toContain('"tpu"');
  });

  it('makes tf.grad work with only tfjs-core and a backend', async () => {
    const info = await useBackend('wasm');
    expect(['loaded', 'registered']).toContain(info.gradients);
    expect(hasGradients()).toBe(true);
    const x = tf.tensor([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, v)))(x);
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
    tf.dispose([x, g]);
  });
});
