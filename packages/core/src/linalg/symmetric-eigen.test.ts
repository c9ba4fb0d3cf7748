import { expectDescentError } from '../testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenvalues } from './symmetric-eigen';

/** `max |A − VΛVᵀ|` and `max |VᵀV − I|` (rows of `vectors` are the eigenvectors). */
function residuals(a: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array) {
  let reconstruction = 0;
  let orthogonality = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let dot = 0;
      for (let k = 0; k < n; k++) {
        sum += vectors[k * n + i]! * values[k]! * vectors[k * n + j]!;
        dot += vectors[i * n + k]! * vectors[j * n + k]!;
      }
      reconstruction = Math.max(reconstruction, Math.abs(sum - a[i * n + j]!));
      orthogonality = Math.max(orthogonality, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  return { reconstruction, orthogonality };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** A symmetric matrix with entries from `entries` (lower triangle, row by row). */
function symmetricFrom(entries: number[], n: number): Float64Array {
  const a = new Float64Array(n * n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = entries[next++ % entries.length]!;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** `Q diag(d) Qᵀ` with `Q = I − 2uuᵀ/uᵀu`, a reflection (orthogonal). */
function withSpectrum(d: number[], u: number[]): Float64Array {
  const n = d.length;
  const uu = u.reduce((s, x) => s + x * x, 0);
  const q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * u[i]! * u[j]!) / uu;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q(i, k) * d[k]! * q(j, k);
      a[i * n + j] = s;
    }
  }
  return a;
}

describe('symmetricEigen', () => {
  it('reconstructs random symmetric matrices: ‖A − VΛVᵀ‖ ≤ 1e-10‖A‖, VᵀV = I, descending', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (n, entries) => {
          const a = symmetricFrom(entries, n);
          const { values, vectors } = symmetricEigen(a, n);
          const { reconstruction, orthogonality } = residuals(a, n, values, vectors);
          // max|aᵢⱼ| ≤ ‖A‖: the bound is at least as strict as 1e-10‖A‖ (and ‖A‖_F underflows);
          // for subnormal entries it cannot beat rounding to the nearest subnormal, n ulps
          const floor = 8 * n * Number.MIN_VALUE;
          expect(reconstruction).toBeLessThanOrEqual(Math.max(1e-10 * maxAbs(a), floor));
          expect(orthogonality).toBeLessThanOrEqual(1e-12 * Math.max(n, 4));
          for (let i = 1; i < n; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives a diagonal matrix its sorted diagonal and unit eigenvectors', () => {
    const d = [3, -1, 7, 0, 2];
    const a = new Float64Array(25);
    d.forEach((v, i) => {
      a[i * 5 + i] = v;
    });
    const { values, vectors } = symmetricEigen(a, 5);
    expect(Array.from(values)).toEqual([7, 3, 2, 0, -1]);
    [2, 0, 4, 3, 1].forEach((position, i) => {
      for (let k = 0; k < 5; k++) {
        expect(Math.abs(vectors[i * 5 + k]!)).toBe(k === position ? 1 : 0);
      }
    });
  });

  it('matches the 2×2 closed form (a+c)/2 ± √(((a−c)/2)² + b²)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (a, b, c) => {
          const { values, vectors } = symmetricEigen(
            [
              [a, b],
              [b, c],
            ],
            2,
          );
          const mid = (a + c) / 2;
          const radius = Math.hypot((a - c) / 2, b);
          const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), 1e-300);
          expect(Math.abs(values[0]! - (mid + radius))).toBeLessThanOrEqual(4e-16 * 4 * scale);
          expect(Math.abs(values[1]! - (mid - radius))).toBeLessThanOrEqual(4e-16 * 4 * scale);
          // A v = λ v for the first eigenvector
          const [x, y] = [vectors[0]!, vectors[1]!];
          expect(Math.abs(a * x + b * y - values[0]! * x)).toBeLessThanOrEqual(1e-14 * scale);
          expect(Math.abs(b * x + c * y - values[0]! * y)).toBeLessThanOrEqual(1e-14 * scale);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds a + 2b cos(kπ/(n+1)) and sin(jkπ/(n+1)) for the tridiagonal Toeplitz matrix', () => {
    const n = 40;
    const [a, b] = [1.5, -0.75];
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      m[i * n + i] = a;
      if (i + 1 < n) {
        m[i * n + i + 1] = b;
        m[(i + 1) * n + i] = b;
      }
    }
    const { values, vectors } = symmetricEigen(m, n);
    const expected = Array.from(
      { length: n },
      (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    ).sort((x, y) => y - x);
    for (let i = 0; i < n; i++) expect(Math.abs(values[i]! - expected[i]!)).toBeLessThan(1e-14);
    // b < 0: the largest eigenvalue is k = n, eigenvector ∝ sin(j·nπ/(n+1))
    const reference = Array.from({ length: n }, (_, j) =>
      Math.sin(((j + 1) * n * Math.PI) / (n + 1)),
    );
    const norm = Math.hypot(...reference);
    const sign = Math.sign(vectors[0]! * reference[0]!);
    for (let j = 0; j < n; j++) {
      expect(Math.abs(vectors[j]! - (sign * reference[j]!) / norm)).toBeLessThan(1e-13);
    }
  });

  it('handles repeated eigenvalues: an orthonormal basis of each eigenspace', () => {
    const spectrum = [3, 3, 1, 1, 1, -2];
    const a = withSpectrum(spectrum, [1, -2, 0.5, 3, -1, 2]);
    const { values, vectors } = symmetricEigen(a, 6);
    for (const [i, v] of spectrum.entries()) expect(Math.abs(values[i]! - v)).toBeLessThan(1e-14);
    const { reconstruction, orthogonality } = residuals(a, 6, values, vectors);
    expect(reconstruction).toBeLessThan(1e-14);
    expect(orthogonality).toBeLessThan(1e-14);

    const ones = new Float64Array(16).fill(1);
    const all = symmetricEigen(ones, 4);
    expect(Math.abs(all.values[0]! - 4)).toBeLessThan(1e-15);
    for (let i = 1; i < 4; i++) expect(Math.abs(all.values[i]!)).toBeLessThan(1e-15);
    expect(residuals(ones, 4, all.values, all.vectors).orthogonality).toBeLessThan(1e-15);

    const identity = symmetricEigen(withSpectrum([1, 1, 1], [1, 1, 1]), 3);
    for (let i = 0; i < 3; i++) expect(Math.abs(identity.values[i]! - 1)).toBeLessThan(1e-15);
  });

  it('n = 1: the entry and the eigenvector [1]', () => {
    expect(symmetricEigen([[-2.5]], 1)).toEqual({
      values: new Float64Array([-2.5]),
      vectors: new Float64Array([1]),
    });
  });

  it('reads rows and flat arrays alike, symmetrizes, and leaves the input alone', () => {
    const rows = [
      [4, 1, 0.5],
      [1, 3, -1],
      [0.5 + 1e-7, -1, 2],
    ];
    const flat = new Float64Array(rows.flat());
    const copy = Float64Array.from(flat);
    const fromRows = symmetricEigen(rows, 3);
    const fromFlat = symmetricEigen(flat, 3);
    expect(fromRows).toEqual(fromFlat);
    expect(flat).toEqual(copy);
    const symmetrized = Float64Array.from(copy);
    symmetrized[2] = 0.5 + 0.5e-7;
    symmetrized[6] = 0.5 + 0.5e-7;
    const { reconstruction } = residuals(symmetrized, 3, fromFlat.values, fromFlat.vectors);
    expect(reconstruction).toBeLessThan(1e-14);
  });

  it('symmetricEigenvalues gives the same values', () => {
    const a = symmetricFrom([0.3, -1.2, 2.5, 0.7, -0.4, 1.1, 0.9], 9);
    const both = symmetricEigen(a, 9).values;
    const alone = symmetricEigenvalues(a, 9);
    for (let i = 0; i < 9; i++) expect(Math.abs(alone[i]! - both[i]!)).toBeLessThan(1e-13);
    expect(alone[0]!).toBeGreaterThan(alone[8]!);
    expect(maxAbs(alone)).toBeGreaterThan(1);
  });

  it('refuses bad input with a DescentError naming it', () => {
    expectDescentError(() => symmetricEigen([[1]], 0), 'BAD_ARGUMENT', 'n must be', '0');
    expectDescentError(() => symmetricEigen([[1]], 1.5), 'BAD_ARGUMENT', 'n must be');
    expectDescentError(() => symmetricEigen('ab' as never, 1), 'BAD_ARGUMENT', 'symmetricEigen: a');
    expectDescentError(
      () => symmetricEigen(new Float64Array(5), 2),
      'SHAPE_MISMATCH',
      'holds 5 numbers',
      'n × n = 4',
    );
    expectDescentError(() => symmetricEigen([[1, 2]], 2), 'SHAPE_MISMATCH', 'a has 1 rows');
    expectDescentError(
      () => symmetricEigen([[1, 2], [2]], 2),
      'SHAPE_MISMATCH',
      'a[1] has 1 entries',
    );
    expectDescentError(
      () => symmetricEigen([[1, 2], 'x'] as never, 2),
      'BAD_ARGUMENT',
      'a[1] must be an array of numbers',
    );
    expectDescentError(
      () =>
        symmetricEigen(
          [
            [1, Number.NaN],
            [0, 1],
          ],
          2,
        ),
      'NON_FINITE',
      'a[0][1] is NaN',
    );
    expectDescentError(
      () =>
        symmetricEigenvalues(
          [
            [1, 2, 0],
            [2, 1, 0.5],
            [0.1, 0.5, 1],
          ],
          3,
        ),
      'BAD_ARGUMENT',
      'symmetricEigenvalues: a must be symmetric',
      '|a[0][2] − a[2][0]|',
      '= 0.1',
    );
  });
});
