import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, it } from 'vitest';
import { BACKEND_NAMES, type BackendName } from '../backend/backend-info';
import { useBackend } from '../backend/use-backend';

/** Options of {@link forEachBackend}. */
export interface ForEachBackendOptions {
  /** Restrict to these backends (default: all, or the `DESCENT_BACKENDS` list, e.g. `cpu,wasm`). */
  backends?: readonly BackendName[];
}

const availability = new Map<BackendName, Promise<string | null>>();

/**
 * Runs a group of tests once per backend: cpu, wasm and webgpu, each in its own `describe`
 * whose title ends with `[cpu]`, `[wasm]` or `[webgpu]`; the backend is active in every test.
 *
 * A backend that cannot start is skipped with a one-line notice locally; with `CI=true` it is a
 * failing test instead, never a silent skip.
 *
 * @example
 * ```ts
 * forEachBackend('axpy', (backend) => {
 *   it('updates in place', async () => { ... });
 * });
 * ```
 */
export function forEachBackend(
  title: string,
  body: (backend: BackendName) => void,
  options: ForEachBackendOptions = {},
): void {
  for (const name of options.backends ?? selectedBackends()) {
    describe(`${title} [${name}]`, async () => {
      const missing = await probe(name);
      if (missing !== null) {
        if (isCi()) {
          it(`backend ${name} is available`, () => {
            throw new Error(`backend ${name} is unavailable under CI=true: ${missing}`);
          });
        } else {
          console.warn(`descent: skipping "${title}" on ${name}: ${missing}`);
          it.skip(`on ${name} (unavailable: ${missing})`, () => {});
        }
        return;
      }
      beforeEach(async () => {
        if (tf.getBackend() !== name) await tf.setBackend(name);
      });
      body(name);
    });
  }
}

function probe(name: BackendName): Promise<string | null> {
  let result = availability.get(name);
  if (!result) {
    result = useBackend(name, { onFallback: () => {} }).then(
      () => null,
      (e: Error) => e.message,
    );
    availability.set(name, result);
  }
  return result;
}

function selectedBackends(): readonly BackendName[] {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const list = env?.DESCENT_BACKENDS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) as BackendName[] | undefined;
  return list?.length ? list.filter((n) => BACKEND_NAMES.includes(n)) : BACKEND_NAMES;
}

function isCi(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.CI === 'true' || env?.CI === '1';
}
