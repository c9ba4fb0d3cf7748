import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  DescentError,
  OptionReader,
  type ParamInfo,
  describeValue,
  isPlainObject,
  isTensor,
} from '@descent/core';
import {
  type Evaluation,
  type ImpOptions,
  type ImpResult,
  type RunKind,
  type TrainingRun,
  imp,
} from '@descent/lottery';
import { PruningCallback } from '../callbacks/pruning-callback';
import { fromLayersModel } from './from-layers-model';
import { RunStepCallback, copyParamsToModel, copyWeightsToRun } from './run-step-callback';

/** Which training run of {@link lotteryTicket} is about to start or being evaluated. */
export interface LotteryRunInfo {
  /** The pruning round (0: the dense network). */
  round: number;
  /** The ticket itself or one of imp's controls. */
  kind: RunKind;
}

/**
 * `model.fit(x, y, { ...fitArgs, callbacks })` for every training run: `x`, `y` and any
 * `ModelFitArgs` but `callbacks` (lotteryTicket's own) and `verbose` (0).
 */
export type LotteryFitTrain = {
  x: tf.Tensor | tf.Tensor[];
  y: tf.Tensor | tf.Tensor[];
} & Omit<tfl.ModelFitArgs, 'callbacks' | 'verbose'>;

/**
 * Trains the layers model once, passing `callbacks` to `model.fit` (or `fitDataset`), e.g.
 * `(model, callbacks) => model.fit(x, y, { epochs: 3, batchSize: 32, callbacks })`.
 */
export type LotteryTrainFn = (
  model: tfl.LayersModel,
  callbacks: tfl.Callback[],
  run: LotteryRunInfo,
) => Promise<unknown>;

/**
 * Options of {@link lotteryTicket}: imp's pruning options (`rounds`, `rate`, `rates`, `scope`,
 * `exclude`, `rewindTo`, `evaluateEvery`, `controls`, `onRound`, `rng` — keyed by weight name,
 * steps counted in batches) as `@descent/lottery`'s `imp` takes them, and the layers side.
 */
export interface LotteryTicketOptions extends Pick<ImpOptions, (typeof IMP_PASSED)[number]> {
  /** A compiled layers model; its weights are the initialization θ₀ (required). */
  model: tfl.LayersModel;
  /** Fit arguments with data, or a function that calls `model.fit` with the callbacks (required). */
  train: LotteryFitTrain | LotteryTrainFn;
  /**
   * `(model, at) => { loss, accuracy }` on the model's current weights (e.g. a validation loss
   * and a test accuracy from `model.evaluate`); early stopping watches `loss` (required).
   */
  evaluate: (
    model: tfl.LayersModel,
    at: LotteryRunInfo & { step: number },
  ) => Evaluation | Promise<Evaluation>;
  /**
   * Called before every training run, e.g. to compile a fresh optimizer (Frankle & Carbin train
   * every round from a fresh optimizer state). Default: none, the compiled optimizer carries on.
   */
  compile?: (model: tfl.LayersModel, run: LotteryRunInfo) => void;
  /** `ParamInfo` overrides by weight name, as `fromLayersModel`'s `info`. Default: none. */
  info?: Record<string, ParamInfo>;
}

const FN = 'lotteryTicket';

/** The options passed to imp as they are. */
const IMP_PASSED = [
  'rounds',
  'rate',
  'rates',
  'scope',
  'exclude',
  'rewindTo',
  'evaluateEvery',
  'controls',
  'onRound',
  'rng',
] as const;

const KNOWN = ['model', 'train', 'evaluate', 'compile', 'info', ...IMP_PASSED];

