import * as tf from '@tensorflow/tfjs-core';
import {
  type ApplyOptions,
  DescentError,
  type Model,
  type Params,
  checkModel,
  describeValue,
  isPlainObject,
} from '@descent/core';
import { type Masks, checkMask } from './masks';

/**
 * A model whose forward pass sees the masked parameters: for every parameter with a mask,
 *
 * `f̃(θ, x) = f(θ ⊙ m, x)`,
 *
 * the product taken inside the forward pass, so that by the chain rule
 * `∂L/∂θ = m ⊙ ∂L/∂(θ ⊙ m)`: the gradient of every pruned weight (`m = 0`) is exactly zero and
 * its value never affects the output, whatever optimizer, momentum or weight decay trains the
 * unmasked tensors. Parameters without a mask (biases, unpruned layers) pass through unchanged.
 * This is the sparse subnetwork `f(x; m ⊙ θ)` trained in the lottery-ticket experiments.
 *
 * The returned model shares `model.params` and `model.info` (same objects) and calls
 * `model.apply` (as a method, with the same options) on the masked tensors, which it frees after
 * the call. Use it with code that does not take masks; descent's optimizers take a `masks` option
 * that keeps the stored pruned weights exactly zero instead.
 *
 * The masks stay the caller's: they are not copied, so keep them alive (undisposed, unchanged)
 * while the returned model is used, and dispose them afterwards.
 *
 * @param model - a `Model` (`{ params, info, apply }`), float32 parameters; not changed.
 * @param masks - float32 tensors of 0s and 1s keyed like (some of) `model.params`, each shaped
 *   like its parameter (e.g. from `prune`).
 * @returns a new `Model` `{ params: model.params, info: model.info, apply }`; it owns no tensor.
 * @throws DescentError before anything is allocated: `BAD_ARGUMENT` (not a model, masks not a
 *   plain object, a mask that is not a tensor), `UNKNOWN_PARAM` (a mask for no parameter),
 *   `DISPOSED`, `DTYPE_MISMATCH` (a mask not float32), `SHAPE_MISMATCH` — each naming the key.
 *   The returned `apply` throws `DISPOSED` for a mask disposed since, and `SHAPE_MISMATCH` for a
 *   masked parameter of another shape than its mask.
 * @example
 * ```ts
 * const masks = prune(magnitudeScores(net.params), { info: net.info, rate: 0.8 });
 * const sparse = prunedModel(net, masks);
 * const grads = tf.grads((...θ) => loss(sparse.apply(toParams(θ), x), y)); // 0 where m = 0
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural
 *   Networks, ICLR 2019.
 */
export function prunedModel(model: Model, masks: Masks): Model {
  const fn = 'prunedModel';
  checkModel(`${fn}: model`, model);
  if (!isPlainObject(masks)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: masks must be a plain object of float32 tensors keyed by parameter name, got ${describeValue(masks)}.`,
    );
  }
  const entries: [string, tf.Tensor, string][] = [];
  for (const key of Object.keys(masks)) {
    const label = `${fn}: masks[${JSON.stringify(key)}]`;
    const param = model.params[key];
    if (!Object.hasOwn(model.params, key) || param === undefined) {
      throw new DescentError('UNKNOWN_PARAM', `${label} masks no parameter of the model.`);
    }
    entries.push([key, checkMask(label, masks[key], param.shape), label]);
  }
  const { params, info } = model;
  const apply = (p: Params, x: tf.Tensor, options?: ApplyOptions): tf.Tensor => {
    const masked: tf.Tensor[] = [];
    const inputs: Params = { ...p };
    for (const [key, mask, label] of entries) {
      const theta = p[key];
      if (theta === undefined || !Object.hasOwn(p, key)) continue;
      checkMask(label, mask, theta.shape);
      const product = tf.mul(theta, mask);
      masked.push(product);
      inputs[key] = product;
    }
    let out: tf.Tensor | undefined;
    try {
      out = model.apply(inputs, x, options);
      return out;
    } finally {
      // The tape keeps its own copies of what the backward pass needs.
      for (const t of masked) if (t !== out) t.dispose();
    }
  };
  return { params, info, apply };
}
