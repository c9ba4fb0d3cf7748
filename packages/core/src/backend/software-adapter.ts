/** What a WebGPU adapter says about itself (`GPUAdapter.info`, plus the older top-level flag). */
export interface AdapterIdentity {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Drivers that run WebGPU on the CPU: Google's SwiftShader, Mesa's llvmpipe/lavapipe/softpipe, WARP. */
const SOFTWARE_DRIVER =
  /swiftshader|llvmpipe|lavapipe|softpipe|basic render driver|\bsoftware\b|\bcpu\b/i;

/**
 * True for a software or fallback adapter: the browser (or Dawn) flags it `isFallbackAdapter`, or
 * its vendor, architecture, device or description names a CPU rasterizer (SwiftShader, llvmpipe,
 * lavapipe, softpipe, Microsoft's Basic Render Driver) or says "software" or "cpu". Such an
 * adapter runs descent's kernels slower than tfjs's wasm backend.
 */
export function isSoftwareAdapter(identity: AdapterIdentity): boolean {
  if (identity.isFallbackAdapter === true) return true;
  const { vendor, architecture, device, description } = identity;
  return [vendor, architecture, device, description].some(
    (field) => typeof field === 'string' && SOFTWARE_DRIVER.test(field),
  );
}

/**
 * The adapter as `BackendInfo.adapter` names it: vendor and architecture (`google swiftshader`),
 * else its description or device, else `unknown`.
 */
export function adapterLabel(identity: AdapterIdentity): string {
  const label = [identity.vendor, identity.architecture].filter(Boolean).join(' ');
  return label || identity.description || identity.device || 'unknown';
}
