import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  type Params,
  checkSameStructure,
  globalNormValue,
} from '@descent/core';
import {
  type LossFn,
  checkFloatParams,
  checkLossFn,
  guardedLoss,
  throwIfFailed,
} from '../loss/loss-fn';
import { gradientsOrNone } from '../loss/gradients';

/** Options of {@link hvpFiniteDifference}. */
export interface HvpFiniteDifferenceOptions {
  /**
   * The length of the step along `v/‖v‖`. Default `1e-3`: in float32 the rounding error of the
   * difference, about `6e-8·‖∇L‖/ε`, and the truncation error, about `ε²·‖∇³L‖/6`, are then both
   * small for losses of order one.
   */
  epsilon?: number;
}

/**
 * `H·v` by central differences of gradients — the check of {@link hvp} that needs no
 * second-order autodiff: with `u = v/‖v‖`,
 * `H·v ≈ ‖v‖ · (∇L(θ + εu) − ∇L(θ − εu)) / (2ε)`, error `O(ε²)` plus float32 rounding.
 * Two gradient evaluations; a zero `v` gives zeros.
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params`.
 * @param params - `θ`, a non-empty map of float32 tensors (not modified).
 * @param v - the direction, shaped like `params`.
 * @param options - `epsilon` (`1e-3`).
 * @returns the approximation of `H·v`, new tensors keyed like `params`.
 * @throws DescentError as {@link hvp}, and `BAD_HYPERPARAM` / `NON_FINITE` for `epsilon ≤ 0`.
 * @example
 * ```ts
 * const exact = hvp(loss, params, v);
 * const approx = await hvpFiniteDifference(loss, params, v, { epsilon: 1e-3 });
 * ```
 * @see B. A. Pearlmutter (1994), §2 (the finite-difference approximation an exact product replaces).
 */
export async function hvpFiniteDifference(
  loss: LossFn,
  params: Params,
  v: Params,
  options: HvpFiniteDifferenceOptions = {},
): Promise<Params> {
  const fn = 'hvpFiniteDifference';
  const read = new OptionReader(fn, options, ['epsilon']);
  const epsilon = read.number('epsilon', 1e-3, { min: 0, minExclusive: true });
  checkLossFn(fn, loss);
  checkFloatParams(`${fn}: params`, params);
  checkSameStructure(`${fn}: params`, params, `${fn}: v`, v);
  const keys = Object.keys(params);
  const norm = await globalNormValue(v);
  if (!Number.isFinite(norm)) {
    throw new DescentError('NON_FINITE', `${fn}: v has a NaN or infinite entry (‖v‖ = ${norm}).`);
  }
  const failure: { error?: unknown } = {};
  const out = tf.tidy(() => {
    const f = guardedLoss(fn, loss, keys, failure);
    const gradAt = (sign: number) =>
      gradientsOrNone(
        f,
        keys.map((k) =>
          norm === 0
            ? (params[k] as tf.Tensor)
            : tf.add(params[k] as tf.Tensor, tf.mul(v[k] as tf.Tensor, (sign * epsilon) / norm)),
        ),
      );
    const up = gradAt(1);
    const down = gradAt(-1);
    const result: Params = {};
    keys.forEach((k, i) => {
      const p = params[k] as tf.Tensor;
      result[k] =
        norm === 0
          ? tf.zerosLike(p)
          : tf.mul(
              tf.sub(up[i] ?? tf.zerosLike(p), down[i] ?? tf.zerosLike(p)),
              norm / (2 * epsilon),
            );
    });
    return result;
  });
  if (failure.error !== undefined) tf.dispose(Object.values(out));
  throwIfFailed(failure);
  return out;
}
