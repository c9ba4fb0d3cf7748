import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdapterIdentity } from './software-adapter';
import { useBackend } from './use-backend';

// This worker's "webgpu" is a stand-in registered before anything imports
// @tensorflow/tfjs-backend-webgpu: it starts (no kernels are run on it) and counts its starts, and
// `navigator.gpu` hands out an adapter with the identity a test gives.
class StandInWebGpuBackend extends tf.KernelBackend {
  override dispose(): void {}
}

let webgpuStarts = 0;

function standInWebGpu(identity: AdapterIdentity): void {
  vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => ({ info: identity }) } });
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  webgpuStarts = 0;
  tf.registerBackend('webgpu', () => {
    webgpuStarts++;
    return new StandInWebGpuBackend();
  });
}

const SWIFTSHADER = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
};
const LLVMPIPE = { vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6)' };
const FLAGGED = { vendor: 'microsoft', architecture: 'warp', isFallbackAdapter: true };
const HARDWARE = { vendor: 'nvidia', architecture: 'ampere' };

describe('useBackend with a software webgpu adapter', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  // First in the file, while the real wasm backend has not started yet, so its factory can be
  // swapped for a failing one and back.
  it('falls back to the software adapter when wasm cannot start, before cpu', async () => {
    const wasmFactory = tf.findBackendFactory('wasm');
    expect(wasmFactory).not.toBeNull();
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', async () => {
      throw new Error('no wasm here');
    });
    try {
      standInWebGpu(SWIFTSHADER);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const info = await useBackend();
      expect(info).toEqual({
        name: 'webgpu',
        reason: 'first available',
        adapter: 'google swiftshader',
        softwareAdapter: true,
        fallbacks: [{ name: 'wasm', reason: "tf.setBackend('wasm') failed" }],
        gradients: expect.any(String),
      });
      expect(webgpuStarts).toBe(1);
      expect(warn.mock.calls).toEqual([
        ["descent: backend wasm unavailable (tf.setBackend('wasm') failed); trying the next."],
      ]);
    } finally {
      tf.removeBackend('wasm');
      tf.registerBackend('wasm', wasmFactory!, 2);
    }
  });

  it.each([
    ['SwiftShader', SWIFTSHADER, 'google swiftshader'],
    ['llvmpipe', LLVMPIPE, 'mesa'],
    ['an adapter flagged isFallbackAdapter', FLAGGED, 'microsoft warp'],
  ])(
    'puts wasm ahead of %s in the default order, quietly, and never starts webgpu',
    async (_, identity, label) => {
      standInWebGpu(identity);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const info = await useBackend();
      expect(info).toEqual({
        name: 'wasm',
        reason: `wasm ahead of software webgpu adapter (${label})`,
        simd: true,
        threads: 1,
        fallbacks: [
          { name: 'webgpu', reason: `software adapter (${label}): wasm is faster`, adapter: label },
        ],
        gradients: expect.any(String),
      });
      expect(tf.getBackend()).toBe('wasm');
      expect(webgpuStarts).toBe(0);
      expect(warn).not.toHaveBeenCalled();
    },
  );

  it('does the same for an explicit list that holds wasm', async () => {
    standInWebGpu(SWIFTSHADER);
    const info = await useBackend(['webgpu', 'wasm']);
    expect(info.name).toBe('wasm');
    expect(info.fallbacks.map((f) => f.adapter)).toEqual(['google swiftshader']);
    expect(webgpuStarts).toBe(0);
  });

  it('takes webgpu first on a hardware adapter', async () => {
    standInWebGpu(HARDWARE);
    const info = await useBackend();
    expect(info).toEqual({
      name: 'webgpu',
      reason: 'first available',
      adapter: 'nvidia ampere',
      softwareAdapter: false,
      fallbacks: [],
      gradients: expect.any(String),
    });
    expect(tf.getBackend()).toBe('webgpu');
    expect(webgpuStarts).toBe(1);
  });

  it('takes webgpu on a software adapter when asked for by name', async () => {
    standInWebGpu(SWIFTSHADER);
    const info = await useBackend('webgpu');
    expect(info).toMatchObject({
      name: 'webgpu',
      reason: 'requested by name',
      adapter: 'google swiftshader',
      softwareAdapter: true,
      fallbacks: [],
    });
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('keeps webgpu first on a software adapter with allowSoftwareWebGpu', async () => {
    standInWebGpu(SWIFTSHADER);
    const info = await useBackend(undefined, { allowSoftwareWebGpu: true });
    expect(info).toMatchObject({
      name: 'webgpu',
      reason: 'first available',
      softwareAdapter: true,
    });
  });

  it('keeps webgpu on a software adapter when the list holds no wasm', async () => {
    standInWebGpu(SWIFTSHADER);
    const info = await useBackend(['webgpu', 'cpu']);
    expect(info).toMatchObject({ name: 'webgpu', reason: 'first available', fallbacks: [] });
  });

  it('moves away from an active software webgpu when the default order is asked for again', async () => {
    standInWebGpu(SWIFTSHADER);
    await useBackend('webgpu');
    const info = await useBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
