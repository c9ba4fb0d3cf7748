/**
 * Float64 linear algebra on plain arrays (row-major), for the reference-grade spectral norms.
 * Internal.
 */

/** `MᵀM` (`cols × cols`) or `MMᵀ` (`rows × rows`), whichever is smaller, of a row-major `rows × cols` matrix. */
export function smallGram(m: ArrayLike<number>, rows: number, cols: number): Float64Array[] {
  const byColumns = cols <= rows;
  const k = byColumns ? cols : rows;
  const g = Array.from({ length: k }, () => new Float64Array(k));
  if (byColumns) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let i = 0; i < cols; i++) {
        const mi = m[base + i] as number;
        if (mi === 0) continue;
        const gi = g[i] as Float64Array;
        for (let j = i; j < cols; j++) gi[j] = (gi[j] as number) + mi * (m[base + j] as number);
      }
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const gi = g[i] as Float64Array;
      for (let j = i; j < rows; j++) {
        let s = 0;
        for (let c = 0; c < cols; c++)
          s += (m[i * cols + c] as number) * (m[j * cols + c] as number);
        gi[j] = s;
      }
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) (g[i] as Float64Array)[j] = (g[j] as Float64Array)[i] as number;
  }
  return g;
}

/**
 * Eigenvalues of a symmetric matrix by the cyclic Jacobi method (rotations until the
 * off-diagonal mass is below 1e-30 of the total), sorted in decreasing order. The input is
 * overwritten.
 */
export function symmetricEigenvalues(a: Float64Array[]): number[] {
  const n = a.length;
  const at = (i: number, j: number) => (a[i] as Float64Array)[j] as number;
  const set = (i: number, j: number, v: number) => {
    (a[i] as Float64Array)[j] = v;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = at(i, j) ** 2;
        total += v;
        if (i !== j) off += v;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (apq === 0) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          set(k, p, c * akp - s * akq);
          set(k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          set(p, k, c * apk - s * aqk);
          set(q, k, s * apk + c * aqk);
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => at(i, i)).sort((x, y) => y - x);
}

/**
 * The largest singular value of a row-major `rows × cols` matrix by power iteration on `MᵀM`
 * in float64, from the fixed start vector `start` (length `cols`), until the estimate changes by
 * at most `tol` (relative) or after `maxIterations` steps. Returns the estimate `‖Mx‖` for the
 * final unit `x` (never above the true value) and the steps taken.
 */
export function powerIterationSigma(
  m: ArrayLike<number>,
  rows: number,
  cols: number,
  start: ArrayLike<number>,
  tol: number,
  maxIterations: number,
): { sigma: number; iterations: number } {
  let x = Float64Array.from(start);
  scale(x, 1 / (norm(x) || 1));
  const y = new Float64Array(rows);
  let sigma = 0;
  for (let it = 1; it <= maxIterations; it++) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += (m[r * cols + c] as number) * (x[c] as number);
      y[r] = s;
    }
    const next = norm(y);
    const z = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      const yr = y[r] as number;
      if (yr === 0) continue;
      for (let c = 0; c < cols; c++) z[c] = (z[c] as number) + (m[r * cols + c] as number) * yr;
    }
    const zn = norm(z);
    const converged = Math.abs(next - sigma) <= tol * next;
    sigma = next;
    if (converged || zn === 0) return { sigma, iterations: it };
    scale(z, 1 / zn);
    x = z;
  }
  return { sigma, iterations: maxIterations };
}

function norm(v: Float64Array): number {
  let s = 0;
  for (const e of v) s += e * e;
  return Math.sqrt(s);
}

function scale(v: Float64Array, f: number): void {
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * f;
}
