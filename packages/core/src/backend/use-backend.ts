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
import { conciseReason } from './concise-reason';
import { isNode } from './is-node';
import { nodeImport } from './node-import';
import { type WebGpuAdapterProbe, probeWebGpuAdapter } from './probe-webgpu-adapter';
import { quietCpuNodeNotice } from './quiet-cpu-notice';
import { provideWebGpuInNode } from './webgpu-in-node';

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * Where the tfjs wasm backend finds its `.wasm` files (passed to its `setWasmPaths`). Not needed in
   * Node; in a bundled app, a URL prefix or a map of file name to URL.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Called once for every backend that could not start while another is left to try. Default:
   * `console.warn` of one line. A software webgpu adapter passed over for wasm is no failure: it
   * is recorded in {@link BackendInfo}'s `fallbacks`, not announced.
   */
  onFallback?: (fallback: BackendFallback) => void;
  /**
   * Keep webgpu where a list puts it even when its only adapter is a software one (SwiftShader,
   * llvmpipe, …). Default `false`: such an adapter ranks right behind wasm, which runs descent's
   * kernels faster on the same CPU. A single name is always taken as asked.
   */
  allowSoftwareWebGpu?: boolean;
}

const PACKAGES: Record<BackendName, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/**
 * Picks the best available tfjs backend, makes it active, makes sure gradients work
 * ({@link ensureGradients}) and reports what it got and why ({@link BackendInfo}).
 *
 * - A single name is strict: exactly that backend, even webgpu on a software adapter, or throw.
 * - A list (default `['webgpu', 'wasm', 'cpu']`) is tried in order, first available wins, with one
 *   exception: webgpu whose adapter is a software or fallback one (SwiftShader, llvmpipe, lavapipe,
 *   or flagged `isFallbackAdapter`) ranks right behind wasm when the list holds wasm, because wasm
 *   is faster on the same CPU (`options.allowSoftwareWebGpu` keeps it in place). The adapter is
 *   requested and inspected before tfjs's webgpu backend starts, so no device is made on it. Such
 *   a webgpu passed over is listed in `fallbacks` with its `adapter`.
 * - A backend that cannot start is announced (one `console.warn` line without file paths per
 *   backend, or `onFallback`), never silent.
 *
 * In Node, backends that are installed but not yet imported are imported here, and webgpu runs
 * through the optional peer `webgpu` (Dawn); on cpu, tfjs's banner advising `tfjs-node` (a backend
 * descent does not use) is not printed. In browsers, import the backend packages you want
 * (`import '@tensorflow/tfjs-backend-webgpu'`) before calling this.
 *
 * @param prefer - one backend name (strict) or an ordered list; default `['webgpu', 'wasm', 'cpu']`.
 * @throws DescentError `BACKEND_UNAVAILABLE` if none of them starts, with each one's reason;
 *   `BAD_ARGUMENT` for an unknown name, a `prefer` that is neither a name nor a non-empty list of
 *   names, options that are no plain object, an `onFallback` that is no function, a `wasmPaths`
 *   that is neither a string nor an object or an `allowSoftwareWebGpu` that is no boolean;
 *   `UNKNOWN_PARAM` for an unknown option — all before any backend is touched.
 *
 * @example
 * ```ts
 * import { useBackend } from '@descent/core';
 * const info = await useBackend();
 * // a GPU: { name: 'webgpu', reason: 'first available', adapter: 'nvidia ampere', ... }
 * // no GPU, Dawn on SwiftShader: { name: 'wasm', reason: 'wasm ahead of software webgpu adapter
 * //   (google swiftshader)', simd: true, threads: 1, fallbacks: [{ name: 'webgpu', adapter: ... }] }
 * await useBackend('webgpu');                // exactly webgpu (SwiftShader too), or throw
 * ```
 */
export async function useBackend(
  prefer: BackendName | readonly BackendName[] = BACKEND_NAMES,
  options: UseBackendOptions = {},
): Promise<BackendInfo> {
  const order = readPreference(prefer);
  readOptions(options);
  const byName = typeof prefer === 'string';
  const demoteSoftware = !byName && options.allowSoftwareWebGpu !== true;
  const announce = options.onFallback ?? announceOnConsole;
  const fallbacks: BackendFallback[] = [];
  const queue = [...order];
  let deferred: BackendFallback | undefined;
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (deferred && name === 'webgpu') remove(fallbacks, deferred);
    const mayDefer = demoteSoftware && !deferred && queue.includes('wasm');
    const outcome = await attempt(name, options, mayDefer);
    if (outcome.kind === 'started') {
      const gradients = await ensureGradients();
      const described = await describeBackend(name, outcome.adapter);
      const reason = byName ? 'requested by name' : choiceReason(name, deferred, fallbacks);
      return { name, reason, ...described, fallbacks, gradients };
    }
    if (outcome.kind === 'software') {
      deferred = deferSoftwareWebGpu(queue, outcome.adapter);
      fallbacks.push(deferred);
      continue;
    }
    const fallback = { name, reason: outcome.reason };
    fallbacks.push(fallback);
    if (queue.length > 0) announce(fallback);
  }
  throw new DescentError(
    'BACKEND_UNAVAILABLE',
    `no requested backend could start: ${fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}.`,
  );
}

