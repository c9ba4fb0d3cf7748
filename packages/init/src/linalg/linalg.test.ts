import { describe, expect, it } from 'vitest';
import { Rng } from '@descent/core';
import { orthogonalityError } from '../test-support/stats';
import { orthonormalColumns } from './householder-qr';
import { jacobiEigenvalues } from './jacobi-eigenvalues';

describe('orthonormalColumns (Householder QR)', () => {
  it('gives Q with QᵀQ = I to 1e-14 and A = Q·R with R upper triangular, diag(R) ≥ 0', () => {
    const m = 40;
    const n = 25;
    const a = new Rng(1).normalArray(m * n);
    const q = orthonormalColumns(a, m, n);
    expect(orthogonalityError(q, m, n, 'columns')).toBeLessThan(1e-13);
    // R = QᵀA must be upper triangular with a non-negative diagonal.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let r = 0;
        for (let k = 0; k < m; k++) r += q[k * n + i]! * a[k * n + j]!;
        if (i > j) expect(Math.abs(r)).toBeLessThan(1e-12);
        if (i === j) expect(r).toBeGreaterThan(0);
      }
    }
  });

  it('factors [[3, 0], [4, 5]]: Q = [[0.6, −0.8], [0.8, 0.6]] (R = [[5, 4], [0, 3]])', () => {
    const q = orthonormalColumns([3, 0, 4, 5], 2, 2);
    const expected = [0.6, -0.8, 0.8, 0.6];
    for (let i = 0; i < 4; i++) expect(q[i]).toBeCloseTo(expected[i]!, 14);
  });
});

describe('jacobiEigenvalues', () => {
  it('matches closed forms: 2×2 [[2, 1], [1, 2]] → 3, 1; diag stays; [[3,0],[4,5]]ᵀ[[3,0],[4,5]] → 45, 5', () => {
    const a = jacobiEigenvalues([2, 1, 1, 2], 2);
    expect(a[0]).toBeCloseTo(3, 14);
    expect(a[1]).toBeCloseTo(1, 14);
    const d = jacobiEigenvalues([1, 0, 0, 0, -2, 0, 0, 0, 7], 3);
    expect(Array.from(d)).toEqual([7, 1, -2]);
    // WᵀW for W = [[3, 0], [4, 5]]: [[25, 20], [20, 25]] → 45 and 5 (σ = 3√5 = 6.708204, √5).
    const w = jacobiEigenvalues([25, 20, 20, 25], 2);
    expect(Math.sqrt(w[0]!)).toBeCloseTo(6.708204, 6);
    expect(w[1]).toBeCloseTo(5, 12);
  });

  it('recovers the spectrum of Q·diag(λ)·Qᵀ (n = 30) to 1e-10', () => {
    const n = 30;
    const q = orthonormalColumns(new Rng(2).normalArray(n * n), n, n);
    const lambda = Array.from({ length: n }, (_, i) => (i - 10) * 0.37);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += q[i * n + k]! * lambda[k]! * q[j * n + k]!;
        a[i * n + j] = s;
      }
    }
    const eig = jacobiEigenvalues(a, n);
    const sorted = [...lambda].sort((x, y) => y - x);
    for (let i = 0; i < n; i++) expect(Math.abs(eig[i]! - sorted[i]!)).toBeLessThan(1e-10);
  });
});
