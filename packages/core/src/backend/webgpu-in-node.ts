import { conciseReason } from './concise-reason';
import { nodeImport } from './node-import';

interface DawnModule {
  create(flags: string[]): unknown;
  globals: Record<string, unknown>;
}

/**
 * Gives Node the browser's `navigator.gpu` through the optional peer `webgpu` (Dawn), so
 * `@tensorflow/tfjs-backend-webgpu` can start. A no-op where `navigator.gpu` already exists.
 *
 * On a machine without a GPU, Dawn can run on SwiftShader's Vulkan driver: set
 * `VK_ICD_FILENAMES` to its ICD file (Debian's `chromium` package ships
 * `/usr/lib/chromium/vk_swiftshader_icd.json`; Vulkan's loader `libvulkan1` must be installed).
 *
 * @returns `null` when it worked, otherwise why not.
 */
export async function provideWebGpuInNode(): Promise<string | null> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return null;
  let dawn: DawnModule;
  try {
    dawn = await nodeImport<DawnModule>('webgpu');
  } catch (e) {
    return `the optional peer "webgpu" (Dawn for Node) could not be loaded: ${conciseReason(e instanceof Error ? e.message : String(e))}`;
  }
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis))
      Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create([]);
  if (g.navigator) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  }
  return null;
}
