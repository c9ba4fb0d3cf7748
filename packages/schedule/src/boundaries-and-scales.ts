import { checkNumber, DescentError } from '@descent/core';
import type { ScheduleOptionReader } from './read-options';

/**
 * `{ step: scale }`: at each `step` the value is multiplied by `scale` (optax's
 * `boundaries_and_scales`). Keys are integer steps ≥ 0 (as numbers or their decimal strings, the
 * form JSON gives back); scales are finite and ≥ 0.
 */
export type BoundariesAndScales = Readonly<Record<number, number>>;

/**
 * Reads and validates `boundariesAndScales` (default `{}`): the pairs sorted by step.
 *
 * @throws DescentError `BAD_ARGUMENT` if it is not a record, `BAD_HYPERPARAM` for a key that is
 *   not an integer step ≥ 0 or a negative scale, `NON_FINITE` for a non-finite scale.
 */
export function readBoundariesAndScales(reader: ScheduleOptionReader): Array<[number, number]> {
  const name = reader.name('boundariesAndScales');
  const value = reader.raw('boundariesAndScales') ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a record { step: scale }, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
    );
  }
  const pairs: Array<[number, number]> = [];
  for (const [key, scale] of Object.entries(value as Record<string, unknown>)) {
    const step = Number(key);
    if (!Number.isSafeInteger(step) || step < 0 || String(step) !== key) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${name} has key ${JSON.stringify(key)}; every key must be a step (an integer ≥ 0).`,
      );
    }
    checkNumber(`${name}[${key}]`, scale, { min: 0 });
    pairs.push([step, Object.is(scale, -0) ? 0 : scale]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/**
 * The accumulated values `v₀, v₀·s₁, v₀·s₁·s₂, …` in step order, each checked to be finite.
 *
 * @throws DescentError `BAD_HYPERPARAM` naming `initValue` and the scale whose product overflows.
 */
export function accumulate(
  reader: ScheduleOptionReader,
  initValue: number,
  pairs: Readonly<Array<[number, number]>>,
): number[] {
  const values = [initValue];
  for (const [step, scale] of pairs) {
    const v = scale * (values[values.length - 1] as number);
    values.push(
      reader.derived(
        ['initValue', `boundariesAndScales[${step}]`],
        `the value from step ${step} on`,
        v,
      ),
    );
  }
  return values;
}

/** The config form of the pairs: a record keyed by step (integer keys keep ascending order). */
export function toRecord(pairs: Readonly<Array<[number, number]>>): Record<string, number> {
  return Object.fromEntries(pairs.map(([step, scale]) => [String(step), scale]));
}
