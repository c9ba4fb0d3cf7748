import * as tf from '@tensorflow/tfjs-core';
import {
  type ApplyFn,
  DescentError,
  type Model,
  type Params,
  checkModel,
  checkDtype,
  checkFiniteTensor,
  checkTensor,
  describeValue,
  isTensor,
  formatShape,
  toApplyFn,
} from '@descent/core';
import { jacobiEigenvalues } from './linalg/jacobi-eigenvalues';
import { InitOptionReader } from './init-option-reader';
import { type TapRecord, traceTaps } from './tap-trace';

/** Options of {@link signalPropagation}. */
export interface SignalPropagationOptions {
  /**
   * The scalar `L` whose gradients are measured, from the model output `y` (default: the sum of
   * all outputs, `L = Σ y`, so `∂L/∂z_l = Σ_k J_{l→out}[k, ·]` per example).
   */
  loss?: (output: tf.Tensor) => tf.Tensor;
  /**
   * How many examples (the first ones of the batch) the Jacobian spectra are averaged over
   * (default 4, capped at the batch size); 0 skips every Jacobian (`jacobian: null`).
   */
  jacobianSamples?: number;
  /** Also compute the Jacobian from the input to every layer (default `true`), not only to the output. */
  layerJacobians?: boolean;
  /**
   * Rows (Jacobian rows, i.e. output units) per backward pass (default 2048): the example is
   * replicated this many times in one batch. Lower it to save memory.
   */
  maxJacobianRows?: number;
  /** Ratio beyond which the verdict is `'exploding'` / `'vanishing'` (default 10, i.e. [1/10, 10] is stable). */
  threshold?: number;
}

/** Statistics of the singular values `s` of per-example Jacobians, pooled over the examples. */
export interface SpectrumStats {
  /** Mean of the singular values `s`. */
  mean: number;
  /** Variance (population) of `s`. */
  variance: number;
  /** Mean of `s²`, the eigenvalues of `JJᵀ` (≈ 1 at criticality). */
  squaredMean: number;
  /** Variance of `s²`: Pennington et al.'s `σ²_{JJᵀ}` (0 for an isometry, ≈ depth for orthogonal ReLU nets). */
  squaredVariance: number;
  /** Smallest singular value. */
  min: number;
  /** Largest singular value. */
  max: number;
  /** How many singular values were pooled (`min(rows, cols)` per example). */
  count: number;
}

/** The signal statistics of one tapped layer. */
export interface LayerSignal {
  /** The layer name passed to `tap`. */
  layer: string;
  /** The shape of its pre-activation output `z` on the batch. */
  shape: number[];
  /** `E[z²]`, the mean of `z²` over all elements (batch included). */
  forwardSecondMoment: number;
  /** `‖∂L/∂z‖`, the Frobenius norm over the whole batch of the gradient of `L` at `z`. */
  backwardGradNorm: number;
  /** Singular values of the per-example Jacobian `∂z/∂x` from the input to this layer; `null` if skipped. */
  jacobian: SpectrumStats | null;
}

/** What {@link signalPropagation} reports. */
export interface SignalPropagationReport {
  /** One entry per `tap` call, in forward order. */
  layers: LayerSignal[];
  /** Singular values of the per-example input–output Jacobian `∂y/∂x`; `null` if skipped. */
  inputOutput: SpectrumStats | null;
  /** `E[z²]` of the last tapped layer over that of the first. */
  forwardRatio: number;
  /** `‖∂L/∂z‖` of the first tapped layer over that of the last (how gradients grow toward the input). */
  backwardRatio: number;
  /** `'exploding'`, `'vanishing'` or `'stable'` (see {@link signalPropagation}). */
  verdict: 'exploding' | 'vanishing' | 'stable';
  /** One line for a log, e.g. `stable: E[z²] ×0.93 and ‖∂L/∂z‖ ×1.08 over 50 layers`. */
  summary: string;
}

