import type { Arith } from './arith';
import type { ErfLayer, Moments } from './layer';

/**
 * The error function `erf(x)` for {@link serial}. Its Gaussian moments are Williams' (1997)
 * closed forms, with `a = 1 + 2k11`, `b = 1 + 2k22`:
 * `E[erf(u) erf(v)] = (2/π) asin(2k12/√(ab))` (the argument clamped to [−1, 1]) and, since
 * `erf′(x) = (2/√π) e^{−x²}`, `Σ̇ = (4/π)/√(ab − 4k12²)`, computed as
 * `(4/π)/√(1 + 2k11 + 2k22 + 4·max(k11 k22 − k12², 0))` so rounding cannot make it negative; on
 * the diagonal `(2/π) asin(2k/(1 + 2k))` and `(4/π)/√(1 + 4k)`.
 *
 * @returns a frozen plain description of the layer.
 * @example
 * ```ts
 * const { kernelFn } = serial(dense({ weightStd: 2 }), erf(), dense());
 * ```
 * @see C. K. I. Williams, Computing with Infinite Networks, NeurIPS 1997.
 */
export function erf(): ErfLayer {
  return ERF;
}

const ERF: ErfLayer = Object.freeze({ kind: 'erf' });

/** The error function's {@link Moments}. */
export const erfMoments: Moments = {
  cross<T>(A: Arith<T>, k12: T, k11: T, k22: T) {
    const a = A.add(1, A.mul(k11, 2));
    const b = A.add(1, A.mul(k22, 2));
    const sine = A.clamp(A.div(A.mul(k12, 2), A.sqrt(A.mul(a, b))), -1, 1);
    const gap = A.atLeast(A.sub(A.mul(k11, k22), A.mul(k12, k12)), 0);
    const det = A.add(A.sub(A.add(a, b), 1), A.mul(gap, 4));
    return { q: A.mul(A.asin(sine), 2 / Math.PI), dot: A.div(4 / Math.PI, A.sqrt(det)) };
  },
  diag<T>(A: Arith<T>, k: T) {
    const a = A.add(1, A.mul(k, 2));
    return {
      q: A.mul(A.asin(A.div(A.mul(k, 2), a)), 2 / Math.PI),
      dot: A.div(4 / Math.PI, A.sqrt(A.add(1, A.mul(k, 4)))),
    };
  },
};
