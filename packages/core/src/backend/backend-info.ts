/** The tfjs backends descent targets, in its default order of preference. */
export type BackendName = 'webgpu' | 'wasm' | 'cpu';

/** Every backend descent knows, best first. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** Why one preferred backend was passed over. */
export interface BackendFallback {
  name: BackendName;
  reason: string;
}

/**
 * What {@link useBackend} got.
 *
 * - `name`: the active tfjs backend.
 * - `simd`: wasm only, whether the SIMD build of the tfjs wasm backend runs.
 * - `threads`: wasm only, the number of threads of the tfjs wasm backend (1 in Node).
 * - `adapter`: webgpu only, the adapter's vendor and architecture (e.g. `google swiftshader`).
 * - `fallbacks`: every preferred backend that was tried first and why it failed (empty when the
 *   first choice worked).
 * - `gradients`: where gradient functions come from (`'registered'` if something else had
 *   already registered them, `'loaded'` if descent loaded tfjs-core's own).
 */
export interface BackendInfo {
  name: BackendName;
  simd?: boolean;
  threads?: number;
  adapter?: string;
  fallbacks: BackendFallback[];
  gradients: 'registered' | 'loaded';
}
