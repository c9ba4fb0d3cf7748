import { checkNumber } from '@descent/core';
import type { Arith } from './arith';
import type { AbReluLayer, Moments } from './layer';
import { angle, sinFromCos } from './relu';

/**
 * `φ(x) = a·min(x, 0) + b·max(x, 0)` for {@link serial} (neural-tangents' `ABRelu`): ReLU is
 * `abRelu(0, 1)`, leaky ReLU `abRelu(α, 1)`, the identity `abRelu(1, 1)`, `|x|` is `abRelu(−1, 1)`.
 * Writing `φ(u) = b·relu(u) − a·relu(−u)` and using that `(u, −v)` has angle `π − θ`,
 * with `θ = arccos(k12/√(k11 k22))`:
 * `E[φ(u)φ(v)] = √(k11 k22)/(2π)·((a² + b²)(sin θ + (π − θ) cos θ) − 2ab(sin θ − θ cos θ))` and
 * `Σ̇ = E[φ′(u)φ′(v)] = ((a² + b²)(π − θ) + 2abθ)/(2π)`; on the diagonal `(a² + b²)k/2` and
 * `(a² + b²)/2`. For `a = b` these reduce to `a²k12` and `a²`: a linear layer.
 *
 * @param a - The slope for `x < 0` (a finite number).
 * @param b - The slope for `x > 0` (a finite number).
 * @returns a frozen plain description of the layer.
 * @throws DescentError `BAD_HYPERPARAM` (not a number), `NON_FINITE`.
 * @example
 * ```ts
 * const leaky = serial(dense(), abRelu(0.1, 1), dense());
 * ```
 */
export function abRelu(a: number, b: number): AbReluLayer {
  return readAbRelu(a, b, 'abRelu: ');
}

/** Checks the slopes (`prefix` starts each name in messages) and returns the description. */
export function readAbRelu(a: unknown, b: unknown, prefix: string): AbReluLayer {
  checkNumber(`${prefix}a`, a);
  checkNumber(`${prefix}b`, b);
  return Object.freeze({ kind: 'abRelu', a: a === 0 ? 0 : a, b: b === 0 ? 0 : b });
}

/** The {@link Moments} of `abRelu(a, b)`. */
export function abReluMoments(a: number, b: number): Moments {
  const squares = a * a + b * b;
  const cross = 2 * a * b;
  return {
    cross<T>(A: Arith<T>, k12: T, k11: T, k22: T) {
      const { norm, cos, theta } = angle(A, k12, k11, k22);
      const sin = sinFromCos(A, cos);
      const rest = A.sub(Math.PI, theta);
      const same = A.add(sin, A.mul(rest, cos));
      const opposite = A.sub(sin, A.mul(theta, cos));
      const j = A.sub(A.mul(same, squares), A.mul(opposite, cross));
      const dot = A.add(A.mul(rest, squares), A.mul(theta, cross));
      return { q: A.div(A.mul(norm, j), 2 * Math.PI), dot: A.div(dot, 2 * Math.PI) };
    },
    diag<T>(A: Arith<T>, k: T) {
      return { q: A.mul(k, squares / 2), dot: A.fill(k, squares / 2) };
    },
  };
}
