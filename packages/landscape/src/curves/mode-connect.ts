import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  Rng,
  checkModel,
  checkSameStructure,
  describeValue,
  isPlainObject,
  softmaxCrossEntropy,
} from '@descent/core';
import { checkFloatParams, guardedLoss, throwIfFailed } from '../loss/loss-fn';
import { type BatchSource, type CurveBatch, forEachBatch } from './batch-source';
import type { Curve } from './curve';
import { type CurveKind, CURVE_KINDS, checkBends, curveWeights } from './curve-weights';
import type { GradientApplier, OwnedApplier } from './gradient-applier';
import { heavyBall } from './heavy-ball';
import { type TrainablePoints, trainablePoints } from './trainable-points';
import { weightedSum } from './weighted-sum';

/** A loss of the model's output: `(prediction, y) => L`, a float32 scalar tensor. */
export type PredictionLoss = (prediction: tf.Tensor, y: tf.Tensor) => tf.Tensor;

/** What {@link ModeConnectOptions.onEpoch} receives after each epoch. */
export interface ModeConnectEpoch {
  /** The epoch just finished, from 0. */
  epoch: number;
  /** The mean over its steps of the loss at the sampled `t` (before each step's update). */
  meanLoss: number;
  /** How many batches (steps) it had. */
  steps: number;
}

/** What {@link ModeConnectOptions.onStep} receives after each step. */
export interface ModeConnectStep {
  /** The epoch, from 0. */
  epoch: number;
  /** The step within the epoch, from 0. */
  step: number;
  /** The sampled position on the curve. */
  t: number;
  /** The loss at `φ(t)` on this batch, before the update. */
  loss: number;
}

/** Options of {@link modeConnect}. */
export interface ModeConnectOptions {
  /** The network: its `apply(params, x, { training: true })` and its parameters' `info`. */
  model: Model;
  /** `θ_a`, the first endpoint: the model's structure, float32. Never modified. */
  a: Params;
  /** `θ_b`, the second endpoint. Never modified. */
  b: Params;
  /** The family of the curve. Default `'bezier'`. */
  curve?: CurveKind;
  /** The number of points, endpoints included: an integer ≥ 3. Default 3 (one bend). */
  bends?: number;
  /** The training data, one pass per epoch (see {@link BatchSource}). */
  batches: BatchSource;
  /** Passes over `batches`: an integer ≥ 1. Default 1. */
  epochs?: number;
  /** `(prediction, y) => L`. Default core's mean `softmaxCrossEntropy` (int32 labels or one-hot). */
  loss?: PredictionLoss;
  /**
   * The optimizer of the interior points (the caller's: not disposed). Default: SGD with momentum
   * 0.9 and learning rate 0.01 in tfjs's form (`v ← 0.9·v + g`, `p ← p − 0.01·v`), made and freed
   * here.
   */
  optimizer?: GradientApplier;
  /**
   * The interior points before training: `'linear'` (default) puts them on the segment,
   * `pᵢ = θ_a + (i/(bends − 1))·(θ_b − θ_a)`; or `bends − 2` maps of the endpoints' structure
   * (copied), e.g. the points of an earlier curve to go on training.
   */
  init?: 'linear' | readonly Params[];
  /** Draws `t ~ U[0, 1)`, once per step. Default `new Rng(0)`. */
  rng?: Rng;
  /** Called (and awaited) after each epoch. */
  onEpoch?: (progress: ModeConnectEpoch) => void | Promise<void>;
  /** Called (and awaited) after each step; it costs one device read per step. */
  onStep?: (progress: ModeConnectStep) => void | Promise<void>;
}

const KNOWN = [
  'model',
  'a',
  'b',
  'curve',
  'bends',
  'batches',
  'epochs',
  'loss',
  'optimizer',
  'init',
  'rng',
  'onEpoch',
  'onStep',
] as const;

