import * as tf from '@tensorflow/tfjs-core';
import type { Model, Params } from '@descent/core';
import {
  type LossOptions,
  checkForward,
  lossOf,
  paramList,
  readLossProblem,
  toParams,
} from './loss-of';

/** Options of {@link snipScores}. */
export type SnipOptions = LossOptions;

/**
 * SNIP connection sensitivity: for every parameter element,
 *
 * `s = |θ ⊙ ∂L/∂θ|`,
 *
 * the first-order change of the loss `L(θ; x, y)` when that connection is removed (Lee et al.,
 * 2019). Evaluated once at `model.params` on one batch, the model in inference mode
 * (`apply(params, x, { training: false })`). Every parameter is scored; keep the weights with
 * `roleMask(model.info, ['weight'])` before pruning. The paper's normalization by `Σ s` does not
 * change a ranking and is left out.
 *
 * @param model - a `Model` (`{ params, info, apply }`), float32 parameters; not changed.
 * @param batch - `{ x, y }`: float32 inputs `[n, …]` and labels (int32 ids `[n]` or float32
 *   targets `[n, C]` for the default loss; anything the custom `loss` takes otherwise).
 * @param options - `loss`: `(logits, y) => scalar` (default: mean `softmaxCrossEntropy`).
 * @returns new float32 tensors, one per parameter (same keys and shapes); the caller disposes them.
 * @throws DescentError naming the argument: `BAD_ARGUMENT` (not a model, not an object, a loss
 *   that is not a function or returns no float32 scalar), `UNKNOWN_PARAM` (unknown keys),
 *   `DISPOSED`, `DTYPE_MISMATCH` (x not float32, labels neither int32 nor float32),
 *   `SHAPE_MISMATCH` (labels that do not fit x or the logits), `BAD_HYPERPARAM`.
 * @example
 * ```ts
 * const scores = snipScores(net, { x, y }); // { 'dense0/kernel': |θ ⊙ g|, … }
 * ```
 * @see N. Lee, T. Ajanthan, P. Torr, SNIP: Single-shot Network Pruning based on Connection
 *   Sensitivity, ICLR 2019.
 */
export function snipScores(
  model: Model,
  batch: { x: tf.Tensor; y: tf.Tensor },
  options?: SnipOptions,
): Params {
  const fn = 'snipScores';
  const p = readLossProblem(fn, model, batch, options);
  checkForward(fn, p);
  return tf.tidy(() => {
    const theta = paramList(p);
    const grads = tf.grads(lossOf(fn, p))(theta);
    return toParams(
      p.keys,
      theta.map((t, i) => tf.abs(tf.mul(t, grads[i] as tf.Tensor))),
    );
  });
}
