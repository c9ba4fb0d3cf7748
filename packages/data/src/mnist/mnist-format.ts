import { DescentError } from '@descent/core';

/** Pixels per MNIST image (28 × 28). */
export const MNIST_PIXELS = 784;
/** Number of MNIST classes (digits 0–9). */
export const MNIST_CLASSES = 10;

/**
 * The 10 000 digits of the `mnist` package as bytes, in the package's order: all of class 0
 * (`src/digits/0.json`), then class 1, …, class 9 ("class-major"). Example `id` is
 * `pixels[id·784, (id+1)·784)` with label `labels[id]`.
 */
export interface MnistDigits {
  /** `count · 784` pixel bytes, 0 (background) … 255 (ink), row-major 28 × 28. */
  pixels: Uint8Array;
  /** `count` labels 0–9, non-decreasing (class-major order). */
  labels: Uint8Array;
}

/** Where {@link MnistDigits} came from: the process's memory, the binary cache file, or the JSON. */
export type MnistSource = 'memory' | 'cache' | 'json';

/** Result of a loader: the digits and where they came from. */
export interface LoadedMnist {
  digits: MnistDigits;
  source: MnistSource;
  /** The cache file read or written, when there is one (Node only). */
  cacheFile?: string;
}

/** Options of a loader. */
export interface MnistLoadOptions {
  /** Directory of the binary cache (Node only); `false` disables the file cache. */
  cacheDir?: string | false;
}

/**
 * Converts the `data` arrays of `src/digits/<d>.json` (values `round(byte/255, 3)`) back to the
 * original bytes: `byte = round(v · 255)`. This is exact: 1/255 ≈ 0.0039 exceeds the 0.001 grid,
 * so the 256 rounded values are distinct, and `|v − byte/255| ≤ 0.0005` keeps `v·255` within 0.13
 * of the byte.
 *
 * @throws DescentError `BAD_ARGUMENT` if an array's length is not a multiple of 784 or a value is
 *   outside [0, 1] (a damaged `mnist` package).
 */
export function digitsFromJson(perClass: readonly ArrayLike<number>[]): MnistDigits {
  let count = 0;
  perClass.forEach((data, digit) => {
    if (data.length % MNIST_PIXELS !== 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `mnist/src/digits/${digit}.json holds ${data.length} values, not a multiple of ${MNIST_PIXELS}.`,
      );
    }
    count += data.length / MNIST_PIXELS;
  });
  const pixels = new Uint8Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let offset = 0;
  perClass.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (!(v >= 0 && v <= 1)) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `mnist/src/digits/${digit}.json has value ${v} at index ${i}, outside [0, 1].`,
        );
      }
      pixels[offset * MNIST_PIXELS + i] = Math.round(v * 255);
    }
    const n = data.length / MNIST_PIXELS;
    labels.fill(digit, offset, offset + n);
    offset += n;
  });
  return { pixels, labels };
}

/** "DMNIST" + format version 1, then count, rows, cols, checksum (uint32, little-endian). */
const MAGIC = [0x44, 0x4d, 0x4e, 0x49, 0x53, 0x54, 0x00, 0x01];
const HEADER_BYTES = 24;

/**
 * The binary cache format (version 1, 7 850 024 bytes for 10 000 digits):
 * `"DMNIST\0\x01"` (8 bytes), then little-endian uint32 `count`, `28`, `28`, and the FNV-1a
 * checksum of everything after the header; then `count` label bytes, then `count · 784` pixel
 * bytes.
 */
export function encodeMnistCache(digits: MnistDigits): Uint8Array {
  const count = digits.labels.length;
  const out = new Uint8Array(HEADER_BYTES + count + digits.pixels.length);
  out.set(MAGIC, 0);
  out.set(digits.labels, HEADER_BYTES);
  out.set(digits.pixels, HEADER_BYTES + count);
  const view = new DataView(out.buffer);
  view.setUint32(8, count, true);
  view.setUint32(12, 28, true);
  view.setUint32(16, 28, true);
  view.setUint32(20, fnv1a(out, HEADER_BYTES), true);
  return out;
}

/**
 * Reads the binary cache format of {@link encodeMnistCache}; returns `null` for anything that is
 * not a complete, uncorrupted version-1 file (wrong magic, size or checksum), so the caller
 * rebuilds it. The returned arrays are views into `bytes`.
 */
export function decodeMnistCache(bytes: Uint8Array): MnistDigits | null {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  if (view.getUint32(12, true) !== 28 || view.getUint32(16, true) !== 28) return null;
  if (bytes.length !== HEADER_BYTES + count * (1 + MNIST_PIXELS)) return null;
  if (fnv1a(bytes, HEADER_BYTES) !== view.getUint32(20, true)) return null;
  const labels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count);
  if (labels.some((l) => l >= MNIST_CLASSES)) return null;
  return { labels, pixels: bytes.subarray(HEADER_BYTES + count) };
}

/** 32-bit FNV-1a of `bytes[start…]`. */
function fnv1a(bytes: Uint8Array, start: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 0;
}
