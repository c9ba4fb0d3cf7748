import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkOptions, DescentError, describeValue } from '@descent/core';
import { hyperparametersAt, stepsTaken } from './optimizer-hyperparameters';

/**
 * What {@link ScheduleLogger} records at the end of an epoch. A hyperparameter the optimizer does
 * not have (or does not expose) is absent.
 */
export interface ScheduleRecord {
  /** The epoch, as `fit` counts it. */
  epoch: number;
  /** The optimizer's step count at the end of the epoch (`optimizer.iterations`). */
  step: number;
  /** `η` at `step`. */
  learningRate?: number;
  /** The momentum coefficient at `step` (sgd with momentum, rmsprop). */
  momentum?: number;
  /** Adam's `β₁` at `step`. */
  beta1?: number;
  /** The weight decay `λ` at `step` (descent's adamw, sgd, lamb, …). */
  weightDecay?: number;
}

/** Options of {@link ScheduleLogger}. */
export interface ScheduleLoggerOptions {
  /**
   * Print one line per epoch: `true` prints with `console.log`, a function receives the line.
   * Default false (records only).
   */
  print?: boolean | ((line: string) => void);
}

const WHAT = 'ScheduleLogger';
const LOGGED = ['learningRate', 'momentum', 'beta1', 'weightDecay'] as const;

/**
 * Records the optimizer's effective hyperparameters at the end of every epoch: the learning rate,
 * and the momentum, β₁ and weight decay where the optimizer has them. A hyperparameter that is a
 * `Schedule` (descent's optimizers accept one for each) is evaluated at the optimizer's step count
 * `t = optimizer.iterations`, the steps taken so far: `η(t)` is the value its next update uses
 * (descent's schedules see the update count, 0 at the first update).
 *
 * Sources: a descent optimizer's `learningRate` (its default included) and its other options as
 * given (a hyperparameter left at its default is not recorded: the optimizer does not expose its
 * defaults); `tf.train` optimizers' public fields (`learningRate`; `momentum` of momentum and
 * rmsprop; `beta1` of adam and adamax). A learning rate set by {@link LearningRateScheduler} is
 * seen when that callback comes first in the list.
 *
 * The records accumulate over `fit` calls in {@link ScheduleLogger.records}; each is also written
 * into the epoch logs under the same keys (`learningRate`, `momentum`, `beta1`, `weightDecay`),
 * so `history.history.learningRate` lists them.
 *
 * @example
 * ```ts
 * const logger = new ScheduleLogger({ print: true });
 * model.compile({ optimizer: adamw({ learningRate: warmupCosineDecay({ … }), weightDecay: 0.05 }), loss });
 * await model.fit(xs, ys, { epochs: 10, callbacks: [logger] });
 * // epoch 0 step 32: learningRate 0.00099, weightDecay 0.05
 * logger.records[0].learningRate;
 * ```
 */
export class ScheduleLogger extends tfl.Callback {
  /** One record per epoch end, in order. */
  readonly records: ScheduleRecord[] = [];
  private readonly print: ((line: string) => void) | undefined;

  /**
   * @param options - See {@link ScheduleLoggerOptions}.
   * @throws DescentError `BAD_ARGUMENT` (options not an object, `print` neither a boolean nor a
   *   function), `UNKNOWN_PARAM` (an unknown option).
   */
  constructor(options: ScheduleLoggerOptions = {}) {
    super();
    checkOptions(WHAT, options, ['print']);
    const { print = false } = options;
    if (typeof print !== 'boolean' && typeof print !== 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${WHAT}: options.print must be a boolean or a function (line) => void, got ${describeValue(print)}.`,
      );
    }
    this.print = print === true ? (line) => console.log(line) : print === false ? undefined : print;
  }

  override async onEpochEnd(
    epoch: number,
    logs?: Record<string, number | tf.Scalar>,
  ): Promise<void> {
    const optimizer = this.model.optimizer;
    const step = stepsTaken(optimizer);
    const record: ScheduleRecord = { epoch, step, ...hyperparametersAt(optimizer, step) };
    this.records.push(record);
    for (const key of LOGGED) {
      const value = record[key];
      if (logs !== undefined && value !== undefined) logs[key] = value;
    }
    this.print?.(formatRecord(record));
  }
}

/** `epoch 3 step 12: learningRate 0.001, beta1 0.9` (values to 4 significant digits). */
function formatRecord(record: ScheduleRecord): string {
  const values = LOGGED.flatMap((key) => {
    const value = record[key];
    return value === undefined ? [] : [`${key} ${Number(value.toPrecision(4))}`];
  });
  return `epoch ${record.epoch} step ${record.step}: ${values.join(', ')}`;
}
