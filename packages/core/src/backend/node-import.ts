/**
 * A dynamic `import()` of an optional peer (`webgpu`, a tfjs backend) by a runtime specifier.
 * Bundlers are told to leave it alone, so an app that never installs the peer still builds;
 * in browsers, apps import the backend packages themselves (see the README).
 */
export function nodeImport<T = unknown>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}