/**
 * Measures how signals propagate through a model at its current parameters — the instruments
 * of survey §4.1 for gradient explosion and vanishing:
 *
 * - **forward**: per layer, the second moment `q_l = E[z_l²]` of the pre-activation on `batch`
 *   (mean-field theory: it should neither shrink nor grow with depth);
 * - **backward**: per layer, `‖∂L/∂z_l‖` (Frobenius over the batch) for `L = Σ y` or the given
 *   `loss`, read by adding a zero `δ_l` at each tap (`z_l + δ_l`) and taking `tf.grads` with
 *   respect to the `δ`s;
 * - **dynamical isometry**: singular values of the per-example Jacobians `∂z_l/∂x` and
 *   `∂y/∂x` (Pennington, Schoenholz & Ganguli 2017): their mean, variance, and the mean and
 *   variance of their squares (the spectrum of `JJᵀ`). Rows come from vector-Jacobian products:
 *   one example is replicated once per output unit and one backward pass of the sum of the
 *   "diagonal" outputs gives every row at once; the spectrum is from the eigenvalues of the
 *   smaller of `JJᵀ`, `JᵀJ`, computed in float64 by the Jacobi method.
 *
 * **Verdict.** With `T = threshold` (default 10): `'exploding'` if `E[z²]` of the last layer is
 * more than `T` times that of the first (or not finite); `'vanishing'` if less than `1/T` times;
 * otherwise the same test on the gradient norm ratio first/last (gradients growing toward the
 * input explode); `'stable'` if both ratios are within `[1/T, T]`.
 *
 * Assumes examples are independent (no batch statistics: the model runs with
 * `training: false`) and batch-first tensors. Cost: one forward and backward pass for the
 * moments, plus `⌈Σ rows / maxJacobianRows⌉` passes per Jacobian example.
 *
 * @param model - a {@link Model} whose `apply` calls `tap(layer, z)` on each pre-activation.
 * @param batch - an input batch `[B, …]`, `B ≥ 1`.
 * @param options - `loss` (sum of outputs), `jacobianSamples` (4), `layerJacobians` (true),
 *   `maxJacobianRows` (2048), `threshold` (10).
 * @returns the per-layer statistics, the input–output spectrum, both ratios and the verdict.
 * @throws DescentError `BAD_ARGUMENT` (not a model, a model that does not tap or return a tensor,
 *   a loss that is not a function or does not return a float32 scalar, a batch that is not a
 *   tensor or has rank 0 or size 0, taps that change between passes, options not an object),
 *   `DISPOSED` for a disposed batch or parameter, `DTYPE_MISMATCH` for a batch that is not
 *   float32 when Jacobians are computed, `UNKNOWN_PARAM` for an unknown option,
 *   `BAD_HYPERPARAM`/`NON_FINITE` for bad numbers, `NON_FINITE` for a batch holding NaN or
 *   ±Infinity (read asynchronously; parameters are not read: non-finite weights show up as an
 *   `'exploding'` verdict). Exceptions thrown by `loss` or `model.apply`
 *   themselves pass through unchanged.
 * @example
 * ```ts
 * const report = await signalPropagation(model, xBatch, { jacobianSamples: 2 });
 * console.log(report.summary); // "vanishing: E[z²] ×3.1e-38 and ‖∂L/∂z‖ ×… over 50 layers"
 * ```
 * @see J. Pennington, S. Schoenholz, S. Ganguli, Resurrecting the sigmoid in deep learning
 *   through dynamical isometry: theory and practice, NeurIPS 2017; B. Poole et al., Exponential
 *   expressivity in deep neural networks through transient chaos, NeurIPS 2016.
 */
