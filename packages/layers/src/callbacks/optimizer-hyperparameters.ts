import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, describeValue, isPlainObject, isSchedule } from '@descent/core';

/** The hyperparameters of an optimizer at one step, as far as it has them. */
export interface Hyperparameters {
  learningRate?: number;
  momentum?: number;
  beta1?: number;
  weightDecay?: number;
}

/** The fields an optimizer may have: tfjs's public fields, descent's getters and `options`. */
interface OptimizerFields {
  learningRate?: unknown;
  momentum?: unknown;
  beta1?: unknown;
  options?: unknown;
  setLearningRate?: unknown;
}

const RECORDED = ['learningRate', 'momentum', 'beta1', 'weightDecay'] as const;

/** The steps the optimizer has taken (`iterations`), 0 for one that has none. */
export function stepsTaken(optimizer: tf.Optimizer): number {
  const n = (optimizer as { iterations?: unknown }).iterations;
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

/**
 * The value of a hyperparameter that is a number or a descent `Schedule` (evaluated at `step`);
 * `undefined` for anything else.
 */
function valueAt(value: unknown, step: number): number | undefined {
  if (typeof value === 'number') return value;
  if (isSchedule(value)) return value(step);
  return undefined;
}

/**
 * The learning rate, momentum, β₁ and weight decay of `optimizer` at `step`. A descent optimizer's
 * `learningRate` getter gives its learning rate (its default included); its other hyperparameters
 * come from its `options` as given (numbers, or schedules evaluated at `step`) — one left at its
 * default is not reported. tfjs's own optimizers report their public fields (`learningRate`,
 * `momentum` of momentum and rmsprop, `beta1` of adam and adamax).
 */
export function hyperparametersAt(optimizer: tf.Optimizer, step: number): Hyperparameters {
  const fields = optimizer as unknown as OptimizerFields;
  const given = isPlainObject(fields.options) ? fields.options : {};
  const out: Hyperparameters = {};
  for (const key of RECORDED) {
    const value =
      key === 'learningRate'
        ? fields.learningRate
        : (given[key] ?? fields[key as keyof OptimizerFields]);
    const v = valueAt(value, step);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * Asserts `optimizer` has a learning rate a callback can set: a numeric or schedule `learningRate`
 * field, or a `setLearningRate` method. `what` names the caller.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the optimizer's class.
 */
export function checkSettableLearningRate(what: string, optimizer: unknown): void {
  const fields = (optimizer ?? {}) as OptimizerFields;
  const ok =
    typeof fields.setLearningRate === 'function' ||
    typeof fields.learningRate === 'number' ||
    isSchedule(fields.learningRate);
  if (!ok) {
    const kind =
      (optimizer as { getClassName?: () => string } | null)?.getClassName?.() ??
      describeValue(optimizer);
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what}: the model's optimizer (${kind}) has no learning rate to set; compile the model with an optimizer that has one (tf.train.*, or any descent optimizer).`,
    );
  }
}

/**
 * Sets the learning rate from the next step on: through `setLearningRate` where the optimizer has
 * it (`tf.train.sgd` and `tf.train.momentum` keep `-η` in a tensor it updates; descent's
 * optimizers rebuild their step), else by assigning `learningRate` (the other `tf.train`
 * optimizers read it at every step).
 */
export function setLearningRate(optimizer: tf.Optimizer, value: number): void {
  const fields = optimizer as unknown as OptimizerFields & {
    setLearningRate?: (v: number) => void;
  };
  if (typeof fields.setLearningRate === 'function') fields.setLearningRate(value);
  else fields.learningRate = value;
}
