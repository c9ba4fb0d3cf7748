import { type Schedule, type ScheduleConfig, scheduleFromConfig } from '@descent/core';
import { expect } from 'vitest';

/** Steps that exercise boundaries, late steps and fractional steps. */
export const PROBE_STEPS = [
  0, 1, 2, 3, 5, 9, 10, 11, 99, 100, 101, 999, 1000, 12_345, 1e6, 0.5, 7.25,
];

/**
 * `JSON.stringify(config)` → `JSON.parse` → `scheduleFromConfig` gives a schedule with the same
 * config and identical values (Object.is) at `steps`.
 */
export function expectRoundTrip(
  schedule: Schedule,
  steps: readonly number[] = PROBE_STEPS,
): Schedule {
  const json = JSON.stringify(schedule.config);
  const back = scheduleFromConfig(JSON.parse(json) as ScheduleConfig);
  expect(back.config).toEqual(schedule.config);
  expect(JSON.stringify(back.config)).toBe(json);
  for (const step of steps)
    expect(Object.is(back(step), schedule(step)), `step ${step}`).toBe(true);
  return back;
}

/** `scheduleFromConfig` of a config that went through JSON. */
export function fromJson(config: object): Schedule {
  return scheduleFromConfig(JSON.parse(JSON.stringify(config)) as ScheduleConfig);
}

/** Elementwise closeness to `tol` (absolute, scaled by max(1, |expected|)). */
export function expectValues(
  actual: readonly number[],
  expected: readonly number[],
  tol = 1e-9,
): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(e)),
    );
  });
}