interface Settings {
  model: Model;
  a: Params;
  b: Params;
  curve: CurveKind;
  bends: number;
  batches: BatchSource;
  epochs: number;
  loss: PredictionLoss;
  optimizer: GradientApplier | undefined;
  init: 'linear' | readonly Params[];
  rng: Rng;
  onEpoch: ((progress: ModeConnectEpoch) => void | Promise<void>) | undefined;
  onStep: ((progress: ModeConnectStep) => void | Promise<void>) | undefined;
  trainable: string[];
}

/** The state one training step reads. */
interface Trainer {
  settings: Settings;
  state: TrainablePoints;
  optimizer: GradientApplier;
  keys: readonly string[];
}

/**
 * Finds a low-loss curve between two minima `θ_a`, `θ_b` of a network (mode connectivity):
 * the curve `φ(t) = Σᵢ wᵢ(t)·pᵢ` with fixed endpoints `p₀ = θ_a`, `p_n = θ_b` and trainable
 * interior points ("bends") minimizes the loss averaged uniformly along it,
 * `ℓ(p₁, …, p_{n−1}) = E_{t ~ U[0, 1]} L(φ(t))`, by stochastic gradients: each batch draws one
 * `t` from `rng`, forms `θ(t) = Σᵢ wᵢ(t)·pᵢ` ({@link curveWeights}), evaluates
 * `loss(model.apply(θ(t), x, { training: true }), y)` and gives the optimizer the gradients
 * with respect to the interior points only, `∂L/∂pᵢ = wᵢ(t)·∇L(θ(t))`.
 *
 * The interior points are `tf.Variable`s during training, named
 * `modeConnect<n>/bend<i>/<key>` (unique among live variables); the optimizer sees every one of
 * them at every step, in the same order (a zero gradient where the loss does not reach one), as
 * tfjs's position-keyed optimizers need. The returned curve holds plain tensors: the variables
 * are freed, so state a caller's optimizer kept for them is stale.
 *
 * Batch norm: parameters of role `'stat'` (running statistics) are not trained and the model
 * runs in training mode, so it normalizes with batch statistics; the interior points' statistics
 * keep their initial values (interpolated, with `'linear'`). Before evaluating such a curve,
 * recompute the statistics at each `t` (`evaluateCurve`'s `recomputeStats`), as Garipov et al. do.
 *
 * Endpoints are copied, never written; if anything throws (a bad batch, the loss, a callback),
 * every tensor made so far is freed before the error propagates.
 *
 * @param options - `model`, `a`, `b`, `batches` (required); `curve` (`'bezier'`), `bends` (3),
 *   `epochs` (1), `loss` (mean softmax cross-entropy), `optimizer` (momentum SGD, 0.01, 0.9),
 *   `init` (`'linear'`), `rng` (`new Rng(0)`), `onEpoch`, `onStep`.
 * @returns the trained curve (`bends` points, the first and last bit-identical to `a` and `b`);
 *   the caller disposes it.
 * @throws DescentError before anything is made: `BAD_ARGUMENT` (options no plain object, a bad
 *   model, `batches`/`loss`/callbacks not functions, an optimizer without `applyGradients`, an
 *   unknown curve, a bad `init`, a model with nothing but `'stat'` parameters), `UNKNOWN_PARAM`
 *   (an unknown option; `a`, `b` or an `init` point named unlike the model), `SHAPE_MISMATCH`,
 *   `DTYPE_MISMATCH` (not float32), `DISPOSED`, `BAD_HYPERPARAM` / `NON_FINITE` (`bends` not an
 *   integer ≥ 3, `epochs` not an integer ≥ 1); while training: `BAD_ARGUMENT` (a batch that is
 *   no `{ x, y }` of tensors, an epoch without batches, a loss that returns no tensor),
 *   `SHAPE_MISMATCH` (a loss that is no float32 scalar); what the model, the loss, the optimizer
 *   or a callback throws passes through unchanged.
 * @example
 * ```ts
 * const loader = batches(train, { batchSize: 128, shuffle: true, seed: 0 });
 * const curve = await modeConnect({
 *   model: net, a: netA.params, b: netB.params, batches: () => loader, epochs: 10,
 *   optimizer: tf.train.momentum(0.015, 0.9),
 *   onEpoch: ({ epoch, meanLoss }) => console.log(epoch, meanLoss),
 * });
 * const { barrier } = await evaluateCurve(curve, metricsOn(test));
 * curve.dispose();
 * ```
 * @see T. Garipov, P. Izmailov, D. Podoprikhin, D. Vetrov, A. G. Wilson, Loss Surfaces, Mode
 *   Connectivity, and Fast Ensembling of DNNs, NeurIPS 2018; F. Draxler, K. Veschgini,
 *   M. Salmhofer, F. A. Hamprecht, Essentially No Barriers in Neural Network Energy Landscape,
 *   ICML 2018.
 */
