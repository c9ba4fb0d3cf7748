import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type HyperParameter,
  hyperValue,
  type ParamInfo,
  type Params,
  roleMask,
  checkOptions,
  describeValue,
} from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { isPlainRecord } from '../transform/plain-record';
import { requireParam } from '../transform/require-param';
import { makeState, type TransformState } from '../transform/transform-state';

/**
 * Which parameters weight decay applies to:
 * - a record `{ [name]: boolean }` — `true` decays, `false` exempts; a name the record does not
 *   list **is decayed** (weight decay applies to every parameter by default, as in torch and
 *   optax), so `{ 'dense1/bias': false }` exempts exactly one parameter;
 * - a predicate `(name, param) => boolean`, called at every step with the parameter's current value.
 *
 * {@link weightDecayMask} builds the usual one (decay weights, not biases or normalization scales
 * and shifts). Records serialize with the optimizer (`model.save({ includeOptimizer: true })`);
 * predicates do not.
 */
export type DecayMask =
  | Readonly<Record<string, boolean>>
  | ((name: string, param: tf.Tensor) => boolean);

/** Options of {@link addDecayedWeights}. */
export interface AddDecayedWeightsOptions {
  /** Which parameters to decay; default: all of them. See {@link DecayMask}. */
  mask?: DecayMask;
}

/**
 * Adds decoupled weight decay to the updates: `u ← u + λ·θ` for every parameter the mask selects
 * (optax's `add_decayed_weights`). Placed **after** an adaptive scaling and before
 * `scaleByLearningRate(η)`, it gives AdamW's decoupled decay `θ ← θ − η·(u + λ·θ)`
 * (Loshchilov & Hutter, 2019), which the adaptive denominator never rescales; placed before the
 * scaling it would be an L2 penalty's gradient ({@link addL2Gradient}). Needs `params`.
 *
 * ```
 * u ← u + λ_t·θ      (masked parameters: u unchanged)
 * ```
 *
 * @param weightDecay - `λ` ≥ 0, a number or a schedule of this transformation's update count.
 * @param options - `mask`: which parameters to decay (default all), see {@link DecayMask}.
 * @throws DescentError `UNKNOWN_PARAM` for an unknown option, `BAD_HYPERPARAM`/`NON_FINITE` for
 *   `λ`, `BAD_ARGUMENT` for a malformed mask
 *   (at construction), and at update time `BAD_ARGUMENT` without `params` or when a mask predicate
 *   returns a non-boolean.
 *
 * @example
 * ```ts
 * // AdamW without decay on biases and norm parameters:
 * chain(scaleByAdam(), addDecayedWeights(1e-2, { mask: weightDecayMask(model.info) }), scaleByLearningRate(1e-3));
 * ```
 */
export function addDecayedWeights(
  weightDecay: HyperParameter,
  options: AddDecayedWeightsOptions = {},
): GradientTransformation {
  checkOptions('addDecayedWeights', options, ['mask'] satisfies (keyof AddDecayedWeightsOptions)[]);
  hyperValue('weightDecay', weightDecay, 0, { min: 0 });
  const { mask } = options;
  checkDecayMask('mask', mask);
  return addScaledParams('addDecayedWeights', weightDecay, mask);
}

/**
 * `u ← u + λ_t·θ` for every parameter `mask` selects (all without one), `λ_t` evaluated at this
 * transformation's update count: both {@link addDecayedWeights} and `addL2Gradient`, which differ
 * only in where they sit in a chain. `transform` names it in errors; the caller checks `λ` and
 * `mask` first.
 */
export function addScaledParams(
  transform: string,
  weightDecay: HyperParameter,
  mask: DecayMask | undefined,
): GradientTransformation {
  return checkedTransformation(transform, {
    init: () => makeState({ scalars: { count: 0 } }),
    update(updates: Params, state: TransformState, params?: Params) {
      const count = state.scalars.count ?? 0;
      const lambda = hyperValue('weightDecay', weightDecay, count, { min: 0 });
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        const p = requireParam(transform, params, name);
        next[name] = lambda === 0 || !isDecayed(mask, name, p) ? u : tf.add(u, tf.mul(p, lambda));
      }
      return { updates: next, state: makeState({ scalars: { count: count + 1 } }) };
    },
  });
}

/**
 * The usual weight-decay mask: decay weights (dense and conv kernels, embeddings), exempt biases
 * and normalization scales and shifts (and running statistics).
 *
 * - With `info` (the `ParamInfo` of a core `Model`): a record, `true` where the role is `weight`;
 *   it serializes with the optimizer.
 * - Without: a predicate `param.rank > 1` (timm's convention: vectors and scalars are not decayed).
 *
 * @example
 * ```ts
 * adamw({ weightDecay: 0.05, weightDecayMask: weightDecayMask(model.info) });
 * adamw({ weightDecay: 0.05, weightDecayMask: weightDecayMask() });   // by rank
 * ```
 */
export function weightDecayMask(info?: Readonly<Record<string, ParamInfo>>): DecayMask {
  if (info !== undefined && !isPlainRecord(info)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `weightDecayMask: info must be a record of ParamInfo by name, got ${describeValue(info)}.`,
    );
  }
  if (info === undefined) return (_name, param) => param.rank > 1;
  return roleMask(info as Record<string, ParamInfo>, ['weight']);
}

/**
 * Asserts `mask` is a {@link DecayMask} (or undefined): a function, or a plain object of booleans.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the offending entry.
 */
export function checkDecayMask(name: string, mask: unknown): asserts mask is DecayMask | undefined {
  if (mask === undefined || typeof mask === 'function') return;
  if (!isPlainRecord(mask)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a record of booleans by parameter name or a function (name, param) => boolean, got ${describeValue(mask)}.`,
    );
  }
  for (const [key, value] of Object.entries(mask)) {
    if (typeof value !== 'boolean') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}[${JSON.stringify(key)}] must be a boolean, got ${describeValue(value)}.`,
      );
    }
  }
}

/** Whether `mask` selects parameter `name` for decay (all parameters without a mask). */
export function isDecayed(mask: DecayMask | undefined, name: string, param: tf.Tensor): boolean {
  if (mask === undefined) return true;
  if (typeof mask !== 'function') return Object.hasOwn(mask, name) ? (mask[name] as boolean) : true;
  const decayed = mask(name, param);
  if (typeof decayed !== 'boolean') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `the weight-decay mask returned ${typeof decayed} ${String(decayed)} for "${name}"; it must return a boolean.`,
    );
  }
  return decayed;
}
