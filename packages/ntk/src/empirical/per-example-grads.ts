import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  checkTensor,
  describeValue,
  formatShape,
  isTensor,
  mse,
  softmaxCrossEntropy,
} from '@descent/core';
import {
  type NtkFn,
  type NtkProblem,
  checkBatch,
  exampleOf,
  outputs,
  paramList,
  probeOutputs,
  readNtkProblem,
} from './ntk-problem';

/** A per-example loss: `(outputs [1, O], y [1, …]) => float32 scalar`. */
export type ExampleLoss = (outputs: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/** Options of {@link perExampleGrads}. */
export interface PerExampleGradsOptions {
  /**
   * The loss of one example (its outputs `[1, O]` and label `[1, …]`). Default: with int32 labels
   * `[N]`, core's `softmaxCrossEntropy`; with float32 targets `[N, O]`, core's `mse` (mean over
   * the `O` outputs); without labels, the sum of the outputs.
   */
  loss?: ExampleLoss;
}

/**
 * Per-example gradients `gᵢ = ∂ℓ(f(θ, xᵢ), yᵢ)/∂θ`, stacked: every differentiated parameter of
 * shape `s` comes back as `[N, …s]`, entry `i` the gradient of example `i` alone (it runs as a
 * batch of one, so nothing is assumed about how examples interact). The default loss `ℓ`:
 * `Σ_a f_a(xᵢ)` without `y`; core's `softmaxCrossEntropy` for int32 class ids `y` `[N]`; core's
 * `mse` (mean over outputs, no ½) for float32 targets `y` `[N, O]`. A model runs in inference
 * mode and its `'stat'` parameters are held fixed (and left out of the result).
 *
 * @param modelOrFn - a core `Model` or a function `(params, x) => f(x)`, float32 `[n, O]` or `[n]`.
 * @param params - the parameters `θ`; not changed.
 * @param x - inputs `[N, …]`.
 * @param y - labels `[N, …]` (optional; see above), or `null`.
 * @param options - `loss` (see {@link PerExampleGradsOptions}).
 * @returns new float32 tensors keyed like the differentiated parameters; the caller disposes them.
 * @throws DescentError before the tape: `BAD_ARGUMENT` (not a model or function, not tensors,
 *   a loss that is not a function or returns no float32 scalar), `UNKNOWN_PARAM`, `DISPOSED`,
 *   `DTYPE_MISMATCH` (labels neither int32 nor float32 for the default loss), `SHAPE_MISMATCH`
 *   (labels that do not fit x or the outputs, an input the model refuses).
 * @example
 * ```ts
 * const g = perExampleGrads(net, net.params, x, labels); // { 'dense1/kernel': [N, 3, 16], … }
 * ```
 */
export function perExampleGrads(
  modelOrFn: Model | NtkFn,
  params: Params,
  x: tf.Tensor,
  y?: tf.Tensor | null,
  options?: PerExampleGradsOptions,
): Params {
  const fn = 'perExampleGrads';
  const p = readNtkProblem(fn, modelOrFn, params);
  checkBatch(fn, 'x', x);
  const labels = y === null ? undefined : y;
  if (labels !== undefined) checkLabelRows(fn, x, labels);
  const read = new OptionReader(fn, options === undefined ? {} : options, ['loss']);
  const custom = read.raw('loss') !== undefined;
  const loss = custom ? read.func<ExampleLoss>('loss') : defaultLoss(fn, labels);
  const outputCount = probeOutputs(p, x, 'x');
  if (!custom && labels !== undefined) checkDefaultLabels(fn, labels, outputCount);
  const lossOf = exampleLoss(p, loss, labels);
  tf.tidy(() => {
    lossOf(paramList(p), exampleOf(x, 0), 0);
  });
  return tf.tidy(() => {
    const theta = paramList(p);
    const rows: tf.Tensor[][] = theta.map(() => []);
    const n = x.shape[0] as number;
    for (let i = 0; i < n; i++) {
      const xi = exampleOf(x, i);
      const g = tf.grads((...values: tf.Tensor[]) => lossOf(values, xi, i))([...theta]);
      g.forEach((gk, k) => {
        (rows[k] as tf.Tensor[]).push(gk);
      });
    }
    const out: Params = {};
    p.keys.forEach((key, k) => {
      out[key] = tf.stack(rows[k] as tf.Tensor[], 0);
    });
    return out;
  });
}

function checkLabelRows(fn: string, x: tf.Tensor, y: unknown): asserts y is tf.Tensor {
  checkTensor(`${fn}: y`, y);
  if (y.rank === 0 || y.shape[0] !== x.shape[0]) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: y must have one label per example of x (${formatShape(x.shape)}), got ${formatShape(y.shape)}.`,
    );
  }
}

function defaultLoss(fn: string, y: tf.Tensor | undefined): ExampleLoss {
  if (y === undefined) return (out) => tf.sum(out);
  if (y.dtype === 'int32') return (out, label) => softmaxCrossEntropy(out, tf.reshape(label, [1]));
  if (y.dtype === 'float32') return (out, target) => mse(out, target);
  throw new DescentError(
    'DTYPE_MISMATCH',
    `${fn}: y must be int32 class ids or float32 targets for the default loss, got dtype ${y.dtype}.`,
  );
}

function checkDefaultLabels(fn: string, y: tf.Tensor, outputCount: number): void {
  const ok = y.dtype === 'int32' ? y.rank === 1 : y.rank === 2 && y.shape[1] === outputCount;
  if (!ok) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: y ${y.dtype} ${formatShape(y.shape)} does not fit the model's ${outputCount} outputs: ` +
        `int32 class ids need [N], float32 targets [N, ${outputCount}].`,
    );
  }
}

/** The loss of example `i` at `theta`; a custom loss's result is checked (a float32 scalar). */
function exampleLoss(
  p: NtkProblem,
  loss: ExampleLoss,
  y: tf.Tensor | undefined,
): (theta: readonly tf.Tensor[], xi: tf.Tensor, i: number) => tf.Tensor {
  return (theta, xi, i) => {
    const yi = y === undefined ? tf.zeros([1]) : exampleOf(y, i);
    const value = loss(outputs(p, theta, xi), yi);
    if (!isTensor(value) || value.rank !== 0 || value.dtype !== 'float32') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${p.fn}.loss must return a float32 scalar tensor, got ${
          isTensor(value)
            ? `a ${value.dtype} tensor of shape ${formatShape(value.shape)}`
            : describeValue(value)
        }.`,
      );
    }
    return value;
  };
}
