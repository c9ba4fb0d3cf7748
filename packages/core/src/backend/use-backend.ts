import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { ensureGradients } from '../gradients/ensure-gradients';
import { checkOptions } from '../validate/check-options';
import { describeValue } from '../validate/describe-value';
import {
  BACKEND_NAMES,
  type BackendFallback,
  type BackendInfo,
  type BackendName,
} from './backend-info';
import { isNode } from './is-node';
import { nodeImport } from './node-import';
import { provideWebGpuInNode } from './webgpu-in-node';

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * Where the tfjs wasm backend finds its `.wasm` files (passed to its `setWasmPaths`). Not needed in
   * Node; in a bundled app, a URL prefix or a map of file name to URL.
   */
  wasmPaths?: string | Record<string, string>;
  /** Called once for every backend passed over. Default: `console.warn` of one line. */
  onFallback?: (fallback: BackendFallback) => void;
}

const PACKAGES: Record<BackendName, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/**
 * Picks the best available tfjs backend, in order of preference (default: webgpu → wasm → cpu),
 * makes it active, makes sure gradients work ({@link ensureGradients}) and reports what it got.
 * Falling back is announced (one `console.warn` line per backend passed over, or `onFallback`),
 * never silent; a single name is strict.
 *
 * In Node, backends that are installed but not yet imported are imported here, and webgpu runs
 * through the optional peer `webgpu` (Dawn). In browsers, import the backend packages you want
 * (`import '@tensorflow/tfjs-backend-webgpu'`) before calling this.
 *
 * @param prefer - one backend name (strict) or an ordered list; default `['webgpu', 'wasm', 'cpu']`.
 * @throws DescentError `BACKEND_UNAVAILABLE` if none of them starts, with each one's reason;
 *   `BAD_ARGUMENT` for an unknown name, a `prefer` that is neither a name nor a non-empty list of
 *   names, options that are no plain object or an `onFallback` that is no function, a `wasmPaths`
 *   that is neither a string nor an object; `UNKNOWN_PARAM` for an unknown option — all before
 *   any backend is touched.
 *
 * @example
 * ```ts
 * import { useBackend } from '@descent/core';
 * const info = await useBackend();           // e.g. { name: 'wasm', simd: true, threads: 1, fallbacks: [...] }
 * await useBackend('cpu');                   // exactly cpu, or throw
 * ```
 */
export async function useBackend(
  prefer: BackendName | readonly BackendName[] = BACKEND_NAMES,
  options: UseBackendOptions = {},
): Promise<BackendInfo> {
  const order = readPreference(prefer);
  readOptions(options);
  const fallbacks: BackendFallback[] = [];
  const announce =
    options.onFallback ??
    ((f: BackendFallback) =>
      console.warn(`descent: backend ${f.name} unavailable (${f.reason}); trying the next.`));
  for (const name of order) {
    const reason = await activate(name, options);
    if (reason === null) {
      const gradients = await ensureGradients();
      return { ...(await describeBackend(name)), fallbacks, gradients };
    }
    const fallback = { name, reason };
    fallbacks.push(fallback);
    if (name !== order[order.length - 1]) announce(fallback);
  }
  throw new DescentError(
    'BACKEND_UNAVAILABLE',
    `no requested backend could start: ${fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}.`,
  );
}

/** The backends to try, in order: `prefer` checked to be a name or a non-empty list of names. */
function readPreference(prefer: unknown): BackendName[] {
  const list = typeof prefer === 'string' ? [prefer] : Array.isArray(prefer) ? [...prefer] : null;
  if (list === null || list.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `prefer must be a backend name or a non-empty list of them (${BACKEND_NAMES.join(', ')}), got ${describeValue(prefer)}.`,
    );
  }
  for (const name of list) {
    if (!BACKEND_NAMES.includes(name as BackendName)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `prefer holds unknown backend ${typeof name === 'string' ? JSON.stringify(name) : describeValue(name)}; known: ${BACKEND_NAMES.join(', ')}.`,
      );
    }
  }
  return list as BackendName[];
}

/** Checks {@link UseBackendOptions}: known keys, a function `onFallback`, string or map `wasmPaths`. */
function readOptions(options: unknown): asserts options is UseBackendOptions {
  checkOptions('useBackend', options, ['wasmPaths', 'onFallback']);
  const { wasmPaths, onFallback } = options as Record<string, unknown>;
  if (onFallback !== undefined && typeof onFallback !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `useBackend options.onFallback must be a function, got ${describeValue(onFallback)}.`,
    );
  }
  const pathsOk =
    wasmPaths === undefined ||
    typeof wasmPaths === 'string' ||
    (typeof wasmPaths === 'object' &&
      wasmPaths !== null &&
      !Array.isArray(wasmPaths) &&
      Object.values(wasmPaths).every((v) => typeof v === 'string'));
  if (!pathsOk) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `useBackend options.wasmPaths must be a URL prefix or a map of file name to URL, got ${describeValue(wasmPaths)}.`,
    );
  }
}

async function activate(name: BackendName, options: UseBackendOptions): Promise<string | null> {
  if (tf.getBackend() === name && tf.findBackend(name)) return null;
  if (name === 'webgpu' && isNode()) {
    const missing = await provideWebGpuInNode();
    if (missing) return missing;
  }
  if (!tf.findBackendFactory(name)) {
    const missing = await importBackendPackage(name);
    if (missing) return missing;
  }
  if (name === 'wasm' && options.wasmPaths !== undefined) {
    const wasm = await nodeImport<{ setWasmPaths(p: unknown): void }>(PACKAGES.wasm);
    wasm.setWasmPaths(options.wasmPaths);
  }
  const ok = await silenceTfjsErrors(() => tf.setBackend(name));
  if (!ok)
    return name === 'webgpu'
      ? 'no WebGPU adapter or device could be created'
      : `tf.setBackend('${name}') failed`;
  return null;
}

async function importBackendPackage(name: BackendName): Promise<string | null> {
  if (!isNode()) return `not registered: add \`import '${PACKAGES[name]}';\` before useBackend`;
  try {
    await nodeImport(PACKAGES[name]);
  } catch {
    return `the optional peer ${PACKAGES[name]} is not installed`;
  }
  return tf.findBackendFactory(name)
    ? null
    : `${PACKAGES[name]} did not register a backend named ${name}`;
}

/** tfjs logs a stack trace for a backend that fails to initialize; our fallback line says it once. */
async function silenceTfjsErrors<T>(fn: () => Promise<T>): Promise<T> {
  const original = console.warn;
  const originalError = console.error;
  console.warn = () => {};
  console.error = () => {};
  try {
    return await fn();
  } catch {
    return false as T;
  } finally {
    console.warn = original;
    console.error = originalError;
  }
}

async function describeBackend(
  name: BackendName,
): Promise<Omit<BackendInfo, 'fallbacks' | 'gradients'>> {
  if (name === 'wasm') {
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const wasm = (await nodeImport<{ getThreadsCount?: () => number }>(PACKAGES.wasm).catch(
      () => ({}),
    )) as {
      getThreadsCount?: () => number;
    };
    return { name, simd, threads: wasm.getThreadsCount?.() ?? 1 };
  }
  if (name === 'webgpu') {
    const info = (
      tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }
    ).adapterInfo;
    const adapter = [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'unknown';
    return { name, adapter };
  }
  return { name };
}
