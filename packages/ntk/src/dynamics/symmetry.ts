import { DescentError } from '@descent/core';

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
 * Asserts a row-major `n × n` matrix is symmetric within {@link SYMMETRY_TOLERANCE}.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the largest asymmetry, its place and the tolerance.
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
