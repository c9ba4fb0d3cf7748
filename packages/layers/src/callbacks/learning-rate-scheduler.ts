import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  checkOptions,
  DescentError,
  describeValue,
  isSchedule,
  type Schedule,
} from '@descent/core';
import {
  checkSettableLearningRate,
  hyperparametersAt,
  setLearningRate,
  stepsTaken,
} from './optimizer-hyperparameters';

/**
 * Keras' schedule function: the learning rate of `epoch` (or of step `epoch` with
 * `per: 'batch'`), given the learning rate in effect before it.
 */
export type LearningRateFunction = (epoch: number, currentLearningRate: number) => number;

/** Options of {@link LearningRateScheduler}. */
export interface LearningRateSchedulerOptions {
  /**
   * `'epoch'` (default): the schedule is called with the epoch index before each epoch (counted
   * as `fit` counts them, from `initialEpoch`). `'batch'`: it is called before each batch with
   * the optimizer's step count (`optimizer.iterations`, the steps taken so far: it carries on
   * across `fit` calls and through a model saved with its optimizer and loaded again).
   */
  per?: 'epoch' | 'batch';
}

const WHAT = 'LearningRateScheduler';
const PER = ['epoch', 'batch'] as const;

/**
 * Sets the learning rate of the compiled optimizer before each epoch (or each batch) from a
 * schedule, as Keras' `LearningRateScheduler` does — for models that keep tfjs's own optimizers
 * (`tf.train.sgd`, `tf.train.adam`, …); a descent optimizer takes a `Schedule` as its
 * `learningRate` directly, which is cheaper (setting it rebuilds its step).
 *
 * `schedule` is Keras' `(epoch, currentLearningRate) => number`, or a `@descent/schedule`
 * `Schedule` (`(step) => number`, e.g. `cosineDecay(…)`), called with the epoch or the step (see
 * {@link LearningRateSchedulerOptions.per}). The value must be a finite number ≥ 0. It is set
 * with the optimizer's `setLearningRate` where it has one (`tf.train.sgd`, `tf.train.momentum`
 * and descent's optimizers), else by assigning `optimizer.learningRate` (the other `tf.train`
 * optimizers read it at every step). At each epoch's end the learning rate in effect is written
 * into the epoch logs as `lr` (as Keras does), so `history.history.lr` lists it per epoch.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * await model.fit(xs, ys, {
 *   epochs: 10,
 *   callbacks: [new LearningRateScheduler((epoch, lr) => (epoch < 5 ? lr : lr * 0.5))],
 * });
 * new LearningRateScheduler(cosineDecay({ initValue: 0.1, decaySteps: 1000 }), { per: 'batch' });
 * ```
 */
export class LearningRateScheduler extends tfl.Callback {
  /** When the schedule is called: before each epoch or before each batch. */
  readonly per: 'epoch' | 'batch';
  private readonly schedule: LearningRateFunction | Schedule;
  private current: number | undefined;

  /**
   * @param schedule - `(epoch, currentLearningRate) => number` or a descent `Schedule`.
   * @param options - See {@link LearningRateSchedulerOptions}.
   * @throws DescentError `BAD_ARGUMENT` (`schedule` not a function, a bad `per`),
   *   `UNKNOWN_PARAM` (an unknown option).
   */
  constructor(schedule: LearningRateFunction, options?: LearningRateSchedulerOptions);
  constructor(schedule: Schedule, options?: LearningRateSchedulerOptions);
  constructor(
    schedule: LearningRateFunction | Schedule,
    options: LearningRateSchedulerOptions = {},
  ) {
    super();
    if (typeof schedule !== 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${WHAT}: schedule must be a function (epoch, currentLearningRate) => number or a Schedule, got ${describeValue(schedule)}.`,
      );
    }
    checkOptions(WHAT, options, ['per']);
    const per = options.per ?? 'epoch';
    if (!PER.includes(per)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${WHAT}: options.per must be 'epoch' or 'batch', got ${describeValue(per)}.`,
      );
    }
    this.schedule = schedule;
    this.per = per;
  }

  /** The learning rate it last set; `undefined` before the first epoch or batch. */
  get learningRate(): number | undefined {
    return this.current;
  }

  /** @throws DescentError `BAD_ARGUMENT` when the model's optimizer has no learning rate to set. */
  override async onTrainBegin(): Promise<void> {
    checkSettableLearningRate(WHAT, this.model.optimizer);
  }

  /** @throws DescentError `NON_FINITE` / `BAD_HYPERPARAM` for a value that is not finite and ≥ 0. */
  override async onEpochBegin(epoch: number): Promise<void> {
    if (this.per === 'epoch') this.apply('epoch', epoch);
  }

  /** @throws DescentError `NON_FINITE` / `BAD_HYPERPARAM` for a value that is not finite and ≥ 0. */
  override async onBatchBegin(): Promise<void> {
    if (this.per === 'batch') this.apply('step', stepsTaken(this.model.optimizer));
  }

  override async onEpochEnd(
    _epoch: number,
    logs?: Record<string, number | tf.Scalar>,
  ): Promise<void> {
    if (logs !== undefined && this.current !== undefined) logs.lr = this.current;
  }

  private apply(unit: 'epoch' | 'step', index: number): void {
    const optimizer = this.model.optimizer;
    const value = isSchedule(this.schedule)
      ? this.schedule(index)
      : this.schedule(index, currentLearningRate(optimizer));
    checkLearningRate(`${WHAT}: the schedule's value at ${unit} ${index}`, value);
    if (currentLearningRate(optimizer) !== value) setLearningRate(optimizer, value);
    this.current = value;
  }
}

function currentLearningRate(optimizer: tf.Optimizer): number {
  return hyperparametersAt(optimizer, stepsTaken(optimizer)).learningRate ?? Number.NaN;
}

function checkLearningRate(label: string, value: unknown): asserts value is number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return;
  const code =
    typeof value !== 'number'
      ? 'BAD_ARGUMENT'
      : Number.isFinite(value)
        ? 'BAD_HYPERPARAM'
        : 'NON_FINITE';
  throw new DescentError(
    code,
    `${label} must be a finite learning rate ≥ 0, got ${describeValue(value)}.`,
  );
}
