const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * MurmurHash3 x86_32 (Austin Appleby, public domain) of `bytes` with a 32-bit `seed`; returns a
 * uint32. Used to turn strings (seeds, child names) into numbers; read the 4-byte blocks
 * little-endian exactly as the reference `MurmurHash3_x86_32`, so results match other ports.
 *
 * @example
 * ```ts
 * murmur3x86x32(utf8('The quick brown fox jumps over the lazy dog'), 0); // 0x2e4ff723
 * ```
 */
export function murmur3x86x32(bytes: Uint8Array, seed: number): number {
  const n = bytes.length;
  const blocks = n - (n % 4);
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    const k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    h ^= mixK(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n - blocks;
  if (tail > 0) {
    let k = bytes[blocks]!;
    if (tail > 1) k |= bytes[blocks + 1]! << 8;
    if (tail > 2) k |= bytes[blocks + 2]! << 16;
    h ^= mixK(k);
  }
  h ^= n;
  return fmix32(h);
}

function mixK(k: number): number {
  let x = Math.imul(k, C1);
  x = (x << 15) | (x >>> 17);
  return Math.imul(x, C2);
}

/** MurmurHash3's 32-bit finalizer: a bijection on uint32 with full avalanche. */
function fmix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of `text` (lone surrogates become U+FFFD, as `TextEncoder` specifies). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
