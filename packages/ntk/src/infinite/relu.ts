import type { Arith } from './arith';
import type { Moments, ReluLayer } from './layer';

/**
 * ReLU, `max(x, 0)`, for {@link serial}. Its Gaussian moments are the arc-cosine kernel of degree
 * 1 (Cho & Saul 2009) and of degree 0: with `θ = arccos(k12/√(k11 k22))` (the cosine clamped to
 * [−1, 1]),
 * `E[φ(u)φ(v)] = √(k11 k22)·(sin θ + (π − θ) cos θ)/(2π)` and `Σ̇ = E[φ′(u)φ′(v)] = (π − θ)/(2π)`;
 * on the diagonal `k/2` and `1/2`.
 *
 * @returns a frozen plain description of the layer.
 * @example
 * ```ts
 * const { kernelFn } = serial(dense(), relu(), dense());
 * ```
 * @see Y. Cho, L. K. Saul, Kernel Methods for Deep Learning, NeurIPS 2009; S. Arora et al., On
 *   Exact Computation with an Infinitely Wide Neural Net, NeurIPS 2019.
 */
export function relu(): ReluLayer {
  return RELU;
}

const RELU: ReluLayer = Object.freeze({ kind: 'relu' });

/** Below this `√(k11 k22)` a pair counts as zero (a zero input without bias), not as 0/0. */
export const TINY_NORM = 1e-30;

/** `√(k11 k22)`, the clamped cosine and the angle between two Gaussian units. */
export function angle<T>(A: Arith<T>, k12: T, k11: T, k22: T): { norm: T; cos: T; theta: T } {
  const norm = A.sqrt(A.mul(k11, k22));
  const cos = A.clamp(A.div(k12, A.atLeast(norm, TINY_NORM)), -1, 1);
  return { norm, cos, theta: A.acos(cos) };
}

/** `sin θ` from the clamped `cos θ` (θ ∈ [0, π], so the root is the non-negative one). */
export function sinFromCos<T>(A: Arith<T>, cos: T): T {
  return A.sqrt(A.atLeast(A.sub(1, A.mul(cos, cos)), 0));
}

/** ReLU's {@link Moments}. */
export const reluMoments: Moments = {
  cross<T>(A: Arith<T>, k12: T, k11: T, k22: T) {
    const { norm, cos, theta } = angle(A, k12, k11, k22);
    const rest = A.sub(Math.PI, theta);
    const j1 = A.add(sinFromCos(A, cos), A.mul(rest, cos));
    return { q: A.div(A.mul(norm, j1), 2 * Math.PI), dot: A.div(rest, 2 * Math.PI) };
  },
  diag<T>(A: Arith<T>, k: T) {
    return { q: A.mul(k, 0.5), dot: A.fill(k, 0.5) };
  },
};
