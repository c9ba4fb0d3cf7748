import { DescentError } from '../errors/descent-error';

/**
 * Relative tolerance of the symmetry check: `|aᵢⱼ − aⱼᵢ| ≤ 1e-5 · max|a|`. A kernel computed in
 * float32 (`J Jᵀ` summed in two orders) is symmetric to about `1e-7` relative; a matrix that
 * misses by more than 100 times that is not a kernel matrix.
 */
export const SYMMETRY_TOLERANCE = 1e-5;

/** The largest `|aᵢⱼ − aⱼᵢ|` of a row-major `n × n` matrix, where it is, and `max|aᵢⱼ|`. */
export function largestAsymmetry(
  a: ArrayLike<number>,
  n: number,
): { gap: number; row: number; col: number; scale: number } {
  let gap = 0;
  let row = 0;
  let col = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    scale = Math.max(scale, Math.abs(a[i * n + i]!));
    for (let j = i + 1; j < n; j++) {
      const upper = a[i * n + j]!;
      const lower = a[j * n + i]!;
      scale = Math.max(scale, Math.abs(upper), Math.abs(lower));
      const d = Math.abs(upper - lower);
      if (d > gap) {
        gap = d;
        row = i;
        col = j;
      }
    }
  }
  return { gap, row, col, scale };
}

/**
 * Asserts a row-major `n × n` matrix is symmetric to float32 rounding:
 * `max|aᵢⱼ − aⱼᵢ| ≤ 1e-5 · max|aᵢⱼ|` (a kernel or Hessian computed in float32 in two summation
 * orders is symmetric to about 1e-7 relative).
 *
 * @param name - how the message names the matrix.
 * @param a - `n²` numbers, row-major (not changed).
 * @param n - the order of the matrix.
 * @throws DescentError `BAD_ARGUMENT` naming the largest asymmetry, its place and the tolerance.
 * @example
 * ```ts
 * checkSymmetric('kernel', [1, 2, 2, 1], 2);   // passes
 * checkSymmetric('kernel', [1, 2, 0, 1], 2);   // throws: |a[0][1] − a[1][0]| = 2
 * ```
 */
export function checkSymmetric(name: string, a: ArrayLike<number>, n: number): void {
  const { gap, row, col, scale } = largestAsymmetry(a, n);
  if (gap > SYMMETRY_TOLERANCE * scale) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be symmetric: its largest asymmetry is |a[${row}][${col}] − a[${col}][${row}]| = ` +
        `|${a[row * n + col]} − ${a[col * n + row]}| = ${gap}, above the tolerance ${SYMMETRY_TOLERANCE.toExponential()} × max|a| = ${SYMMETRY_TOLERANCE * scale}.`,
    );
  }
}
