import { DescentError, checkNumber, describeValue } from '@descent/core';

/** The parametric families of curves between two minima. */
export type CurveKind = 'bezier' | 'polychain';

/** Every {@link CurveKind}. */
export const CURVE_KINDS: readonly CurveKind[] = ['bezier', 'polychain'];

/**
 * The coefficients `wᵢ(t)` of a curve's points at `t`, so that `φ(t) = Σᵢ wᵢ(t)·pᵢ` over the
 * `bends` points `p₀ = θ_a, p₁, …, p_{n} = θ_b` (`n = bends − 1`). Host-side, float64.
 *
 * - `'bezier'`: the Bernstein polynomials `wᵢ(t) = C(n, i)·tⁱ·(1 − t)ⁿ⁻ⁱ`; the curve passes
 *   through the endpoints only and bends towards the interior points.
 * - `'polychain'`: the piecewise linear path through the points at `t = i/n`: on
 *   `[s/n, (s + 1)/n]`, `w_s = 1 − u`, `w_{s+1} = u` with `u = n·t − s`, the others 0.
 *
 * Both sum to 1 and are one-hot at `t = 0` (`[1, 0, …]`) and `t = 1` (`[…, 0, 1]`).
 *
 * @param curve - `'bezier'` or `'polychain'`.
 * @param t - the position on the curve, in `[0, 1]`.
 * @param bends - the number of points, endpoints included: an integer ≥ 2 (`2` is the segment
 *   `[1 − t, t]` for both kinds).
 * @returns `bends` coefficients.
 * @throws DescentError `BAD_ARGUMENT` (an unknown curve), `BAD_HYPERPARAM` (`t` outside
 *   `[0, 1]` or not a number, `bends` not an integer ≥ 2), `NON_FINITE` (NaN or ±Infinity).
 * @example
 * ```ts
 * curveWeights('bezier', 0.25, 3);    // [0.5625, 0.375, 0.0625]
 * curveWeights('polychain', 0.25, 3); // [0.5, 0.5, 0]
 * ```
 * @see T. Garipov, P. Izmailov, D. Podoprikhin, D. Vetrov, A. G. Wilson, Loss Surfaces, Mode
 *   Connectivity, and Fast Ensembling of DNNs, NeurIPS 2018, §3.
 */
export function curveWeights(curve: CurveKind, t: number, bends: number): number[] {
  checkCurveKind('curveWeights: curve', curve);
  checkPosition('curveWeights: t', t);
  checkBends('curveWeights: bends', bends, 2);
  return curve === 'bezier' ? bernsteinWeights(t, bends - 1) : polychainWeights(t, bends - 1);
}

/** Asserts `value` is a {@link CurveKind}. Internal. */
export function checkCurveKind(name: string, value: unknown): asserts value is CurveKind {
  if (!(CURVE_KINDS as readonly unknown[]).includes(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be one of ${CURVE_KINDS.map((k) => `'${k}'`).join(', ')}, got ${describeValue(value)}.`,
    );
  }
}

/** Asserts `t` is a number in `[0, 1]`. Internal. */
export function checkPosition(name: string, t: unknown): asserts t is number {
  checkNumber(name, t, { min: 0, max: 1 });
}

/** Asserts `bends` is an integer ≥ `min`. Internal. */
export function checkBends(name: string, bends: unknown, min: number): asserts bends is number {
  checkNumber(name, bends, { integer: true, min });
}

function bernsteinWeights(t: number, n: number): number[] {
  const weights: number[] = [];
  let binomial = 1;
  for (let i = 0; i <= n; i++) {
    weights.push(binomial * t ** i * (1 - t) ** (n - i));
    binomial = (binomial * (n - i)) / (i + 1);
  }
  return weights;
}

function polychainWeights(t: number, n: number): number[] {
  const weights = new Array<number>(n + 1).fill(0);
  const segment = Math.min(Math.floor(t * n), n - 1);
  const u = t * n - segment;
  weights[segment] = 1 - u;
  weights[segment + 1] = u;
  return weights;
}
