/**
 * Filter normalization (Li et al., 2018) in place: for every filter `f`,
 * `d_f ← d_f · ‖θ_f‖ / ‖d_f‖`, so that a step `α·d` moves each filter by the same fraction of its
 * own norm and surfaces of networks with differently scaled weights become comparable. In tfjs
 * layouts a filter is a slice along the **last** axis — the `out` columns of a dense kernel
 * `[in, out]`, the output channels of a conv kernel `[kh, kw, in, out]` — so with `filters` the
 * size of that axis, entry `i` belongs to filter `i mod filters`. Norms and ratios are taken in
 * float64 and each result is rounded once to float32. A filter with `‖d_f‖ = 0` or `‖θ_f‖ = 0`
 * becomes zeros.
 *
 * @param direction - the row-major entries of `d`; overwritten.
 * @param theta - the row-major entries of `θ`, as many as `direction`'s.
 * @param filters - the size of the last axis.
 * @returns `direction`.
 */
export function normalizeFilters(
  direction: Float32Array,
  theta: ArrayLike<number>,
  filters: number,
): Float32Array {
  if (filters === 0) return direction;
  const scale = filterScales(direction, theta, filters);
  for (let i = 0; i < direction.length; i++) {
    const s = scale[i % filters] as number;
    direction[i] = s === 0 ? 0 : (direction[i] as number) * s;
  }
  return direction;
}

/** `‖θ_f‖ / ‖d_f‖` per filter, 0 where either norm is 0. */
function filterScales(
  direction: Float32Array,
  theta: ArrayLike<number>,
  filters: number,
): Float64Array {
  const dSquares = new Float64Array(filters);
  const thetaSquares = new Float64Array(filters);
  for (let i = 0; i < direction.length; i++) {
    const f = i % filters;
    const d = direction[i] as number;
    const t = theta[i] as number;
    dSquares[f] = (dSquares[f] as number) + d * d;
    thetaSquares[f] = (thetaSquares[f] as number) + t * t;
  }
  const scale = new Float64Array(filters);
  for (let f = 0; f < filters; f++) {
    const dNorm = Math.sqrt(dSquares[f] as number);
    const thetaNorm = Math.sqrt(thetaSquares[f] as number);
    scale[f] = dNorm === 0 || thetaNorm === 0 ? 0 : thetaNorm / dNorm;
  }
  return scale;
}