export async function modeConnect(options: ModeConnectOptions): Promise<Curve> {
  const settings = readSettings(options);
  const state = trainablePoints(
    settings.a,
    settings.b,
    settings.bends,
    settings.init,
    settings.trainable,
  );
  const owned: OwnedApplier | undefined =
    settings.optimizer === undefined ? heavyBall(0.01, 0.9) : undefined;
  const trainer: Trainer = {
    settings,
    state,
    optimizer: settings.optimizer ?? (owned as OwnedApplier),
    keys: Object.keys(settings.a),
  };
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) await trainEpoch(trainer, epoch);
    return state.toCurve(settings.curve);
  } catch (error) {
    state.release();
    throw error;
  } finally {
    owned?.dispose();
  }
}

async function trainEpoch(trainer: Trainer, epoch: number): Promise<void> {
  const { settings } = trainer;
  let total: tf.Tensor = tf.scalar(0);
  try {
    const steps = await forEachBatch('modeConnect', settings.batches, async (batch, step) => {
      const t = settings.rng.float();
      const loss = trainingStep(trainer, batch, t);
      const next = tf.add(total, loss);
      total.dispose();
      total = next;
      try {
        if (settings.onStep !== undefined) {
          const value = (await loss.data())[0] as number;
          await settings.onStep({ epoch, step, t, loss: value });
        }
      } finally {
        loss.dispose();
      }
    });
    if (steps === 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `modeConnect: batches() yielded no batch in epoch ${epoch}; every epoch needs at least one.`,
      );
    }
    const meanLoss = ((await total.data())[0] as number) / steps;
    await settings.onEpoch?.({ epoch, meanLoss, steps });
  } finally {
    total.dispose();
  }
}

/**
 * One optimizer step at `t` on `batch`; returns the loss before the step (the caller disposes
 * it).
 */
function trainingStep(trainer: Trainer, batch: CurveBatch, t: number): tf.Tensor {
  const { settings, state } = trainer;
  const weights = curveWeights(settings.curve, t, settings.bends);
  const failure: { error?: unknown } = {};
  const f = guardedLoss(
    'modeConnect',
    (named) => lossAt(trainer, weights, named, batch),
    state.names,
    failure,
  );
  const variables = state.variables as tf.Variable[];
  const { value, grads } = tf.variableGrads(() => f(...variables), variables);
  const filled: tf.Tensor[] = [];
  try {
    throwIfFailed(failure);
    // Every name at every step, in one order: tf.train's optimizers key their state by position.
    const named: Record<string, tf.Tensor> = {};
    state.names.forEach((name, i) => {
      let g = grads[name];
      if (g == null) {
        g = tf.zerosLike(variables[i] as tf.Variable);
        filled.push(g);
      }
      named[name] = g;
    });
    trainer.optimizer.applyGradients(named as Record<string, tf.Variable>);
  } catch (error) {
    value.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(grads).filter((g) => g != null));
    tf.dispose(filled);
  }
  return value;
}

