import type * as tf from '@tensorflow/tfjs-core';
import type { ApplyOptions, Model, Params, Rng } from '@descent/core';
import { checkStats } from './check-stats';

/**
 * Options of a nets model's `apply`: core's {@link ApplyOptions} (`training`, `tap`) plus
 * - `stats`: an object (normally empty) that, in training mode, receives the **updated running
 *   statistics** of every batch-norm layer (`'<layer>_bn/moving_mean'`, `'…/moving_variance'`),
 *   as new tensors kept with `tf.keep` so they survive `tf.tidy` and `tf.grads`. Commit them with
 *   {@link assignStats} (variables) or `{ ...params, ...stats }` (plain params). Without `stats`,
 *   training mode uses batch statistics and the running ones are left as they are.
 * - `rng`: the generator for this call's dropout masks; by default each net owns one,
 *   `new Rng(seed).child('dropout')`, advanced by every training call.
 */
export interface NetApplyOptions extends ApplyOptions {
  /** Receives the new batch-norm running statistics in training mode (see above). */
  stats?: Params;
  /** Dropout generator for this call (default: the net's own, see above). */
  rng?: Rng;
}

/**
 * A model built by `@descent/nets`: a core {@link Model} (`params`, `info`, `apply`) whose
 * `apply` also takes {@link NetApplyOptions}, plus the weight layers in forward order (the `layer`
 * names that `tap` receives).
 */
export interface Net extends Model {
  /**
   * The forward pass `apply(params, x, { training, tap, stats, rng })`; returns new tensors.
   *
   * @throws DescentError before computing anything: `BAD_ARGUMENT` (params not an object, an
   *   entry or `x` not a tensor, a bad option), `UNKNOWN_PARAM` (a missing parameter or an
   *   unknown option), `DISPOSED`, `DTYPE_MISMATCH` (a parameter or `x` not float32),
   *   `SHAPE_MISMATCH` — each naming the parameter; while computing, `BAD_ARGUMENT`, `DISPOSED`,
   *   `DTYPE_MISMATCH` or `SHAPE_MISMATCH` for what `tap` returns. Values inside tensors (NaN
   *   inputs) are not checked. The `tap`'s own exceptions pass through unchanged.
   */
  apply: (params: Params, x: tf.Tensor, options?: NetApplyOptions) => tf.Tensor;
  /** The weight layers in forward order, as passed to `tap` (e.g. `['dense1', 'dense2']`). */
  layers: readonly string[];
}

/**
 * Commits batch-norm running statistics collected by `apply(…, { training: true, stats })` into
 * variables: `vars[key].assign(stats[key])` for every key of `stats`, then disposes the tensors of
 * `stats` (the object is left empty, ready for the next step).
 *
 * Every entry is checked before any variable is assigned, so a refused call changes nothing.
 *
 * @param vars - the model's parameters as variables (e.g. from core's `toVariables`).
 * @param stats - the collected statistics.
 * @throws DescentError `BAD_ARGUMENT` if `vars` or `stats` is not a plain object, an entry of
 *   `stats` is not a tensor (or is the variable itself, or appears twice) or the matching entry of
 *   `vars` is not a variable; `UNKNOWN_PARAM` if a key of `stats` is not in `vars`; `DISPOSED` if
 *   a statistic or its variable was disposed; `SHAPE_MISMATCH` / `DTYPE_MISMATCH` if a statistic's
 *   shape or dtype differs from its variable's — each naming the key, before assigning any.
 * @example
 * ```ts
 * const stats = {};
 * const { grads } = tf.variableGrads(() =>
 *   softmaxCrossEntropy(net.apply(vars, x, { training: true, stats }), y));
 * assignStats(vars, stats);
 * ```
 */
export function assignStats(vars: Record<string, tf.Variable>, stats: Params): void {
  checkStats(vars, stats);
  for (const key of Object.keys(stats)) {
    const value = stats[key] as tf.Tensor;
    (vars[key] as tf.Variable).assign(value);
    value.dispose();
    delete stats[key];
  }
}