export async function signalPropagation(
  model: Model,
  batch: tf.Tensor,
  options?: SignalPropagationOptions,
): Promise<SignalPropagationReport> {
  const fn = 'signalPropagation';
  checkModel(`${fn}: model`, model);
  checkTensor(`${fn}: batch`, batch);
  if (batch.rank < 1 || batch.shape[0] === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: batch must be batch-first with at least one example, got shape ${formatShape(batch.shape)}.`,
    );
  }
  const read = new InitOptionReader(fn, options, [
    'loss',
    'jacobianSamples',
    'layerJacobians',
    'maxJacobianRows',
    'threshold',
  ]);
  const loss =
    read.raw('loss') === undefined
      ? undefined
      : read.func<(output: tf.Tensor) => tf.Scalar>('loss');
  const jacobianSamples = read.integer('jacobianSamples', 4, { min: 0 });
  const maxJacobianRows = read.integer('maxJacobianRows', 2048, { min: 1 });
  const threshold = read.number('threshold', 10, { min: 1, minExclusive: true });
  const layerJacobians = read.boolean('layerJacobians', true);
  if (jacobianSamples > 0) checkJacobianInput(fn, batch);
  await checkFiniteTensor(`${fn}: batch`, batch);
  const apply = toApplyFn(model);
  const params = model.params;
  // The loss is checked here, outside any gradient tape: a throw inside tf.grads would leave
  // the tensors tfjs saved for the backward pass behind.
  const records = traceTaps(fn, apply, params, batch, (y) => checkLoss(fn, loss, y));

  const { moments, gradNorms, outputShape } = await forwardBackward(
    fn,
    apply,
    params,
    batch,
    records,
    loss,
  );

  const samples = Math.min(jacobianSamples, batch.shape[0]!);
  let layerSpectra: (SpectrumStats | null)[] = records.map(() => null);
  let inputOutput: SpectrumStats | null = null;
  if (samples > 0) {
    const targets: JacobianTarget[] = [
      ...(layerJacobians ? records.map((r, k) => ({ tap: k, rows: rowsOf(r.shape) })) : []),
      { tap: -1, rows: rowsOf(outputShape) },
    ];
    const spectra = await jacobianSpectra(fn, apply, params, batch, samples, targets, {
      maxRows: maxJacobianRows,
      taps: records.length,
    });
    inputOutput = spectra[spectra.length - 1]!;
    if (layerJacobians) layerSpectra = spectra.slice(0, records.length);
  }

  const layers: LayerSignal[] = records.map((r, k) => ({
    layer: r.layer,
    shape: r.shape,
    forwardSecondMoment: moments[k]!,
    backwardGradNorm: gradNorms[k]!,
    jacobian: layerSpectra[k]!,
  }));
  const first = layers[0]!;
  const last = layers[layers.length - 1]!;
  const forwardRatio = last.forwardSecondMoment / first.forwardSecondMoment;
  const backwardRatio = first.backwardGradNorm / last.backwardGradNorm;
  const verdict = judge(last.forwardSecondMoment, forwardRatio, backwardRatio, threshold);
  const summary =
    `${verdict}: E[z²] ×${fmt(forwardRatio)} and ‖∂L/∂z‖ ×${fmt(backwardRatio)} ` +
    `over ${layers.length} layers` +
    (inputOutput
      ? `; input–output Jacobian singular values ${fmt(inputOutput.mean)} ± ${fmt(Math.sqrt(inputOutput.variance))}`
      : '');
  return { layers, inputOutput, forwardRatio, backwardRatio, verdict, summary };
}

/** The Jacobians `∂z/∂x` are gradients with respect to the batch, which must then be float32. */
function checkJacobianInput(fn: string, batch: tf.Tensor): void {
  if (batch.dtype === 'float32') return;
  checkDtype(
    `${fn}: batch (the Jacobians ∂z/∂x differentiate with respect to it; jacobianSamples: 0 skips them)`,
    batch,
    'float32',
  );
}

function judge(
  lastMoment: number,
  forwardRatio: number,
  backwardRatio: number,
  threshold: number,
): 'exploding' | 'vanishing' | 'stable' {
  if (!Number.isFinite(lastMoment) || forwardRatio > threshold) return 'exploding';
  if (!(forwardRatio >= 1 / threshold)) return 'vanishing';
  if (backwardRatio > threshold) return 'exploding';
  if (!(backwardRatio >= 1 / threshold)) return 'vanishing';
  return 'stable';
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2);
}

function rowsOf(shape: readonly number[]): number {
  return shape.slice(1).reduce((p, d) => p * d, 1);
}

/** One pass: second moments at every tap, and gradients of the loss at every tap (zero δ trick). */
async function forwardBackward(
  fn: string,
  apply: ApplyFn,
  params: Params,
  batch: tf.Tensor,
  records: TapRecord[],
  loss: ((y: tf.Tensor) => tf.Tensor) | undefined,
): Promise<{ moments: number[]; gradNorms: number[]; outputShape: number[] }> {
  const deltas = records.map((r) => tf.zeros(r.shape));
  const momentTensors: tf.Tensor[] = [];
  let outputShape: number[] = [];
  let norms: tf.Tensor | undefined;
  try {
    const f = (...ds: tf.Tensor[]): tf.Scalar => {
      let calls = 0;
      const y = apply(params, batch, {
        training: false,
        tap: (layer, z) => {
          const k = calls++;
          const record = records[k];
          if (record === undefined || record.layer !== String(layer)) {
            throw tapsChanged(fn, k, layer);
          }
          momentTensors.push(tf.keep(tf.mean(tf.square(z))));
          return tf.add(z, ds[k]!);
        },
      });
      if (calls !== records.length) throw tapsChanged(fn, calls, '(none)');
      outputShape = [...y.shape];
      return checkLoss(fn, loss, y);
    };
    norms = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads(f)(deltas);
      value.dispose();
      return tf.stack(grads.map((g) => tf.norm(g)));
    });
    const gradNorms = Array.from(await norms.data());
    const moments = await Promise.all(momentTensors.map(async (t) => (await t.data())[0]!));
    return { moments, gradNorms, outputShape };
  } finally {
    tf.dispose(deltas);
    tf.dispose(momentTensors);
    norms?.dispose();
  }
}

/** `loss(y)` (default `Σ y`), asserted to be a scalar tensor. */
function checkLoss(
  fn: string,
  loss: ((y: tf.Tensor) => tf.Tensor) | undefined,
  y: tf.Tensor,
): tf.Scalar {
  const value: unknown = loss ? loss(y) : tf.sum(y);
  if (!isTensor(value) || value.isDisposed || value.rank !== 0 || value.dtype !== 'float32') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}.loss must return a live float32 scalar tensor, got ${describeValue(value)}.`,
    );
  }
  return value as tf.Scalar;
}

