import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Model, type Params } from '@descent/core';
import {
  type LossOptions,
  checkForward,
  lossOf,
  paramList,
  readLossProblem,
  toParams,
} from './loss-of';

/** Options of {@link graspScores}. */
export type GraspOptions = LossOptions;

/**
 * GraSP scores (gradient signal preservation): for every parameter element,
 *
 * `s = −θ ⊙ (H g)`,  `g = ∂L/∂θ`,  `H = ∂²L/∂θ²`,
 *
 * where `H g` is the Hessian-vector product by double backprop, `∇_θ ⟨∇_θ L, stop_gradient(g)⟩`
 * (Wang et al., 2020). Removing the weights with the **largest** `s` reduces the gradient flow
 * `gᵀg` the least, so GraSP prunes the highest scores first (unlike SNIP and SynFlow): give
 * `prune` the option `remove: 'highest'`. Evaluated
 * at `model.params` on one batch, the model in inference mode. Every parameter is scored.
 *
 * The loss must be differentiable twice: the default is `@descent/core`'s `softmaxCrossEntropy`
 * (differentiable to any order); tfjs 4.22's own `tf.losses.softmaxCrossEntropy`, `logSoftmax`
 * and `logSumExp` are not. A model or loss using an op without a second-order gradient in tfjs is
 * refused with `NO_GRADIENTS` rather than answered with wrong numbers. Dense and conv layers,
 * `relu`, `add` and `matMul` work.
 *
 * @param model - a `Model` (`{ params, info, apply }`), float32 parameters; not changed.
 * @param batch - `{ x, y }`: float32 inputs `[n, …]` and labels (int32 ids `[n]` or float32
 *   targets `[n, C]` for the default loss).
 * @param options - `loss`: `(logits, y) => scalar`, twice differentiable (default: mean
 *   `softmaxCrossEntropy`).
 * @returns new float32 tensors, one per parameter (same keys and shapes); the caller disposes them.
 * @throws DescentError naming the argument: as {@link snipScores}, and `NO_GRADIENTS` when tfjs
 *   has no gradient of a gradient for an op of the model or the loss.
 * @example
 * ```ts
 * const scores = graspScores(net, { x, y });
 * const masks = await prune(scores, { info: net.info, density: 0.1, scope: 'global', remove: 'highest' });
 * ```
 * @see C. Wang, G. Zhang, R. Grosse, Picking Winning Tickets Before Training by Preserving
 *   Gradient Flow, ICLR 2020.
 */
export function graspScores(
  model: Model,
  batch: { x: tf.Tensor; y: tf.Tensor },
  options?: GraspOptions,
): Params {
  const fn = 'graspScores';
  const p = readLossProblem(fn, model, batch, options);
  checkForward(fn, p);
  const loss = lossOf(fn, p);
  return tf.tidy(() => {
    const theta = paramList(p);
    const g0 = tf.grads(loss)(theta);
    const gradFlow = (...values: tf.Tensor[]) => {
      const g = tf.grads(loss)(values);
      return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, g0[i] as tf.Tensor))));
    };
    let hg: tf.Tensor[];
    try {
      hg = tf.grads(gradFlow)(theta);
    } catch (error) {
      throw noSecondOrder(fn, error);
    }
    return toParams(
      p.keys,
      theta.map((t, i) => tf.neg(tf.mul(t, hg[i] as tf.Tensor))),
    );
  });
}

/** tfjs's errors for a gradient that does not reach θ in the second backward pass. */
const MISSING = /gradient function not found|Cannot compute gradient of y=f\(x\)/i;

function noSecondOrder(fn: string, error: unknown): unknown {
  if (!(error instanceof Error) || !MISSING.test(error.message)) return error;
  return new DescentError(
    'NO_GRADIENTS',
    `${fn}: tfjs has no second-order gradient for an op of the model or the loss (${error.message.split('\n')[0]}); ` +
      "GraSP needs the gradient of a gradient: use core's softmaxCrossEntropy (tfjs's logSoftmax, logSumExp and " +
      'losses.softmaxCrossEntropy have none), dense or conv layers and relu.',
    { cause: error },
  );
}
