/** Options of {@link numericGrad}. */
export interface NumericGradOptions {
  /** Step of the central difference. Default `1e-6` (≈ ∛ε of float64, scaled). */
  h?: number;
}

/**
 * Float64 gradient by central differences: `∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h`, with an
 * error of O(h²). `f` is a plain JS function of a `Float64Array`, typically the float64 reference
 * written from a paper's equations, so the result checks tfjs's float32 autodiff independently.
 *
 * @example
 * ```ts
 * const g = numericGrad((x) => x[0]! ** 2 + 3 * x[1]!, [2, 5]);   // ≈ [4, 3]
 * ```
 */
export function numericGrad(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: NumericGradOptions = {},
): Float64Array {
  const h = options.h ?? 1e-6;
  const point = Float64Array.from(x);
  const grad = new Float64Array(point.length);
  for (let i = 0; i < point.length; i++) {
    const xi = point[i] as number;
    const step = h * Math.max(1, Math.abs(xi));
    point[i] = xi + step;
    const up = f(point);
    point[i] = xi - step;
    const down = f(point);
    point[i] = xi;
    grad[i] = (up - down) / (2 * step);
  }
  return grad;
}
