import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  checkModel,
  describeValue,
  disposeParams,
  formatShape,
  isDescentError,
  mse,
  softmaxCrossEntropy,
  toVariables,
} from '@descent/core';
import { batches } from '../batches';
import { type Dataset, checkDataset } from '../dataset';
import { rngFromSeed, type Seed } from '../options';
import { type ProgressSink, ProgressLine, autoProgressSink } from './progress';

/**
 * What {@link fit} trains with: any object with tfjs's `minimize` — a `tf.train` optimizer or one
 * of `@descent/optim`'s drop-ins.
 */
export interface Minimizer {
  minimize(f: () => tf.Scalar, returnCost?: boolean, varList?: tf.Variable[]): tf.Scalar | null;
}

/** A loss of the model's output and the batch's targets, returning a float32 scalar (a batch mean). */
export type FitLoss = (output: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/** What `onBatch` receives after each step. */
export interface FitBatchReport {
  /** The epoch, from 1. */
  epoch: number;
  /** The batch within the epoch, from 1. */
  batch: number;
  /** Batches per epoch. */
  numBatches: number;
  /** Examples in this batch. */
  size: number;
  /**
   * This batch's loss (before the step), owned by `fit`: valid during the call only. Reading it
   * (`await loss.data()`) costs a device read per step.
   */
  loss: tf.Scalar;
}

/** Mean loss and accuracy on the validation set. */
export interface FitValidation {
  /** The loss averaged over the examples (batch losses weighted by batch size). */
  loss: number;
  /** Fraction of examples whose arg-max output is the label; only for int32 class labels. */
  accuracy?: number;
}

/** One epoch of a {@link FitHistory}. */
export interface FitEpoch {
  /** Mean of the epoch's per-batch training losses (each taken before its step). */
  loss: number;
  /** Training examples per second of this epoch (validation excluded). */
  samplesPerSecond: number;
  /** Seconds of this epoch's training (validation excluded). */
  seconds: number;
  /** Validation loss and accuracy after the epoch, when `validation` is given. */
  validation?: FitValidation;
}

/** What `onEpoch` receives: the epoch's numbers and its index. */
export interface FitEpochReport extends FitEpoch {
  /** The epoch, from 1. */
  epoch: number;
}

/** What {@link fit} resolves to. */
export interface FitHistory {
  /** One entry per epoch. */
  epochs: FitEpoch[];
  /**
   * The trained parameters, when `model.params` were not all `tf.Variable`s: new variables owned
   * by the caller (`disposeParams(history.params)`). Absent when the model's variables were
   * trained in place.
   */
  params?: Record<string, tf.Variable>;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** Passes over the dataset (an integer ≥ 1). Default 1. */
  epochs?: number;
  /** Examples per step (an integer ≥ 1). Default 32. */
  batchSize?: number;
  /** A new permutation of the examples each epoch. Default `true`. */
  shuffle?: boolean;
  /** Seed of the permutations (integer or string). Default 0. */
  seed?: Seed;
  /**
   * `loss(output, y)` → float32 scalar. Default: `softmaxCrossEntropy` (mean) for int32 class
   * labels, `mse` (mean) for float32 targets.
   */
  loss?: FitLoss;
  /** Called after every epoch (awaited when it returns a promise). */
  onEpoch?: (report: FitEpochReport) => unknown;
  /** Called after every step (awaited when it returns a promise). */
  onBatch?: (report: FitBatchReport) => unknown;
  /**
   * A one-line progress bar (ETA, samples/s, running loss): `'auto'` (default) draws on
   * `process.stderr` when it is a TTY in Node and nowhere else; `true` draws on stderr in Node
   * even when it is not a TTY; `false` never.
   */
  progress?: boolean | 'auto';
  /** Evaluated after every epoch: mean loss, and accuracy for class labels. */
  validation?: Dataset;
}

const FN = 'fit';
const KNOWN = [
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'loss',
  'onEpoch',
  'onBatch',
  'progress',
  'validation',
];
const TRAINING = { training: true } as const;
const INFERENCE = { training: false } as const;
/** Smallest validation batch: evaluation keeps no gradients, so larger batches are cheap. */
const MIN_EVAL_BATCH = 256;
let fitCount = 0;

/** The options once read and checked. */
interface FitPlan {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: Seed;
  loss: FitLoss;
  onEpoch?: FitOptions['onEpoch'];
  onBatch?: FitOptions['onBatch'];
  sink?: ProgressSink;
  validation?: Dataset;
}

/**
 * Trains a model on a dataset: for each epoch, for each mini-batch `(x, y)` of
 * `batches(dataset, { batchSize, shuffle, seed })`,
 * `optimizer.minimize(() => loss(model.apply(θ, x, { training: true }), y), true, varList)` —
 * exactly the hand-written loop, with no device read per step: the batch losses are summed on the
 * device (one `tf.add` per step) and read once per epoch (and, while a progress bar is drawn, at
 * most every 200 ms).
 *
 * **Parameters.** When every `model.params` entry is a `tf.Variable`, those variables are trained
 * in place and `history.params` is absent. Otherwise `fit` trains copies (core's `toVariables`),
 * leaves `model.params` untouched, and returns the trained variables as `history.params`: the
 * caller disposes them (`disposeParams`). Parameters whose info role is `'stat'` (running
 * statistics) and non-trainable variables are not passed to the optimizer.
 *
 * **Numbers.** `epochs[e].loss = (1/B) Σ_b ℓ_b`, the mean of the epoch's B batch losses, each
 * taken before its step; `samplesPerSecond = n / seconds` over the epoch's training (validation
 * excluded). Validation: `loss = (1/m) Σ_b |b|·ℓ_b` over the m validation examples (inference
 * mode), `accuracy = (1/m) #{i : argmax oᵢ = yᵢ}` for int32 labels.
 *
 * Before anything is trained, one forward pass on the first examples (inference mode) checks that
 * the model, the dataset and the loss fit together (the validation set's too), so a mismatch is
 * refused before a variable is made or changed.
 *
 * @param model - A core `Model`, e.g. `lenet300100()` of `@descent/nets` (params not disposed).
 * @param optimizer - Anything with `minimize(f, returnCost, varList)`: `tf.train.adam(1e-3)`,
 *   `adam()` of `@descent/optim`. Not disposed.
 * @param dataset - The training `Dataset` (n ≥ 1).
 * @param options - `epochs` (1), `batchSize` (32), `shuffle` (`true`), `seed` (0), `loss`
 *   (cross-entropy for labels, MSE for float targets), `onEpoch`, `onBatch`, `progress`
 *   (`'auto'`), `validation`.
 * @returns the per-epoch history, and the trained parameters when they were copied.
 * @throws DescentError `BAD_ARGUMENT` for a model that is not a `Model` (or has nothing to
 *   train), an optimizer without `minimize`, a malformed or empty dataset, a loss or callback that
 *   is not a function, a loss that does not return a scalar; `SHAPE_MISMATCH` /
 *   `DTYPE_MISMATCH` for a validation set unlike the dataset, or an output that does not fit
 *   the targets; `BAD_HYPERPARAM` / `NON_FINITE` for bad numbers or a bad `progress`;
 *   `UNKNOWN_PARAM` for an unknown option — all before any parameter is copied or changed.
 * @example
 * ```ts
 * const net = lenet300100({ seed: 0 });
 * const history = await fit(net, adam({ learningRate: 1e-3 }), await mnist({ split: 'train' }), {
 *   epochs: 5,
 *   validation: await mnist({ split: 'test' }),
 *   onEpoch: (e) => console.log(e.epoch, e.loss, e.samplesPerSecond, e.validation?.accuracy),
 * });
 * disposeParams(history.params ?? {});
 * ```
 * @see L. Bottou, F. E. Curtis & J. Nocedal, _Optimization Methods for Large-Scale Machine
 *   Learning_, SIAM Review 60(2), 2018 (mini-batch stochastic gradient methods, §4).
 */
export async function fit(
  model: Model,
  optimizer: Minimizer,
  dataset: Dataset,
  options: FitOptions = {},
): Promise<FitHistory> {
  checkModel(`${FN}: model`, model);
  checkOptimizer(optimizer);
  checkDataset(`${FN}: dataset`, dataset);
  if (dataset.n < 1) {
    throw new DescentError('BAD_ARGUMENT', `${FN}: dataset has n = 0 examples; expected n ≥ 1.`);
  }
  const plan = readOptions(options, dataset);
  const inPlace = Object.values(model.params).every((t) => t instanceof tf.Variable);
  const trainable = trainableKeys(model, inPlace);
  checkForwardPass(model, plan, dataset, `${FN}: dataset`);
  if (plan.validation) checkForwardPass(model, plan, plan.validation, `${FN}: options.validation`);

  const params = inPlace
    ? (model.params as Record<string, tf.Variable>)
    : toVariables(model.params, { prefix: `${FN}/${++fitCount}/${Date.now()}/` });
  try {
    const history = await train(model, optimizer, dataset, plan, params, trainable);
    return inPlace ? history : { ...history, params };
  } catch (error) {
    if (!inPlace) disposeParams(params);
    throw error;
  }
}

function checkOptimizer(optimizer: unknown): asserts optimizer is Minimizer {
  const minimize =
    typeof optimizer === 'object' && optimizer !== null
      ? (optimizer as { minimize?: unknown }).minimize
      : undefined;
  if (typeof minimize !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: optimizer must have a minimize(f, returnCost, varList) method (a tf.train optimizer or one of @descent/optim's), got ${describeValue(optimizer)}.`,
    );
  }
}

function readOptions(options: unknown, dataset: Dataset): FitPlan {
  const read = new OptionReader(`${FN}: options`, options, KNOWN);
  const epochs = read.integer('epochs', 1, { min: 1 });
  const batchSize = read.integer('batchSize', 32, { min: 1 });
  const shuffle = read.boolean('shuffle', true);
  const seed = (read.raw('seed') ?? 0) as Seed;
  rngFromSeed(read.name('seed'), seed);
  const loss = readFunction(read, 'loss') ?? defaultLoss(dataset);
  const onEpoch = readFunction(read, 'onEpoch');
  const onBatch = readFunction(read, 'onBatch');
  const sink = readProgress(read);
  const validation = read.raw('validation');
  if (validation !== undefined) checkValidation(read.name('validation'), validation, dataset);
  return {
    epochs,
    batchSize,
    shuffle,
    seed,
    loss: loss as FitLoss,
    onEpoch: onEpoch as FitPlan['onEpoch'],
    onBatch: onBatch as FitPlan['onBatch'],
    sink,
    validation: validation as Dataset | undefined,
  };
}

function readFunction(
  read: OptionReader,
  field: string,
): ((...args: never[]) => unknown) | undefined {
  const value = read.raw(field);
  if (value === undefined || typeof value === 'function')
    return value as (...args: never[]) => unknown;
  throw new DescentError(
    'BAD_ARGUMENT',
    `${read.name(field)} must be a function, got ${describeValue(value)}.`,
  );
}

function readProgress(read: OptionReader): ProgressSink | undefined {
  const value = read.raw('progress') ?? 'auto';
  if (value === 'auto') return autoProgressSink();
  if (value === false) return undefined;
  if (value === true) return nodeStderr();
  throw new DescentError(
    'BAD_HYPERPARAM',
    `${read.name('progress')} must be true, false or 'auto', got ${describeValue(value)}.`,
  );
}

function nodeStderr(): ProgressSink | undefined {
  const proc = (globalThis as { process?: { stderr?: ProgressSink } }).process;
  return typeof proc?.stderr?.write === 'function' ? proc.stderr : undefined;
}

/** Cross-entropy for class labels, MSE for float targets. */
function defaultLoss(dataset: Dataset): FitLoss {
  return dataset.y instanceof Int32Array
    ? (output, y) => softmaxCrossEntropy(output, y)
    : (output, y) => mse(output, y);
}

function checkValidation(name: string, validation: unknown, dataset: Dataset): void {
  checkDataset(name, validation);
  if (validation.n < 1) {
    throw new DescentError('BAD_ARGUMENT', `${name} has n = 0 examples; expected n ≥ 1.`);
  }
  for (const key of ['xShape', 'yShape'] as const) {
    if (formatShape(validation[key]) !== formatShape(dataset[key])) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${name}.${key} is ${formatShape(validation[key])}, expected the dataset's ${formatShape(dataset[key])}.`,
      );
    }
  }
  if (validation.y.constructor !== dataset.y.constructor) {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name}.y is ${describeValue(validation.y)}, expected a ${dataset.y.constructor.name} like the dataset's.`,
    );
  }
}

