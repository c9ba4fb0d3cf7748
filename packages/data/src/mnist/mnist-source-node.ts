// The Node loader of the MNIST digits. The package.json `browser` field maps its built files
// (dist/mnist-source-node.{js,cjs}) to mnist-source-browser's, so bundlers never see node:fs.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type LoadedMnist,
  type MnistDigits,
  type MnistLoadOptions,
  MNIST_CLASSES,
  decodeMnistCache,
  digitsFromJson,
  encodeMnistCache,
} from './mnist-format';

/** Format version of the cache file name; bump it when {@link encodeMnistCache} changes. */
const CACHE_VERSION = 1;

let memory: MnistDigits | undefined;
let pending: Promise<LoadedMnist> | undefined;

/**
 * Loads the 10 000 digits once per process: from memory if loaded before, else from the binary
 * cache file, else from the `mnist` package's JSON (then writes the cache file; failing to write
 * it only costs speed next time).
 */
export function loadMnistDigits(options: MnistLoadOptions = {}): Promise<LoadedMnist> {
  if (memory) return Promise.resolve({ digits: memory, source: 'memory' });
  if (pending) return pending.then(({ digits }) => ({ digits, source: 'memory' }));
  const load = loadFromDisk(options).then(
    (loaded) => {
      memory = loaded.digits;
      pending = undefined;
      return loaded;
    },
    (error: unknown) => {
      pending = undefined;
      throw error;
    },
  );
  pending = load;
  return load;
}

/** Forgets the in-memory copy (tests use it to exercise the file cache). */
export function resetMnistMemory(): void {
  memory = undefined;
  pending = undefined;
}

/**
 * The default cache directory: `$DESCENT_DATA_CACHE` if set, else
 * `<nearest ancestor of cwd with a node_modules>/node_modules/.cache/descent-data` (the
 * convention of babel, eslint and webpack loaders), else `<os.tmpdir()>/descent-data`.
 */
export function defaultMnistCacheDir(cwd: string = process.cwd()): string {
  const fromEnv = process.env.DESCENT_DATA_CACHE;
  if (fromEnv) return fromEnv;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) {
      return join(dir, 'node_modules', '.cache', 'descent-data');
    }
    if (dirname(dir) === dir) return join(tmpdir(), 'descent-data');
  }
}

async function loadFromDisk(options: MnistLoadOptions): Promise<LoadedMnist> {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('mnist/package.json');
  const version = (JSON.parse(await readFile(packageJson, 'utf8')) as { version?: string }).version;
  const fileName = `mnist-${version ?? 'unknown'}-v${CACHE_VERSION}.bin`;
  const dirs =
    options.cacheDir === false
      ? []
      : options.cacheDir !== undefined
        ? [options.cacheDir]
        : [...new Set([defaultMnistCacheDir(), join(tmpdir(), 'descent-data')])];

  for (const dir of dirs) {
    const file = join(dir, fileName);
    const bytes = await readFile(file).catch(() => null);
    const digits =
      bytes && decodeMnistCache(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    if (digits) return { digits, source: 'cache', cacheFile: file };
  }

  const digitsDir = join(dirname(packageJson), 'src', 'digits');
  const perClass = await Promise.all(
    Array.from({ length: MNIST_CLASSES }, async (_, d) => {
      const text = await readFile(join(digitsDir, `${d}.json`), 'utf8');
      return (JSON.parse(text) as { data: number[] }).data;
    }),
  );
  const digits = digitsFromJson(perClass);
  const encoded = encodeMnistCache(digits);
  for (const dir of dirs) {
    const file = join(dir, fileName);
    if (await writeAtomically(file, encoded)) return { digits, source: 'json', cacheFile: file };
  }
  return { digits, source: 'json' };
}

/** Writes `file` through a temporary file and a rename, so readers never see half a file. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<boolean> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, bytes);
    await rename(temp, file);
    return true;
  } catch {
    await unlink(temp).catch(() => {});
    return false;
  }
}
