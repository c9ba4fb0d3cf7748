import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, DescentError, type Params, checkOptions } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { requireParam } from '../transform/require-param';
import { EMPTY_STATE, type TransformState } from '../transform/transform-state';
import { checkDecayMask, type DecayMask } from './add-decayed-weights';

/** Options of {@link scaleByTrustRatio}. */
export interface ScaleByTrustRatioOptions {
  /** Lower bound of both norms (`‖θ‖` and `‖u‖` below it count as it), ≥ 0. Default 0 (no clipping). */
  minNorm?: number;
  /** `c`, multiplies the ratio, > 0. Default 1 (optax; LARS uses 1e-3). */
  trustCoefficient?: number;
  /** `ε` ≥ 0, added to the update norm in the denominator. Default 0. */
  eps?: number;
  /**
   * Parameters to scale (optax's `masked(scale_by_trust_ratio(...), mask)`): a record by name
   * (`false` exempts; unlisted names are scaled) or a predicate; others keep their updates
   * unchanged. Default: every parameter. Same form as `addDecayedWeights`' mask, so
   * `weightDecayMask(model.info)` exempts biases and normalization parameters.
   */
  mask?: DecayMask;
}

/** Whether the mask selects parameter `name` (every parameter without a mask). */
function isSelected(mask: DecayMask | undefined, name: string, param: tf.Tensor): boolean {
  if (mask === undefined) return true;
  if (typeof mask !== 'function') return Object.hasOwn(mask, name) ? (mask[name] as boolean) : true;
  const selected = mask(name, param);
  if (typeof selected !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `the trust-ratio mask returned ${typeof selected} for "${name}"; it must return a boolean.`,
    );
  }
  return selected;
}

/**
 * Scales each parameter's update by its layer-wise trust ratio (optax's `scale_by_trust_ratio`;
 * the core of LARS and LAMB, survey §5.4):
 *
 * ```
 * ‖θ‖′ = max(‖θ‖, minNorm)       ‖u‖′ = max(‖u‖, minNorm)          (Frobenius norms, per tensor)
 * r = c·‖θ‖′ / (‖u‖′ + ε),   or r = 1 when ‖θ‖′ = 0 or ‖u‖′ = 0
 * u ← r·u
 * ```
 *
 * The zero-norm rule keeps freshly zero-initialized parameters (biases) moving and zero updates
 * harmless; so does a non-finite ratio (a NaN or ±∞ in the update or the parameter), which keeps
 * a NaN in its own element. Norms are computed on the backend (no read-back). Needs `params`; stateless.
 * Defaults as optax: minNorm 0, trustCoefficient 1, eps 0. Differences: optax spells the
 * per-parameter exclusion as `masked(…, mask)`; here it is the `mask` option.
 *
 * @throws DescentError `BAD_HYPERPARAM`/`NON_FINITE` for a bad option; `BAD_ARGUMENT` when an
 *   update arrives without its parameter, and the argument checks of every transformation
 *   (`SHAPE_MISMATCH`, `DTYPE_MISMATCH`, `UNKNOWN_PARAM`, `DISPOSED`).
 *
 * @example
 * ```ts
 * const lamb = chain(scaleByAdam({ epsilon: 1e-6 }), addDecayedWeights(0.01), scaleByTrustRatio(), scaleByLearningRate(1e-3));
 * ```
 *
 * You et al., "Large Batch Training of Convolutional Networks" (2017), arXiv:1708.03888.
 */
export function scaleByTrustRatio(options: ScaleByTrustRatioOptions = {}): GradientTransformation {
  checkOptions('scaleByTrustRatio', options, [
    'minNorm',
    'trustCoefficient',
    'eps',
    'mask',
  ] satisfies (keyof ScaleByTrustRatioOptions)[]);
  const { minNorm = 0, trustCoefficient = 1, eps = 0, mask } = options;
  checkNumber('minNorm', minNorm, { min: 0 });
  checkNumber('trustCoefficient', trustCoefficient, { min: 0, minExclusive: true });
  checkNumber('eps', eps, { min: 0 });
  checkDecayMask('mask', mask);
  return checkedTransformation('scaleByTrustRatio', {
    init: () => EMPTY_STATE,
    update(updates: Params, state: TransformState, params?: Params) {
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        const p = requireParam('scaleByTrustRatio', params, name);
        next[name] = isSelected(mask, name, p)
          ? trustRatioScaled(u, p, minNorm, trustCoefficient, eps)
          : u;
      }
      return { updates: next, state };
    },
  });
}

/** `u · r(θ, u)`: the update scaled by its trust ratio (inside the caller's `tf.tidy`). */
function trustRatioScaled(
  u: tf.Tensor,
  p: tf.Tensor,
  minNorm: number,
  trustCoefficient: number,
  eps: number,
): tf.Tensor {
  const paramNorm = tf.maximum(tf.sqrt(tf.sum(tf.square(p))), minNorm);
  const updateNorm = tf.maximum(tf.sqrt(tf.sum(tf.square(u))), minNorm);
  const ratio = tf.div(tf.mul(paramNorm, trustCoefficient), tf.add(updateNorm, eps));
  // A zero norm, or a non-finite one (a NaN in the update), leaves the update unscaled, so a NaN
  // stays in its own element.
  const zero = tf.logicalOr(
    tf.logicalOr(tf.equal(paramNorm, 0), tf.equal(updateNorm, 0)),
    tf.logicalNot(tf.isFinite(ratio)),
  );
  const safe = tf.where(zero, tf.onesLike(ratio), ratio);
  return tf.mul(u, safe);
}