function trainableKeys(model: Model, inPlace: boolean): string[] {
  const keys = Object.keys(model.params).filter(
    (key) =>
      model.info[key]?.role !== 'stat' &&
      (!inPlace || (model.params[key] as tf.Variable).trainable),
  );
  if (keys.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model has no trainable parameter (keys ${describeValue(Object.keys(model.params))}: all are statistics or non-trainable variables).`,
    );
  }
  return keys;
}

/** One inference forward pass and loss on the first examples: refuses a mismatch up front. */
function checkForwardPass(model: Model, plan: FitPlan, data: Dataset, name: string): void {
  const iterator = batches(data, { batchSize: Math.min(plan.batchSize, data.n) })[
    Symbol.iterator
  ]();
  try {
    const { x, y } = iterator.next().value as { x: tf.Tensor; y: tf.Tensor };
    tf.tidy(() => forwardAndLoss(model, plan, x, y, name));
  } catch (error) {
    if (isDescentError(error)) throw error;
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model.apply and the loss failed on the first batch of ${name} (x ${formatShape([Math.min(plan.batchSize, data.n), ...data.xShape])}): ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    iterator.return?.();
  }
}

/** The forward pass and loss of one batch, checked: throws on a non-tensor output or a non-scalar loss. */
function forwardAndLoss(
  model: Model,
  plan: FitPlan,
  x: tf.Tensor,
  y: tf.Tensor,
  name: string,
): void {
  const output = model.apply(model.params, x, INFERENCE);
  if (!(output instanceof tf.Tensor)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: model.apply must return a tensor, got ${describeValue(output)} on ${name}.`,
    );
  }
  const loss = plan.loss(output, y);
  if (!(loss instanceof tf.Tensor) || loss.rank !== 0 || loss.dtype !== 'float32') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: options.loss must return a float32 scalar, got ${describeValue(loss)} for output ${formatShape(output.shape)} and targets ${formatShape(y.shape)} of ${name}.`,
    );
  }
}

async function train(
  model: Model,
  optimizer: Minimizer,
  dataset: Dataset,
  plan: FitPlan,
  params: Record<string, tf.Variable>,
  trainable: string[],
): Promise<FitHistory> {
  const varList = trainable.map((key) => params[key] as tf.Variable);
  const loader = batches(dataset, {
    batchSize: plan.batchSize,
    shuffle: plan.shuffle,
    seed: plan.seed,
  });
  const line = plan.sink ? new ProgressLine(plan.sink) : undefined;
  const epochs: FitEpoch[] = [];
  for (let epoch = 1; epoch <= plan.epochs; epoch++) {
    const started = performance.now();
    const mean = await trainEpoch(model, optimizer, loader, plan, params, varList, epoch, line);
    const seconds = (performance.now() - started) / 1000;
    const record: FitEpoch = { loss: mean, samplesPerSecond: dataset.n / seconds, seconds };
    if (plan.validation) record.validation = await evaluate(model, params, plan, plan.validation);
    epochs.push(record);
    if (plan.onEpoch) await plan.onEpoch({ epoch, ...record });
  }
  return { epochs };
}

/** One pass over the loader; resolves to the mean batch loss (one device read). */
async function trainEpoch(
  model: Model,
  optimizer: Minimizer,
  loader: ReturnType<typeof batches>,
  plan: FitPlan,
  params: Params,
  varList: tf.Variable[],
  epoch: number,
  line: ProgressLine | undefined,
): Promise<number> {
  const { numBatches } = loader;
  const started = performance.now();
  let sum: tf.Tensor | null = null;
  let batch = 0;
  let samples = 0;
  let runningLoss: number | undefined;
  try {
    for (const { x, y } of loader) {
      const cost = optimizer.minimize(
        () => plan.loss(model.apply(params, x, TRAINING), y) as tf.Scalar,
        true,
        varList,
      ) as tf.Scalar;
      const previous: tf.Tensor | null = sum;
      sum = previous ? tf.add(previous, cost) : cost;
      batch++;
      samples += x.shape[0] as number;
      if (plan.onBatch) {
        const pending = plan.onBatch({
          epoch,
          batch,
          numBatches,
          size: x.shape[0] as number,
          loss: cost,
        });
        if (isThenable(pending)) await pending;
      }
      if (previous) {
        previous.dispose();
        cost.dispose();
      }
      if (line?.due()) {
        runningLoss = ((await sum.data())[0] as number) / batch;
        line.update(progressState(plan, epoch, batch, numBatches, started, samples, runningLoss));
      }
    }
    const mean = ((await (sum as tf.Tensor).data())[0] as number) / batch;
    line?.finish(progressState(plan, epoch, batch, numBatches, started, samples, mean));
    return mean;
  } finally {
    sum?.dispose();
  }
}

function progressState(
  plan: FitPlan,
  epoch: number,
  batch: number,
  numBatches: number,
  started: number,
  samples: number,
  loss: number | undefined,
) {
  const seconds = (performance.now() - started) / 1000;
  return { epoch, epochs: plan.epochs, batch, numBatches, seconds, samples, loss };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Mean loss and (for class labels) accuracy in inference mode: one device read. */
async function evaluate(
  model: Model,
  params: Params,
  plan: FitPlan,
  data: Dataset,
): Promise<FitValidation> {
  const classes = data.y instanceof Int32Array;
  const totals = sumOverBatches(model, params, plan, data, classes);
  const [lossSum, correct] = await totals.data();
  totals.dispose();
  const result: FitValidation = { loss: (lossSum as number) / data.n };
  if (classes) result.accuracy = (correct as number) / data.n;
  return result;
}

/** `[Σ_b |b|·ℓ_b, Σ_b correct_b]` over the dataset, on the device. */
function sumOverBatches(
  model: Model,
  params: Params,
  plan: FitPlan,
  data: Dataset,
  classes: boolean,
): tf.Tensor {
  let totals: tf.Tensor = tf.zeros([2]);
  try {
    for (const { x, y } of batches(data, { batchSize: Math.max(plan.batchSize, MIN_EVAL_BATCH) })) {
      const next = tf.tidy(() => {
        const output = model.apply(params, x, INFERENCE);
        const lossSum = tf.mul(plan.loss(output, y), x.shape[0] as number);
        const correct = classes
          ? tf.sum(tf.cast(tf.equal(tf.argMax(output, -1), y), 'float32'))
          : tf.scalar(0);
        return tf.add(totals, tf.stack([lossSum, correct]));
      });
      totals.dispose();
      totals = next;
    }
  } catch (error) {
    totals.dispose();
    throw error;
  }
  return totals;
}
