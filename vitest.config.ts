import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Every workspace package with a `src/` is a test project named after its folder (examples as
 * `example-<folder>`, so an example may share a package's name).
 */
const projects = ['packages', 'examples', 'bench'].flatMap((root) =>
  existsSync(root)
    ? root === 'bench'
      ? existsSync('bench/src')
        ? [{ dir: 'bench', name: 'bench' }]
        : []
      : readdirSync(root)
          .filter((d) => existsSync(`${root}/${d}/src`))
          .map((d) => ({ dir: `${root}/${d}`, name: root === 'examples' ? `example-${d}` : d }))
    : [],
);

export default defineConfig({
  resolve: { conditions: ['@descent/source'] },
  ssr: { resolve: { conditions: ['@descent/source'] } },
  test: {
    // WebGPU without a GPU: Dawn on SwiftShader's Vulkan driver (Debian's chromium package).
    env: {
      ...(process.env.VK_ICD_FILENAMES || !existsSync(SWIFTSHADER_ICD)
        ? {}
        : { VK_ICD_FILENAMES: SWIFTSHADER_ICD }),
      XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp',
    },
    setupFiles: [fileURLToPath(new URL('./tooling/vitest-setup.ts', import.meta.url))],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['verbose'] : ['default'],
    projects: [
      ...projects.map(({ dir, name }) => ({
        extends: true as const,
        test: { name, root: dir, include: ['src/**/*.test.ts'] },
      })),
      // The repository's own checks (export maps, changesets), tested on fixtures.
      { extends: true, test: { name: 'tooling', root: 'tooling', include: ['test/**/*.test.ts'] } },
    ],
  },
});
