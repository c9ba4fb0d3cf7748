import * as tf from '@tensorflow/tfjs-core';
import { conciseReason } from './concise-reason';
import { type AdapterIdentity, adapterLabel, isSoftwareAdapter } from './software-adapter';

/** The adapter tfjs's webgpu backend would get, as seen before any device is made on it. */
export interface WebGpuAdapterProbe {
  /** Vendor and architecture, e.g. `google swiftshader`. */
  label: string;
  /** A software or fallback adapter (see {@link isSoftwareAdapter}). */
  software: boolean;
}

interface GpuAdapterLike extends Pick<AdapterIdentity, 'isFallbackAdapter'> {
  info?: AdapterIdentity;
  requestAdapterInfo?: () => Promise<AdapterIdentity>;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/**
 * Requests the adapter `@tensorflow/tfjs-backend-webgpu` will request (same power preference) and
 * reads what it is. No device is requested, so nothing is held once the adapter is collected.
 * Needs `navigator.gpu` (a browser, or Node after `provideWebGpuInNode`).
 *
 * @returns the adapter's label and whether it is software, or why there is none.
 */
export async function probeWebGpuAdapter(): Promise<WebGpuAdapterProbe | string> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return 'navigator.gpu is missing';
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: powerPreference() });
  } catch (e) {
    return `requestAdapter failed: ${conciseReason(e instanceof Error ? e.message : String(e))}`;
  }
  if (!adapter) return 'no WebGPU adapter available';
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
  const identity = readIdentity(info, adapter.isFallbackAdapter === true);
  return { label: adapterLabel(identity), software: isSoftwareAdapter(identity) };
}

/** `GPUAdapterInfo`'s fields are getters (not own properties), so they are read one by one. */
function readIdentity(info: AdapterIdentity, fallbackFlag: boolean): AdapterIdentity {
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: fallbackFlag || info.isFallbackAdapter === true,
  };
}

/** tfjs-backend-webgpu's own choice: `low-power` only when its flag asks for it. */
function powerPreference(): 'low-power' | 'high-performance' {
  try {
    return tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  } catch {
    return 'high-performance';
  }
}
