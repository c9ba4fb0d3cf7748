import { DescentError, type NumberRange, checkNumber } from '@descent/core';

/** The largest finite float32, `(2 − 2⁻²³)·2¹²⁷`. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The largest `|z|` of `@descent/core`'s polar-method standard normals, rounded up: with 32-bit
 * uniforms the smallest `s = u₁² + u₂²` is 2⁻⁶², so `|z| ≤ √(−2 ln 2⁻⁶²) ≈ 9.27`.
 */
export const NORMAL_Z_BOUND = 10;

/**
 * Asserts a value option of a float32 tensor is a finite number within ±{@link FLOAT32_MAX} and
 * `range` (which may raise the lower bound).
 *
 * @throws DescentError `NON_FINITE` or `BAD_HYPERPARAM` naming `name` (core's `checkNumber`).
 */
export function checkFloat32(name: string, value: unknown, range: NumberRange = {}): void {
  checkNumber(name, value, { min: -FLOAT32_MAX, ...range, max: FLOAT32_MAX });
}

/**
 * Asserts the values a scheme is about to draw fit in float32: `largest` (the largest possible
 * magnitude, computed from the options) must not exceed {@link FLOAT32_MAX}, or the tensor
 * would hold ±Infinity.
 *
 * @throws DescentError `BAD_HYPERPARAM` naming `option` (e.g. `'normal: stddev'`) and its value.
 */
export function checkFitsFloat32(option: string, value: number, largest: number): void {
  if (largest <= FLOAT32_MAX) return;
  throw new DescentError(
    'BAD_HYPERPARAM',
    `${option} = ${value} gives values up to ${largest.toExponential(3)}, beyond the largest float32 ` +
      `(${FLOAT32_MAX.toExponential(3)}); the tensor would hold Infinity.`,
  );
}