function tapsChanged(fn: string, index: number, layer: unknown): DescentError {
  return new DescentError(
    'BAD_ARGUMENT',
    `${fn}: the model's taps changed between forward passes (call ${index}: ${JSON.stringify(String(layer))}); ` +
      'apply must tap the same layers in the same order on every call.',
  );
}

/** A Jacobian to measure: the input→tap `tap` (or the output when `tap` is −1), `rows` output units. */
interface JacobianTarget {
  tap: number;
  rows: number;
}

/** Singular-value statistics of each target's per-example Jacobian, over the first `samples` examples. */
async function jacobianSpectra(
  fn: string,
  apply: ApplyFn,
  params: Params,
  batch: tf.Tensor,
  samples: number,
  targets: JacobianTarget[],
  opts: { maxRows: number; taps: number },
): Promise<SpectrumStats[]> {
  const inputShape = batch.shape.slice(1);
  const cols = rowsOf(batch.shape);
  const groups: { target: number; offset: number }[][] = [];
  let current: { target: number; offset: number }[] = [];
  let used = 0;
  targets.forEach((t, i) => {
    if (current.length > 0 && used + t.rows > opts.maxRows) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push({ target: i, offset: used });
    used += t.rows;
  });
  if (current.length > 0) groups.push(current);

  const values: number[][] = targets.map(() => []);
  for (let e = 0; e < samples; e++) {
    for (const group of groups) {
      const total = group.reduce((s, g) => s + targets[g.target]!.rows, 0);
      // The terms are made inside the model's own scopes (often a tf.tidy), hence kept and
      // disposed here.
      const terms: tf.Tensor[] = [];
      const grad = tf.tidy(() => {
        const example = tf.slice(batch, [e, ...inputShape.map(() => 0)], [1, ...inputShape]);
        const tiled = tf.tile(example, [total, ...inputShape.map(() => 1)]);
        return tf.grad((x: tf.Tensor) => {
          let calls = 0;
          const byTap = new Map(
            group
              .filter((g) => targets[g.target]!.tap >= 0)
              .map((g) => [targets[g.target]!.tap, g]),
          );
          const y = apply(params, x, {
            training: false,
            tap: (_layer, z) => {
              const entry = byTap.get(calls);
              calls++;
              if (entry) {
                terms.push(
                  tf.keep(diagonalSum(z, total, entry.offset, targets[entry.target]!.rows)),
                );
              }
              return z;
            },
          });
          if (calls !== opts.taps) throw tapsChanged(fn, calls, '(none)');
          const out = group.find((g) => targets[g.target]!.tap < 0);
          if (out) terms.push(diagonalSum(y, total, out.offset, targets[out.target]!.rows));
          return tf.addN(terms);
        })(tiled);
      });
      tf.dispose(terms);
      const data = await grad.data();
      grad.dispose();
      for (const g of group) {
        const rows = targets[g.target]!.rows;
        const s = singularValues(data, g.offset, rows, cols);
        const bucket = values[g.target]!;
        for (const v of s) bucket.push(v);
      }
    }
  }
  return values.map(stats);
}

