import type { Options } from 'tsup';
import { descentBuild } from '../../tooling/tsup';

/**
 * Keeps the MNIST loader a separate file: `src/mnist/mnist.ts` imports './mnist-source-node',
 * which the index bundle imports as `./mnist-source-node.js` (ESM) / `.cjs` (CJS), so the
 * package.json `browser` field can swap it for `./mnist-source-browser.*` in bundlers.
 */
const separateMnistLoader: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'separate-mnist-loader',
  setup(build) {
    // tsup builds CJS as ESM then converts it, so read the format from its TSUP_FORMAT define.
    const ext = build.initialOptions.define?.TSUP_FORMAT === '"cjs"' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\/mnist-source-node$/ }, () => ({
      path: `./mnist-source-node${ext}`,
      external: true,
    }));
  },
};

export default descentBuild(
  {
    index: 'src/index.ts',
    'mnist-source-node': 'src/mnist/mnist-source-node.ts',
    'mnist-source-browser': 'src/mnist/mnist-source-browser.ts',
  },
  { splitting: false, shims: true, esbuildPlugins: [separateMnistLoader] },
);
