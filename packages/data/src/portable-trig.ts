/**
 * Sine and cosine that return the same bits on every JavaScript engine.
 *
 * `Math.sin` and `Math.cos` are only "implementation-approximated" by the language, so two
 * engines may disagree in the last bit, and a float32 value computed from them may then round
 * differently. The synthetic datasets promise identical data for one seed everywhere, so they use
 * these functions, built only from IEEE-754 basic operations (`+ − × ÷`, correctly rounded) and
 * `Math.round`: Cody–Waite reduction by π/2, then Taylor polynomials on [−π/4, π/4].
 *
 * @module
 */

/**
 * π/2 split into three doubles, `PIO2_1 + PIO2_2 + PIO2_3` ≈ π/2 to about 2⁻¹²⁰ (computed with
 * exact integer arithmetic from the decimal expansion of π):
 * - `PIO2_1 = 6746518852 / 2³²`, π/2 truncated to 33 significant bits;
 * - `PIO2_2 = 2242054355 / 2⁶⁵`, the next 32 bits of the remainder;
 * - `PIO2_3`, the rest rounded to the nearest double.
 *
 * For an integer `|k| < 2²⁰`, `k · PIO2_1` and `k · PIO2_2` are exact products (at most 53
 * significant bits), and `x − k · PIO2_1` is exact by Sterbenz's lemma because `x` and
 * `k · PIO2_1` lie within a factor 2 of each other when `k = round(x · 2/π) ≠ 0`.
 */
const PIO2_1 = 6746518852 / 4294967296;
const PIO2_2 = 2242054355 / 2 ** 65;
const PIO2_3 = 2.0222662487959506e-21;
const TWO_OVER_PI = 2 / Math.PI;
/** Beyond this, `k` would exceed 2²⁰ and the reduction would lose its exactness. */
const MAX_REDUCIBLE = 1.5e6;

/** 1/(2j+1)! for j = 0…8 (sine) and 1/(2j)! for j = 0…9 (cosine), as double quotients. */
const SIN_COEFFS: number[] = [];
const COS_COEFFS: number[] = [];
{
  let factorial = 1;
  for (let m = 0; m <= 18; m++) {
    if (m > 0) factorial *= m;
    const sign = Math.floor(m / 2) % 2 === 0 ? 1 : -1;
    if (m % 2 === 0) COS_COEFFS.push(sign / factorial);
    else SIN_COEFFS.push(sign / factorial);
  }
}

/**
 * `sin r` and `cos r` for `|r| ≤ π/4 + ε` by Horner's rule in `r²`. The first dropped terms,
 * `(π/4)¹⁹/19!` and `(π/4)²⁰/20!`, are below 2⁻⁶⁰, far under the final rounding.
 */
function kernelSin(r: number, r2: number): number {
  let p = 0;
  for (let j = SIN_COEFFS.length - 1; j >= 0; j--) p = p * r2 + (SIN_COEFFS[j] as number);
  return r * p;
}

function kernelCos(r2: number): number {
  let p = 0;
  for (let j = COS_COEFFS.length - 1; j >= 0; j--) p = p * r2 + (COS_COEFFS[j] as number);
  return p;
}

/**
 * Returns `[sin x, cos x]` computed identically on every engine for `|x| ≤ 1.5·10⁶` (about
 * 1 ulp from the true values); beyond that it falls back to `Math.sin`/`Math.cos`.
 */
export function portableSinCos(x: number): [number, number] {
  if (!(Math.abs(x) <= MAX_REDUCIBLE)) return [Math.sin(x), Math.cos(x)];
  const k = Math.round(x * TWO_OVER_PI);
  const r = x - k * PIO2_1 - k * PIO2_2 - k * PIO2_3;
  const r2 = r * r;
  const s = kernelSin(r, r2);
  const c = kernelCos(r2);
  switch (((k % 4) + 4) % 4) {
    case 0:
      return [s, c];
    case 1:
      return [c, -s];
    case 2:
      return [-s, -c];
    default:
      return [-c, s];
  }
}

/** `sin x`, identical on every engine for `|x| ≤ 1.5·10⁶` (see {@link portableSinCos}). */
export function portableSin(x: number): number {
  return portableSinCos(x)[0];
}