/** `Σ_i z[offset + i, i]` for `z` viewed as `[total, rows]`. */
function diagonalSum(z: tf.Tensor, total: number, offset: number, rows: number): tf.Tensor {
  const flat = tf.reshape(z, [total, rows]);
  const block = tf.slice(flat, [offset, 0], [rows, rows]);
  return tf.sum(tf.mul(block, tf.eye(rows)));
}

/** Singular values of the `rows × cols` block of `data` starting at row `offset`, from its smaller Gram matrix. */
function singularValues(
  data: ArrayLike<number>,
  offset: number,
  rows: number,
  cols: number,
): Float64Array {
  const base = offset * cols;
  const n = Math.min(rows, cols);
  const gram = new Float64Array(n * n);
  if (rows <= cols) {
    for (let i = 0; i < rows; i++) {
      for (let j = i; j < rows; j++) {
        let s = 0;
        for (let k = 0; k < cols; k++) s += data[base + i * cols + k]! * data[base + j * cols + k]!;
        gram[i * n + j] = s;
        gram[j * n + i] = s;
      }
    }
  } else {
    for (let i = 0; i < cols; i++) {
      for (let j = i; j < cols; j++) {
        let s = 0;
        for (let k = 0; k < rows; k++) s += data[base + k * cols + i]! * data[base + k * cols + j]!;
        gram[i * n + j] = s;
        gram[j * n + i] = s;
      }
    }
  }
  return jacobiEigenvalues(gram, n).map((l) => Math.sqrt(Math.max(0, l)));
}

function stats(values: number[]): SpectrumStats {
  const count = values.length;
  let sum = 0;
  let sum2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of values) {
    sum += s;
    sum2 += s * s;
    min = Math.min(min, s);
    max = Math.max(max, s);
  }
  const mean = sum / count;
  const squaredMean = sum2 / count;
  let variance = 0;
  let squaredVariance = 0;
  for (const s of values) {
    variance += (s - mean) ** 2;
    squaredVariance += (s * s - squaredMean) ** 2;
  }
  return {
    mean,
    variance: variance / count,
    squaredMean,
    squaredVariance: squaredVariance / count,
    min,
    max,
    count,
  };
}