/** `loss(model.apply(θ(t), x, { training: true }), y)` with the interior variables `named`. */
function lossAt(
  trainer: Trainer,
  weights: readonly number[],
  named: Params,
  batch: CurveBatch,
): tf.Tensor {
  const { settings, state, keys } = trainer;
  const last = state.points.length - 1;
  const points = state.points.map((point, i) => {
    if (i === 0 || i === last) return point;
    const live: Params = { ...point };
    for (const key of settings.trainable) {
      live[key] = named[state.nameOf(i, key)] as tf.Tensor;
    }
    return live;
  });
  const theta = weightedSum(weights, points, keys, false);
  const prediction = settings.model.apply(theta, batch.x, { training: true });
  return settings.loss(prediction, batch.y);
}

function readSettings(options: ModeConnectOptions): Settings {
  if (!isPlainObject(options)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `modeConnect: options must be a plain object { model, a, b, batches, … }, got ${describeValue(options)}.`,
    );
  }
  const read = new OptionReader('modeConnect', options, KNOWN);
  const model = read.raw('model');
  checkModel('modeConnect.model', model);
  const a = endpoint(read, 'a', model);
  const b = endpoint(read, 'b', model);
  const curve = readCurve(read);
  const bends = read.raw('bends') ?? 3;
  checkBends(read.name('bends'), bends, 3);
  const trainable = trainableKeys(model);
  const settings: Settings = {
    model,
    a,
    b,
    curve,
    bends,
    batches: read.func<BatchSource>('batches'),
    epochs: read.integer('epochs', 1, { min: 1 }),
    loss: read.func<PredictionLoss>('loss', defaultLoss),
    optimizer: readOptimizer(read),
    init: readInit(read, a, bends),
    rng: read.generator('rng', new Rng(0)),
    onEpoch: optionalFunction(read, 'onEpoch'),
    onStep: optionalFunction(read, 'onStep'),
    trainable,
  };
  return settings;
}

function defaultLoss(prediction: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return softmaxCrossEntropy(prediction, y);
}

function endpoint(read: OptionReader, field: 'a' | 'b', model: Model): Params {
  const value = read.raw(field);
  const name = read.name(field);
  checkFloatParams(name, value);
  checkSameStructure('modeConnect.model.params', model.params, name, value);
  return value;
}

function readCurve(read: OptionReader): CurveKind {
  const value = read.raw('curve') ?? 'bezier';
  if (!(CURVE_KINDS as readonly unknown[]).includes(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('curve')} must be one of ${CURVE_KINDS.map((k) => `'${k}'`).join(', ')}, got ${describeValue(value)}.`,
    );
  }
  return value as CurveKind;
}

function readOptimizer(read: OptionReader): GradientApplier | undefined {
  const value = read.raw('optimizer');
  if (value === undefined) return undefined;
  if (typeof (value as Partial<GradientApplier>).applyGradients !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('optimizer')} must have applyGradients(grads) (a tf.train optimizer or one of @descent/optim's), got ${describeValue(value)}.`,
    );
  }
  return value as GradientApplier;
}

function readInit(read: OptionReader, a: Params, bends: number): 'linear' | readonly Params[] {
  const value = read.raw('init') ?? 'linear';
  if (value === 'linear') return value;
  const name = read.name('init');
  if (!Array.isArray(value) || value.length !== bends - 2) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be 'linear' or an array of bends − 2 = ${bends - 2} interior points (Params), got ${describeValue(value)}.`,
    );
  }
  value.forEach((point, i) => {
    checkFloatParams(`${name}[${i}]`, point);
    checkSameStructure(read.name('a'), a, `${name}[${i}]`, point);
  });
  return value as Params[];
}

function optionalFunction<F extends (...args: never[]) => unknown>(
  read: OptionReader,
  field: string,
): F | undefined {
  return read.raw(field) === undefined ? undefined : read.func<F>(field);
}

function trainableKeys(model: Model): string[] {
  const keys = Object.keys(model.params).filter((key) => model.info[key]?.role !== 'stat');
  if (keys.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `modeConnect.model has only 'stat' parameters (${Object.keys(model.params).length}); there is nothing to train.`,
    );
  }
  return keys;
}
