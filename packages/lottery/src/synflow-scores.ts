import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  checkModel,
  describeValue,
  isTensor,
} from '@descent/core';
import { applyModel, toParams } from './loss-of';

/** Options of {@link synflowScores}. */
export interface SynflowOptions {
  /** The shape of one input example, without the batch axis (e.g. `[784]` or `[28, 28, 1]`). */
  inputShape: readonly number[];
}

/** Above this value of `R` the scores are recomputed on rescaled layers (float32 max ≈ 3.4e38). */
const HUGE = 1e30;

/**
 * SynFlow scores (iterative synaptic flow, one round), data-free: every parameter is replaced by
 * its absolute value, the model is run in inference mode on one all-ones input
 * `𝟙` of shape `[1, …inputShape]`, and with `R = Σ apply(|θ|, 𝟙)` (the synaptic flow),
 *
 * `s = |θ| ⊙ ∂R/∂|θ|`
 *
 * (Tanaka et al., 2020). For a bias-free net of dense layers and ReLUs, `R = 𝟙ᵀ|W_L|ᵀ⋯|W_1|ᵀ𝟙`
 * and the scores obey the conservation law: each layer's scores sum to `R`.
 *
 * The paper's iterative SynFlow re-scores after pruning a little at a time, many rounds (100 in
 * the paper); that loop needs the masks and is left to the pruning step: this function is one
 * round, and calling it on the masked parameters (`θ ⊙ m`) is the next round.
 *
 * Float32 overflow: `R` is a product over the layers and overflows for deep or wide nets. When
 * `R` is not finite or above 1e30, the scores are recomputed with every weight of layer `l`
 * divided by `c_l = max_j Σ_i |W_l[i, j]|` (the largest column sum, over all axes but the last
 * for conv kernels), its bias, scale and shift by `c_1⋯c_l` (layers in the order of
 * `model.params`' keys), which keeps every activation ≤ 1. For nets of dense or conv layers with
 * ReLU or linear activations this multiplies **every** score by the same factor `1/(c_1⋯c_L)`,
 * so the ranking is kept, and the conservation law holds with the rescaled `R`. If `R` is still
 * not finite, `NON_FINITE` is thrown.
 *
 * @param model - a `Model` (`{ params, info, apply }`), float32 parameters; not changed.
 * @param options - `inputShape` (required): one example's shape, positive integers.
 * @returns a promise of new float32 tensors, one per parameter (same keys and shapes); the caller
 *   disposes them. (Async: `R` is read back, with `await data()`, for the overflow check.)
 * @throws DescentError naming the argument: `BAD_ARGUMENT` (not a model, options not an object,
 *   a bad `inputShape`), `UNKNOWN_PARAM`, `DISPOSED`, `DTYPE_MISMATCH`, `SHAPE_MISMATCH` (the
 *   model refuses the input shape), `NON_FINITE` (`R` not finite even rescaled).
 * @example
 * ```ts
 * const scores = await synflowScores(net, { inputShape: [784] });
 * ```
 * @see H. Tanaka, D. Kunin, D. Yamins, S. Ganguli, Pruning neural networks without any data by
 *   iteratively conserving synaptic flow, NeurIPS 2020.
 */
export async function synflowScores(model: Model, options: SynflowOptions): Promise<Params> {
  const fn = 'synflowScores';
  checkModel(`${fn}: model`, model);
  const read = new OptionReader(fn, options, ['inputShape']);
  const inputShape = readShape(read.name('inputShape'), read.raw('inputShape'));
  const first = flow(fn, model, inputShape, false);
  if (await acceptable(first.r)) return keep(first);
  disposeFlow(first);
  const second = flow(fn, model, inputShape, true);
  if (await acceptable(second.r)) return keep(second);
  disposeFlow(second);
  throw new DescentError(
    'NON_FINITE',
    `${fn}: the synaptic flow R = Σ f(|θ|, 𝟙) is not finite even with every layer rescaled; check model.params for non-finite values.`,
  );
}

interface Flow {
  r: tf.Tensor;
  scores: Params;
}

async function acceptable(r: tf.Tensor): Promise<boolean> {
  const value = (await r.data())[0] as number;
  return Number.isFinite(value) && Math.abs(value) <= HUGE;
}

function keep(f: Flow): Params {
  f.r.dispose();
  return f.scores;
}

function disposeFlow(f: Flow): void {
  f.r.dispose();
  tf.dispose(Object.values(f.scores));
}

function readShape(name: string, value: unknown): number[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a non-empty array of positive integers (one example's shape), got ${describeShape(value)}.`,
    );
  }
  return [...value];
}

function describeShape(value: unknown): string {
  if (!Array.isArray(value)) return describeValue(value);
  return `[${value.map((d) => (typeof d === 'number' ? String(d) : describeValue(d))).join(', ')}]`;
}

function flow(fn: string, model: Model, inputShape: number[], rescale: boolean): Flow {
  const keys = Object.keys(model.params);
  return tf.tidy(() => {
    const abs = keys.map((key) => tf.abs(model.params[key] as tf.Tensor));
    const scaled = rescale ? rescaled(model, keys, abs) : abs;
    const x = tf.ones([1, ...inputShape]);
    const total = (...values: tf.Tensor[]) => {
      const out = applyModel(
        fn,
        model,
        toParams(keys, values),
        x,
        'the all-ones input of synflowScores.inputShape',
      );
      if (!isTensor(out)) {
        throw new DescentError('BAD_ARGUMENT', `${fn}: model.apply must return a tensor.`);
      }
      return tf.sum(out);
    };
    // A forward pass without a tape first: a model that throws under valueAndGrads would leak
    // the tensors the tape saved for the backward pass (tfjs 4.22).
    total(...scaled);
    const { value, grads } = tf.valueAndGrads(total)(scaled);
    const scores = toParams(
      keys,
      scaled.map((t, i) => tf.mul(t, grads[i] as tf.Tensor)),
    );
    return { r: value, scores };
  });
}

/** `|θ|` with weights divided by their layer's `c_l`, other parameters by `c_1⋯c_l`. */
function rescaled(model: Model, keys: string[], abs: tf.Tensor[]): tf.Tensor[] {
  const cumulative = new Map<string, tf.Tensor>();
  let running: tf.Tensor = tf.scalar(1);
  const out = [...abs];
  keys.forEach((key, i) => {
    const info = model.info[key];
    const w = abs[i] as tf.Tensor;
    if (info?.role !== 'weight' || w.rank < 2) return;
    const columns = tf.sum(tf.reshape(w, [-1, w.shape[w.rank - 1] as number]), 0);
    const peak = tf.max(columns);
    const c = tf.where(tf.greater(peak, 0), peak, tf.onesLike(peak));
    out[i] = tf.div(w, c);
    running = tf.mul(running, c);
    cumulative.set(info.layer === '' ? key : info.layer, running);
  });
  keys.forEach((key, i) => {
    const info = model.info[key];
    if (info === undefined || info.role === 'weight' || info.role === 'stat') return;
    const c = cumulative.get(info.layer);
    if (c !== undefined) out[i] = tf.div(abs[i] as tf.Tensor, c);
  });
  return out;
}
