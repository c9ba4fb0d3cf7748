import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeWebGpuAdapter } from './probe-webgpu-adapter';

/** `GPUAdapterInfo` exposes its fields as getters on the prototype, not as own properties. */
class AdapterInfoLike {
  get vendor() {
    return 'google';
  }
  get architecture() {
    return 'swiftshader';
  }
  get isFallbackAdapter() {
    return false;
  }
}

function stubGpu(requestAdapter: (options?: { powerPreference?: string }) => Promise<unknown>) {
  const spy = vi.fn(requestAdapter);
  vi.stubGlobal('navigator', { gpu: { requestAdapter: spy } });
  return spy;
}

describe('probeWebGpuAdapter', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("reads the adapter's info getters, asking for the high-performance adapter as tfjs does", async () => {
    const request = stubGpu(async () => ({ info: new AdapterInfoLike() }));
    expect(await probeWebGpuAdapter()).toEqual({ label: 'google swiftshader', software: true });
    expect(request).toHaveBeenCalledWith({ powerPreference: 'high-performance' });
  });

  it('honours isFallbackAdapter on the adapter and asks older adapters through requestAdapterInfo', async () => {
    stubGpu(async () => ({
      isFallbackAdapter: true,
      requestAdapterInfo: async () => ({ vendor: 'intel', architecture: 'gen-12lp' }),
    }));
    expect(await probeWebGpuAdapter()).toEqual({ label: 'intel gen-12lp', software: true });
  });

  it('sees a hardware adapter as such', async () => {
    stubGpu(async () => ({ info: { vendor: 'nvidia', architecture: 'ampere' } }));
    expect(await probeWebGpuAdapter()).toEqual({ label: 'nvidia ampere', software: false });
  });

  it('says why when there is no adapter, or no navigator.gpu', async () => {
    stubGpu(async () => null);
    expect(await probeWebGpuAdapter()).toBe('no WebGPU adapter available');
    stubGpu(async () => {
      throw new Error('Vulkan loader missing\n    at x (/a/b.js:1:1)');
    });
    expect(await probeWebGpuAdapter()).toBe('requestAdapter failed: Vulkan loader missing');
    vi.stubGlobal('navigator', {});
    expect(await probeWebGpuAdapter()).toBe('navigator.gpu is missing');
  });
});