type Attempt =
  | { kind: 'started'; adapter?: WebGpuAdapterProbe }
  | { kind: 'software'; adapter: WebGpuAdapterProbe }
  | { kind: 'failed'; reason: string };

/** Prepares and starts `name`, unless it is webgpu on a software adapter and `mayDefer`. */
async function attempt(
  name: BackendName,
  options: UseBackendOptions,
  mayDefer: boolean,
): Promise<Attempt> {
  const ready = await prepare(name, options);
  if (typeof ready === 'string') return { kind: 'failed', reason: conciseReason(ready) };
  if (ready.adapter?.software && mayDefer) return { kind: 'software', adapter: ready.adapter };
  const failed = await start(name);
  return failed === null
    ? { kind: 'started', adapter: ready.adapter }
    : { kind: 'failed', reason: failed };
}

/** `BackendInfo.reason` for a backend reached by going down a list. */
function choiceReason(
  name: BackendName,
  deferred: BackendFallback | undefined,
  fallbacks: readonly BackendFallback[],
): string {
  return name === 'wasm' && deferred && fallbacks.includes(deferred)
    ? `wasm ahead of software webgpu adapter (${deferred.adapter})`
    : 'first available';
}

/** The default notice: one line, the reason already free of paths and stacks. */
function announceOnConsole(fallback: BackendFallback): void {
  console.warn(
    `descent: backend ${fallback.name} unavailable (${fallback.reason}); trying the next.`,
  );
}

/** Moves webgpu right behind wasm in `queue` and says why. */
function deferSoftwareWebGpu(queue: BackendName[], adapter: WebGpuAdapterProbe): BackendFallback {
  queue.splice(queue.indexOf('wasm') + 1, 0, 'webgpu');
  return {
    name: 'webgpu',
    reason: `software adapter (${adapter.label}): wasm is faster`,
    adapter: adapter.label,
  };
}

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
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

/**
 * Checks {@link UseBackendOptions}: known keys, a function `onFallback`, string or map `wasmPaths`,
 * boolean `allowSoftwareWebGpu`.
 */
function readOptions(options: unknown): asserts options is UseBackendOptions {
  checkOptions('useBackend', options, ['wasmPaths', 'onFallback', 'allowSoftwareWebGpu']);
  const { wasmPaths, onFallback, allowSoftwareWebGpu } = options as Record<string, unknown>;
  if (allowSoftwareWebGpu !== undefined && typeof allowSoftwareWebGpu !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `useBackend options.allowSoftwareWebGpu must be a boolean, got ${describeValue(allowSoftwareWebGpu)}.`,
    );
  }
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

/**
 * Makes `name` ready to start: `navigator.gpu` and the backend package in Node, the wasm paths,
 * and for webgpu the adapter it would run on.
 *
 * @returns what is known before starting it, or why it cannot start.
 */
async function prepare(
  name: BackendName,
  options: UseBackendOptions,
): Promise<{ adapter?: WebGpuAdapterProbe } | string> {
  if (!(tf.getBackend() === name && tf.findBackend(name))) {
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
  }
  if (name !== 'webgpu') return {};
  const adapter = await probeWebGpuAdapter();
  return typeof adapter === 'string' ? adapter : { adapter };
}

/** Activates `name` (a no-op when it already is). @returns `null`, or why it failed. */
async function start(name: BackendName): Promise<string | null> {
  if (tf.getBackend() === name && tf.findBackend(name)) return null;
  const ok = await silenceTfjsErrors(() => tf.setBackend(name));
  if (!ok)
    return name === 'webgpu'
      ? 'no WebGPU adapter or device could be created'
      : `tf.setBackend('${name}') failed`;
  if (name === 'cpu' && isNode()) quietCpuNodeNotice();
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

/** What `BackendInfo` says about the backend itself: wasm's SIMD and threads, webgpu's adapter. */
async function describeBackend(
  name: BackendName,
  adapter: WebGpuAdapterProbe | undefined,
): Promise<Pick<BackendInfo, 'simd' | 'threads' | 'adapter' | 'softwareAdapter'>> {
  if (name === 'wasm') {
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const wasm = (await nodeImport<{ getThreadsCount?: () => number }>(PACKAGES.wasm).catch(
      () => ({}),
    )) as {
      getThreadsCount?: () => number;
    };
    return { simd, threads: wasm.getThreadsCount?.() ?? 1 };
  }
  if (name === 'webgpu') {
    return {
      adapter: adapter?.label ?? 'unknown',
      softwareAdapter: adapter?.software ?? false,
    };
  }
  return {};
}
