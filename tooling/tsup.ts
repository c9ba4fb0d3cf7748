import { defineConfig, type Options } from 'tsup';

/**
 * The one build config every package uses: dual ESM + CJS, separate `.d.ts`/`.d.cts`,
 * every dependency and peer left external (tfjs must never be bundled).
 */
export function descentBuild(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    treeshake: true,
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
    external: [/^@tensorflow\//, /^@descent\//, 'webgpu', 'vitest', /^node:/],
    ...overrides,
  });
}
