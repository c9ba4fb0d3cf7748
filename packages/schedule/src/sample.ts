import { checkNumber, DescentError } from '@descent/core';

/** The largest count `sample` takes: 2^24 steps (an array of 128 MiB). */
export const MAX_SAMPLES = 2 ** 24;

/**
 * Evaluates a schedule at many steps: `steps` is a count `n` (steps `0, 1, …, n − 1`) or an
 * explicit list of steps. Handy for plots, tests and sanity checks.
 *
 * @throws DescentError `BAD_ARGUMENT` if `schedule` is not a function, `BAD_HYPERPARAM` /
 *   `NON_FINITE` for a count that is not an integer in [0, 2^24] or a listed step that is not a
 *   finite number ≥ 0 (checked before the schedule is called).
 *
 * @example
 * ```ts
 * sample(cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4 }), 9); // [1, 2, 3, 4, 5, 4, 3, 2, 1]
 * sample(cosineDecay({ initValue: 1, decaySteps: 100 }), [0, 50, 100]); // [1, 0.5, 0]
 * ```
 */
export function sample(
  schedule: (step: number) => number,
  steps: number | readonly number[],
): number[] {
  if (typeof schedule !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `sample: schedule must be a function of the step, got ${typeof schedule}.`,
    );
  }
  if (Array.isArray(steps)) {
    steps.forEach((step: unknown, i) => {
      checkNumber(`sample steps[${i}]`, step, { min: 0 });
    });
    return steps.map((step) => schedule(step));
  }
  checkNumber('sample steps', steps, { integer: true, min: 0, max: MAX_SAMPLES });
  return Array.from({ length: steps }, (_, step) => schedule(step));
}
