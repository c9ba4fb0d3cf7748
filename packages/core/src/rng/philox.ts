// Philox4x32 constants from Salmon, Moraes, Dror & Shaw, "Parallel Random Numbers: As Easy as
// 1, 2, 3" (SC'11), as defined in Random123's `philox.h`: the two round multipliers, split into
// 16-bit halves for the exact high-word product below, and the two Weyl key increments.
const M0_HI = 0xd251;
const M0_LO = 0x1f53;
const M1_HI = 0xcd9e;
const M1_LO = 0x8d57;
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/**
 * High 32 bits of the 64-bit product `x · (hi·2¹⁶ + lo)` for uint32 `x`, exact in float64:
 * `x·hi` and `x·lo` stay below 2⁴⁸, and `⌊(x·hi + ⌊x·lo / 2¹⁶⌋) / 2¹⁶⌋ = ⌊x·m / 2³²⌋`.
 */
function mulhi(x: number, hi: number, lo: number): number {
  return Math.floor((x * hi + Math.floor((x * lo) / 65536)) / 65536);
}

/**
 * Philox4x32-10: encrypts a 128-bit counter `(c0, c1, c2, c3)` under a 64-bit key `(k0, k1)` and
 * writes the four output words (uint32) to `out[0..3]`.
 *
 * Each of the 10 rounds maps `(c0, c1, c2, c3)` to
 * `(hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0))` and then adds the Weyl
 * constants `(0x9E3779B9, 0xBB67AE85)` to the key. Only `Math.imul`, exact float64 products below
 * 2⁵³ and 32-bit bit operations are used, so every JavaScript engine produces the same words.
 *
 * Verified against the known-answer vectors of Random123's `tests/kat_vectors`.
 *
 * @example
 * ```ts
 * const out = new Uint32Array(4);
 * philox4x32x10(0, 0, 0, 0, 0, 0, out); // out = [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 * ```
 */
export function philox4x32x10(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(x0, M0_HI, M0_LO);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(x2, M1_HI, M1_LO);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}
