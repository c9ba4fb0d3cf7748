import { type HyperParameter, registerScheduleKind, type Schedule } from '@descent/core';
import { boundOf, LARGEST_PRODUCT, withBound } from './bound';
import { makeSchedule } from './make-schedule';
import { ScheduleOptionReader, optionsOf, rebuild } from './read-options';

/** Options of {@link linearScaling}. */
export interface LinearScalingOptions {
  /** `η_base`, tuned at `baseBatchSize`: a number or a Schedule. Required. */
  baseValue: HyperParameter;
  /** `B₀`, the batch size `baseValue` was tuned for: an integer ≥ 1 (Goyal et al.: 256). Required. */
  baseBatchSize: number;
  /** `B`, the batch size in use: an integer ≥ 1. Required. */
  batchSize: number;
}

const KEYS = ['baseValue', 'baseBatchSize', 'batchSize'];

/**
 * The linear scaling rule (Goyal et al., 2017, "Accurate, Large Minibatch SGD"; survey §5.4):
 * when the minibatch size is multiplied by `k = B/B₀`, multiply the learning rate by `k`:
 *
 * ```
 * η_t = η_base(t) · B / B₀
 * ```
 *
 * `baseValue` may itself be a schedule (the whole schedule is scaled). Goyal et al. pair it with
 * a gradual warmup ({@link linearWarmup}) for large `k`. Config:
 * `{ type: 'linearScaling', baseValue: <number or schedule config>, baseBatchSize, batchSize }`.
 *
 * The scaled values must stay below half the largest double: `BAD_HYPERPARAM` at construction
 * otherwise, for a number or a schedule of this package (whose largest value its options give). A
 * schedule of another kind (your own `makeSchedule`) has no known bound and is not checked here;
 * an optimizer that reads a non-finite value from it refuses it then.
 *
 * @throws DescentError `BAD_HYPERPARAM`, `NON_FINITE`, `UNKNOWN_PARAM` or `BAD_ARGUMENT` naming
 *   the field, at construction and in `scheduleFromConfig`.
 *
 * @example
 * ```ts
 * const lr = linearScaling({ baseValue: 0.1, baseBatchSize: 256, batchSize: 8192 });
 * lr(0); // 3.2
 * ```
 */
export function linearScaling(options: LinearScalingOptions): Schedule {
  const reader = new ScheduleOptionReader('linearScaling', options, KEYS);
  const base = reader.raw('baseValue');
  const baseValue =
    typeof base === 'function' ? reader.schedule('baseValue', base) : reader.number('baseValue');
  const baseBatchSize = reader.steps('baseBatchSize', undefined, 1);
  const batchSize = reader.steps('batchSize', undefined, 1);
  const k = batchSize / baseBatchSize;
  const baseBound = boundOf(baseValue);
  const bound =
    baseBound === undefined
      ? undefined
      : reader.derived(
          ['baseValue', 'batchSize', 'baseBatchSize'],
          'the largest value |baseValue|·batchSize/baseBatchSize',
          baseBound * k,
          LARGEST_PRODUCT,
        );
  const config = {
    type: 'linearScaling',
    baseValue: typeof baseValue === 'number' ? baseValue : baseValue.config,
    baseBatchSize,
    batchSize,
  };
  const schedule = makeSchedule(config, (step) =>
    typeof baseValue === 'number' ? baseValue * k : baseValue(step) * k,
  );
  return bound === undefined ? schedule : withBound(schedule, bound);
}

registerScheduleKind('linearScaling', (config) => {
  const { baseValue, ...options } = optionsOf(config);
  return linearScaling({ ...options, baseValue: rebuild(baseValue) } as LinearScalingOptions);
});