/**
 * Iterative magnitude pruning with rewinding (`@descent/lottery`'s `imp`) on a compiled
 * tfjs-layers model, trained by its own `model.fit`: the search for lottery tickets in existing
 * layers code.
 *
 * Round 0 fits the dense model from its current weights θ₀, recording the weights θ_k after
 * `rewindTo = k` batches; every round r ≥ 1 prunes `rate` of the still-kept weights (kernels:
 * role `weight` of {@link fromLayersModel}'s info) of least magnitude after training, so after r
 * layerwise rounds a layer keeps `(1 − rate)ʳ` of its weights (`round(rate·kept)` removed per
 * round), sets the model's weights to `θ_k ⊙ m` and fits again. During every fit a
 * `PruningCallback` keeps the pruned weights at exactly 0 (re-applying the masks after every
 * batch), and one batch counts as one step. `evaluate` sees the model holding the run's weights.
 *
 * The model ends with the weights it started with (each round's trained weights are in the
 * evaluations and its ticket, `tickets[r].params()` ⊙ `masks()`); its optimizer is whatever the
 * last `compile` left. Cost per batch beyond `fit`: one copy of the weights (imp's run variables)
 * and one multiply per masked weight.
 *
 * @param options - `model`, `train`, `evaluate`, `rounds` (required); `compile`, `rate` (0.2),
 *   `rates`, `scope` (`'layerwise'`), `exclude`, `rewindTo` (0), `evaluateEvery` (after the last
 *   batch), `controls`, `onRound`, `rng` (`new Rng(0)`), `info`.
 * @returns imp's result: a report per round (density, final and early-stop evaluations, steps,
 *   seconds) and the tickets (masks and rewind weights, keyed by weight name).
 * @throws DescentError before training: `BAD_ARGUMENT` (a model that is not compiled and has no
 *   `compile`, `train` neither fit arguments with tensors nor a function, `evaluate` or
 *   `compile` not a function), `UNKNOWN_PARAM` (an unknown option), what `fromLayersModel`
 *   throws, and imp's option errors (named `imp.<option>`); during training: imp's
 *   (`BAD_HYPERPARAM` when the dense fit made fewer than `rewindTo` batches, `BAD_ARGUMENT` when
 *   `evaluate` returns no `{ loss, accuracy }`) and whatever `fit` or the callbacks throw. No
 *   tensor leaks beyond what `compile` creates.
 * @example
 * ```ts
 * const { rounds } = await lotteryTicket({
 *   model, rounds: 5, rate: 0.2, rewindTo: 100,
 *   compile: (m) => m.compile({ optimizer: adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' }),
 *   train: { x, y, epochs: 4, batchSize: 60 },
 *   evaluate: async (m) => {
 *     const [loss, acc] = m.evaluate(xVal, yVal) as tf.Scalar[];
 *     return { loss: (await loss.data())[0], accuracy: (await acc.data())[0] };
 *   },
 * });
 * rounds.map((r) => [r.density.overall.density, r.ticket.final.accuracy]);
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural
 *   Networks, ICLR 2019; J. Frankle, G. K. Dziugaite, D. M. Roy, M. Carbin, Linear Mode
 *   Connectivity and the Lottery Ticket Hypothesis, ICML 2020 (rewinding).
 */
export async function lotteryTicket(options: LotteryTicketOptions): Promise<ImpResult> {
  const read = new OptionReader(FN, options, KNOWN);
  const model = read.raw('model') as tfl.LayersModel;
  const info = read.raw('info') as Record<string, ParamInfo> | undefined;
  const view = fromLayersModel(model, info === undefined ? {} : { info });
  const compile = readCompile(read);
  if (compile === undefined && !model.optimizer) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${FN}: options.model is not compiled; compile it (with an optimizer and a loss) or give options.compile.`,
    );
  }
  const trainOnce = readTrain(read);
  const evaluate = read.func<LotteryTicketOptions['evaluate']>('evaluate');
  const passed: Record<string, unknown> = {};
  for (const key of IMP_PASSED) {
    if (read.raw(key) !== undefined) passed[key] = read.raw(key);
  }
  const initial = model.weights.map((w) => tf.clone(w.read()));
  try {
    return await imp({
      ...(passed as Pick<LotteryTicketOptions, (typeof IMP_PASSED)[number]>),
      model: view,
      train: (run) => trainRun(model, run, trainOnce, compile),
      evaluate: (params, at) => {
        copyParamsToModel(model, params);
        return evaluate(model, at);
      },
    });
  } finally {
    model.weights.forEach((w, i) => {
      w.write(initial[i] as tf.Tensor);
    });
    tf.dispose(initial);
  }
}

async function trainRun(
  model: tfl.LayersModel,
  run: TrainingRun,
  trainOnce: LotteryTrainFn,
  compile: LotteryTicketOptions['compile'],
): Promise<void> {
  const at = { round: run.round, kind: run.kind };
  copyParamsToModel(model, run.params);
  compile?.(model, at);
  const callbacks: tfl.Callback[] = [];
  if (Object.keys(run.masks).length > 0) callbacks.push(new PruningCallback(run.masks));
  callbacks.push(new RunStepCallback(run));
  try {
    await trainOnce(model, callbacks, at);
  } finally {
    for (const callback of callbacks) {
      if (callback instanceof PruningCallback) callback.dispose();
    }
  }
  copyWeightsToRun(model, run);
}

function readCompile(read: OptionReader): LotteryTicketOptions['compile'] {
  return read.raw('compile') === undefined
    ? undefined
    : read.func<NonNullable<LotteryTicketOptions['compile']>>('compile');
}

function readTrain(read: OptionReader): LotteryTrainFn {
  const train = read.raw('train');
  if (typeof train === 'function') return train as LotteryTrainFn;
  if (!isPlainObject(train)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('train')} must be fit arguments { x, y, epochs, batchSize, … } or a function (model, callbacks) => model.fit(…), got ${describeValue(train)}.`,
    );
  }
  const { x, y, ...fitArgs } = train as LotteryFitTrain & Record<string, unknown>;
  for (const [field, value] of [
    ['x', x],
    ['y', y],
  ] as const) {
    const ok =
      isTensor(value) || (Array.isArray(value) && value.length > 0 && value.every(isTensor));
    if (!ok) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${read.name('train')}.${field} must be a tf.Tensor (or an array of them), got ${describeValue(value)}.`,
      );
    }
  }
  for (const field of ['callbacks', 'verbose']) {
    if (fitArgs[field] !== undefined) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${read.name('train')}.${field} is set by lotteryTicket; give a train function to pass your own.`,
      );
    }
  }
  return (model, callbacks) => model.fit(x, y, { ...fitArgs, verbose: 0, callbacks });
}
