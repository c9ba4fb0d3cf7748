/**
 * Eigenvalues of a symmetric `n × n` matrix (row-major, float64) by the cyclic Jacobi method:
 * sweeps of plane rotations that zero each off-diagonal entry in turn, until the off-diagonal
 * Frobenius norm is below `1e-14` of the whole matrix's (at most 100 sweeps). Accurate to a few
 * ulps of the largest eigenvalue, which is what singular-value statistics of Jacobians need.
 *
 * @returns the eigenvalues, sorted in decreasing order. `a` is not modified.
 */
export function jacobiEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  const m = Float64Array.from(a);
  let total = 0;
  for (let i = 0; i < n * n; i++) total += m[i]! * m[i]!;
  const tol2 = total * 1e-28;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) off += 2 * m[p * n + q]! * m[p * n + q]!;
    }
    if (off <= tol2) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta < 0 ? -1 : 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = m[k * n + p]!;
          const akq = m[k * n + q]!;
          const nkp = c * akp - s * akq;
          const nkq = s * akp + c * akq;
          m[k * n + p] = nkp;
          m[p * n + k] = nkp;
          m[k * n + q] = nkq;
          m[q * n + k] = nkq;
        }
        m[p * n + p] = app - t * apq;
        m[q * n + q] = aqq + t * apq;
        m[p * n + q] = 0;
        m[q * n + p] = 0;
      }
    }
  }
  const eig = new Float64Array(n);
  for (let i = 0; i < n; i++) eig[i] = m[i * n + i]!;
  return eig.sort().reverse();
}
