/**
 * The least-squares slope of `log y` against `log x`: the exponent `p` of the power law
 * `y ≈ c·x^p` that fits the points best (`p = −½` for `y ∝ 1/√x`).
 *
 * `p = Σ (uᵢ − ū)(vᵢ − v̄) / Σ (uᵢ − ū)²` with `u = ln x`, `v = ln y`.
 *
 * @throws Error for fewer than two points, lengths that differ, a value ≤ 0 or all `x` equal.
 */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) {
    throw new Error(
      `logLogSlope: needs two or more (x, y) pairs, got ${xs.length} x and ${ys.length} y`,
    );
  }
  if ([...xs, ...ys].some((v) => !(v > 0))) {
    throw new Error('logLogSlope: every x and y must be positive');
  }
  const u = xs.map(Math.log);
  const v = ys.map(Math.log);
  const mean = (a: number[]) => a.reduce((s, t) => s + t, 0) / a.length;
  const [uMean, vMean] = [mean(u), mean(v)];
  let covariance = 0;
  let variance = 0;
  u.forEach((ui, i) => {
    covariance += (ui - uMean) * ((v[i] as number) - vMean);
    variance += (ui - uMean) ** 2;
  });
  if (variance === 0) throw new Error('logLogSlope: every x is the same');
  return covariance / variance;
}
