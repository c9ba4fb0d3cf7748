/**
 * Householder QR in float64 of a row-major `m × n` matrix with `m ≥ n`, returning the thin `Q`
 * (`m × n`, orthonormal columns) with each column `j` multiplied by `sign(R_jj)` (`+1` for 0), so
 * that `A = Q·R` with a non-negative diagonal of `R`. That sign fix makes `Q` Haar-distributed
 * when `A` is Gaussian (Mezzadri 2007), as in Saxe et al.'s orthogonal initialization.
 *
 * Only IEEE basic operations and `Math.sqrt` are used, so the result is the same on every
 * platform.
 */
export function orthonormalColumns(a: ArrayLike<number>, m: number, n: number): Float64Array {
  if (n > m) throw new RangeError(`orthonormalColumns needs m ≥ n, got ${m} × ${n}`);
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const betas: number[] = [];
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += r[i * n + k]! * r[i * n + k]!;
    const x0 = r[k * n + k]!;
    const alpha = -(x0 < 0 ? -1 : 1) * Math.sqrt(norm2);
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = r[i * n + k]!;
    v[0] = x0 - alpha;
    let vnorm2 = 0;
    for (let i = 0; i < v.length; i++) vnorm2 += v[i]! * v[i]!;
    const beta = vnorm2 === 0 ? 0 : 2 / vnorm2;
    vs.push(v);
    betas.push(beta);
    if (beta !== 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i - k]! * r[i * n + j]!;
        const f = beta * dot;
        for (let i = k; i < m; i++) r[i * n + j] = r[i * n + j]! - f * v[i - k]!;
      }
    }
    signs[k] = r[k * n + k]! < 0 ? -1 : 1;
  }
  // Q = H_0 H_1 … H_{n−1} [I_n; 0], accumulated from the last reflector.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    const beta = betas[k]!;
    if (beta === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k]! * q[i * n + j]!;
      const f = beta * dot;
      if (f === 0) continue;
      for (let i = k; i < m; i++) q[i * n + j] = q[i * n + j]! - f * v[i - k]!;
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) q[i * n + j] = q[i * n + j]! * signs[j]!;
  }
  return q;
}
