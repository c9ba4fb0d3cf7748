/**
 * A natural logarithm that returns the same bits on every JavaScript engine.
 *
 * `Math.log` is only required to be "implementation-approximated", so engines (and versions of
 * one engine) may differ in the last bit, which would make {@link Rng} normals
 * platform-dependent. This implementation uses nothing but IEEE-754 basic operations
 * (`+ − × ÷`, each correctly rounded by the language), comparisons and `DataView` access to the
 * bits of a double, so its result is fully determined by the specification.
 *
 * @module
 */

/**
 * ln 2 = 0.693147180559945309417232121458176568… split as `LN2_HI + LN2_LO`.
 *
 * `LN2_HI` is ln 2 rounded to 42 significant bits: `round(ln 2 · 2⁴²) / 2⁴²` with
 * `round(ln 2 · 2⁴²) = 3048493539143 = 0x2c5c85fdf47` (ln 2 lies in [½, 1), so this integer
 * has exactly 42 bits and the low 11 of the double's 53 significand bits are zero). For an
 * integer `|k| ≤ 2047` (11 bits), `k · 3048493539143 < 2¹¹ · 2⁴² = 2⁵³`, so `k · LN2_HI` is an
 * exact product; the exponents `k` met here lie in [−1074, 1024]. The division by 2⁴² is exact.
 *
 * `LN2_LO = ln 2 − LN2_HI ≈ 5.4979230187083712e-14` rounded to the nearest double (it is below
 * 2⁻⁴⁴, so its rounding error is under 2⁻⁹⁸ and `k · (LN2_HI + LN2_LO)` matches `k · ln 2` within
 * 2⁻⁸⁷ absolute). `LN2_HI + LN2_LO` rounds to `Math.LN2`.
 */
const LN2_HI = 3048493539143 / 4398046511104;
const LN2_LO = 5.497923018708371e-14;

/** 2⁵⁴, to bring a subnormal input into the normal range exactly. */
const TWO54 = 18014398509481984;

/**
 * Number of terms kept after the leading one in atanh(s)/s = Σₙ s²ⁿ/(2n + 1).
 *
 * With `z = s²` and `|s| ≤ 3 − 2√2 ≈ 0.171573`, `z ≤ 17 − 12√2 ≈ 0.0294373`. Keeping
 * `n = 0 … 11` (up to s²³/23), the dropped tail is
 * `Σₙ₌₁₂^∞ zⁿ/(2n + 1) ≤ z¹²/(25 · (1 − z)) ≈ 1.75e-20 < 2⁻⁶⁵`, and since atanh(s)/s ≥ 1 this
 * is also a bound on the relative truncation error of log m: well below 2⁻⁶⁰ and far below the
 * 2⁻⁵³ of the final rounding.
 */
const TERMS = 11;

/**
 * `ATANH_COEFFS[n] = 1/(2n + 1)` for n = 0 … TERMS, computed by correctly rounded division, so
 * identical everywhere. They are the Taylor coefficients, not a minimax fit; their rounding
 * (2⁻⁵³ relative) is scaled by s² ≤ 0.03 in the result.
 */
const ATANH_COEFFS = Float64Array.from({ length: TERMS + 1 }, (_, n) => 1 / (2 * n + 1));

/** Scratch space for reading and writing the bits of a double (big-endian by default). */
const bits = new DataView(new ArrayBuffer(8));

/**
 * The natural logarithm of `x`, bit-identical on every JavaScript engine, within about 1 ulp
 * of the true value (tests measure the relative difference to `Math.log` below 4e-16).
 *
 * **Special values.** `±0 → −∞`; negative numbers and NaN → NaN; `+∞ → +∞`; `1 → +0`.
 *
 * **Reduction.** A subnormal `x` is first multiplied by 2⁵⁴ (exact) and 54 is subtracted from
 * the exponent. The exponent field then gives `x = 2ᵏ · m` with `m ∈ [1, 2)`; if `m ≥ √2`,
 * take `m/2` and `k + 1` instead, so that `m ∈ [√½, √2)` and
 *
 *     ln x = k · ln 2 + ln m.
 *
 * **ln m.** With `f = m − 1` (exact, by Sterbenz's lemma, since m ∈ [½, 2]) and
 * `s = f / (2 + f) = (m − 1)/(m + 1)`, we have `m = (1 + s)/(1 − s)`, hence
 *
 *     ln m = ln(1 + s) − ln(1 − s) = 2 · atanh(s) = 2 (s + s³/3 + s⁵/5 + …),
 *
 * and |s| ≤ (√2 − 1)/(√2 + 1) = 3 − 2√2 ≈ 0.1716, where the series converges fast (see
 * {@link TERMS}). Writing `2 · atanh(s) = 2s + s · R` with
 * `R = 2 (s²/3 + s⁴/5 + …) = 2z (1/3 + z/5 + z²/7 + …)`, `z = s²` (Horner in z), and using
 * `2s = f − s·f` (from `s (2 + f) = f`):
 *
 *     ln m = f − s · (f − R).
 *
 * The leading term `f` is exact; only the correction `s (f − R) ≈ f²/2` carries the rounding
 * errors of `s` and `R`, and it is at most about 0.2 of |ln m| in size, so ln m is obtained
 * to about ½ ulp plus a fraction of an ulp.
 *
 * **Reconstruction.** With ln 2 = `LN2_HI + LN2_LO` (see there) and `k · LN2_HI` exact,
 *
 *     ln x = k · LN2_HI + (f − (s (f − R) − k · LN2_LO)),
 *
 * i.e. `k·LN2_HI + (ln m + k·LN2_LO)`, with the two small terms combined before they meet
 * `f` and the large exact term added last.
 *
 * @example
 * ```ts
 * portableLog(Math.E); // 1 (within an ulp)
 * portableLog(0.5); // −0.6931471805599453
 * ```
 */
export function portableLog(x: number): number {
  // NaN fails every comparison; −0 === 0.
  if (!(x > 0)) return x === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;

  bits.setFloat64(0, x);
  let high = bits.getUint32(0);
  let k = 0;
  if (high >>> 20 === 0) {
    // Subnormal (x > 0, so the sign bit is clear): 2⁵⁴ · x is normal and exact.
    bits.setFloat64(0, x * TWO54);
    high = bits.getUint32(0);
    k = -54;
  }
  k += (high >>> 20) - 1023;
  // Same significand, biased exponent 1023: m ∈ [1, 2).
  bits.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let m = bits.getFloat64(0);
  // Math.SQRT2 is fixed by the specification as the double nearest √2, which lies above √2
  // (1.41421356237309515 > 1.41421356237309505), so m < Math.SQRT2 implies m < √2.
  if (m >= Math.SQRT2) {
    m *= 0.5;
    k += 1;
  }

  const f = m - 1;
  const s = f / (m + 1);
  const z = s * s;
  let q = ATANH_COEFFS[TERMS]!;
  for (let n = TERMS - 1; n >= 1; n--) q = q * z + ATANH_COEFFS[n]!;
  const r = 2 * z * q;
  return k * LN2_HI + (f - (s * (f - r) - k * LN2_LO));
}
