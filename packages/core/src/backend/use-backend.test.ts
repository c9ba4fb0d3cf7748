import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { hasGradients } from '../gradients/ensure-gradients';
import { useBackend } from './use-backend';

// In this test file's worker, "webgpu" is a backend that always fails to start, registered before
// anything imports @tensorflow/tfjs-backend-webgpu, on an adapter that looks like a real GPU: it
// stands in for a machine whose GPU cannot make a device.
tf.registerBackend('webgpu', async () => {
  throw new Error('no adapter');
});
const hardwareGpu = {
  requestAdapter: async () => ({ info: { vendor: 'nvidia', architecture: 'ampere' } }),
};

describe('useBackend', () => {
  beforeEach(() => {
    vi.stubGlobal('navigator', { gpu: hardwareGpu });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  // First in the file: the cpu backend stores its first tensor here, which is when tfjs would
  // print its banner advising tfjs-node.
  it('activates exactly the named backend, says why, and keeps tfjs-node advice off the console', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tensorsBefore = tf.engine().state.numTensors;
    const prodBefore = tf.env().getBool('PROD');
    const info = await useBackend('cpu');
    expect(info).toEqual({
      name: 'cpu',
      reason: 'requested by name',
      fallbacks: [],
      gradients: expect.any(String),
    });
    expect(tf.getBackend()).toBe('cpu');
    tf.tensor([1, 2]).dispose();
    expect(warn).not.toHaveBeenCalled();
    expect(tf.engine().state.numTensors).toBe(tensorsBefore);
    expect(tf.env().getBool('PROD')).toBe(prodBefore);
  });

  it('reports SIMD and threads on wasm', async () => {
    const info = await useBackend('wasm');
    expect(info).toMatchObject({
      name: 'wasm',
      reason: 'requested by name',
      simd: true,
      threads: 1,
      fallbacks: [],
    });
  });

  it('announces each fallback on console.warn and lands on the next backend', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const info = await useBackend(['webgpu', 'wasm', 'cpu']);
    expect(info.name).toBe('wasm');
    expect(info.reason).toBe('first available');
    expect(info.fallbacks).toEqual([
      { name: 'webgpu', reason: 'no WebGPU adapter or device could be created' },
    ]);
    expect(warn.mock.calls).toEqual([
      [
        'descent: backend webgpu unavailable (no WebGPU adapter or device could be created); trying the next.',
      ],
    ]);
  });

  it('says why in one line, without file paths or a stack', async () => {
    const error = new Error(
      "Cannot find module '/srv/app/node_modules/webgpu/dist/linux-x64.dawn.node' imported from /srv/app/node_modules/webgpu/index.js\n    at load (/srv/app/node_modules/webgpu/index.js:3:9)",
    );
    vi.stubGlobal('navigator', {
      gpu: {
        requestAdapter: async () => {
          throw error;
        },
      },
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const info = await useBackend(['webgpu', 'cpu']);
    expect(info.name).toBe('cpu');
    expect(warn.mock.calls).toEqual([
      [
        "descent: backend webgpu unavailable (requestAdapter failed: Cannot find module 'linux-x64.dawn.node'); trying the next.",
      ],
    ]);
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

  it('rejects an allowSoftwareWebGpu that is no boolean with BAD_ARGUMENT', async () => {
    const error = await useBackend('cpu', { allowSoftwareWebGpu: 'yes' as never }).catch(
      (e: unknown) => e,
    );
    expect(isDescentError(error) && error.code).toBe('BAD_ARGUMENT');
    expect(String(error)).toContain('allowSoftwareWebGpu');
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
