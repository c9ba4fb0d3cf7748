import { registerScheduleKind, scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { makeSchedule } from './make-schedule';
import { expectDescentError } from '@descent/core/testing';

describe('makeSchedule', () => {
  it('attaches a deeply frozen config and checks the step', () => {
    const config = { type: 'test.halving', every: 10, nested: { list: [1, 2] } };
    const s = makeSchedule(config, (t) => 0.5 ** Math.floor(t / config.every));
    expect(s(25)).toBe(0.25);
    expect(s.config).toBe(config);
    expect(Object.isFrozen(s.config)).toBe(true);
    expect(Object.isFrozen(config.nested.list)).toBe(true);
    expect(() => {
      (s as unknown as { config: unknown }).config = {};
    }).toThrow(TypeError);
    expectDescentError(() => s(-0.5), 'BAD_HYPERPARAM', 'test.halving step');
    expectDescentError(() => s(Number.POSITIVE_INFINITY), 'NON_FINITE', 'test.halving step');
  });

  it('defines custom kinds that scheduleFromConfig rebuilds', () => {
    const halving = (every: number) =>
      makeSchedule({ type: 'test.halving2', every }, (t) => 0.5 ** Math.floor(t / every));
    registerScheduleKind('test.halving2', (c) => halving(c.every as number));
    const back = scheduleFromConfig(JSON.parse(JSON.stringify(halving(4).config)));
    expect([0, 4, 8].map(back)).toEqual([1, 0.5, 0.25]);
  });
});
