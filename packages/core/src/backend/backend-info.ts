/** The tfjs backends descent targets, in its default order of preference. */
export type BackendName = 'webgpu' | 'wasm' | 'cpu';

/** Every backend descent knows, best first. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/**
 * One preferred backend passed over, and why.
 *
 * - `name`: the backend.
 * - `reason`: one line, no file paths (e.g. `the optional peer "webgpu" (Dawn for Node) could not
 *   be loaded: Cannot find package 'webgpu'`).
 * - `adapter`: set only when webgpu did have an adapter but a software one (SwiftShader, llvmpipe,
 *   …), passed over for wasm: its vendor and architecture (e.g. `google swiftshader`). Such an entry
 *   is no failure and is not announced; every other entry is a backend that could not start.
 */
export interface BackendFallback {
  name: BackendName;
  reason: string;
  adapter?: string;
}

/**
 * What {@link useBackend} got.
 *
 * - `name`: the active tfjs backend.
 * - `reason`: why this one: `'requested by name'` (a single name was asked for),
 *   `'first available'` (the first of the order that started; `fallbacks` lists the ones before
 *   it), or `'wasm ahead of software webgpu adapter (google swiftshader)'` (webgpu had only a
 *   software adapter, and wasm is faster there).
 * - `simd`: wasm only, whether the SIMD build of the tfjs wasm backend runs.
 * - `threads`: wasm only, the number of threads of the tfjs wasm backend (1 in Node).
 * - `adapter`: webgpu only, the adapter's vendor and architecture (e.g. `google swiftshader`).
 * - `softwareAdapter`: webgpu only, whether that adapter is a software or fallback one.
 * - `fallbacks`: every preferred backend passed over, in the order they were tried, and why
 *   (empty when the first choice worked), including a software webgpu adapter passed over for
 *   wasm (the entry with `adapter`).
 * - `gradients`: where gradient functions come from (`'registered'` if something else had
 *   already registered them, `'loaded'` if descent loaded tfjs-core's own).
 *
 * @example
 * ```ts
 * // a machine without a GPU, where Dawn offers SwiftShader:
 * {
 *   name: 'wasm', reason: 'wasm ahead of software webgpu adapter (google swiftshader)',
 *   simd: true, threads: 1,
 *   fallbacks: [{ name: 'webgpu', reason: 'software adapter (google swiftshader): wasm is faster', adapter: 'google swiftshader' }],
 *   gradients: 'loaded',
 * }
 * ```
 */
export interface BackendInfo {
  name: BackendName;
  reason: string;
  simd?: boolean;
  threads?: number;
  adapter?: string;
  softwareAdapter?: boolean;
  fallbacks: BackendFallback[];
  gradients: 'registered' | 'loaded';
}
