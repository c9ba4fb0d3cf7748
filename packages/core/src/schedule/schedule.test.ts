import { describe, expect, it } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import {
  hyperFromConfig,
  hyperToConfig,
  hyperValue,
  isSchedule,
  registerScheduleKind,
  type Schedule,
  type ScheduleConfig,
  scheduleFromConfig,
} from './schedule';

const halving = (config: ScheduleConfig): Schedule =>
  Object.assign((step: number) => (config.initValue as number) * 0.5 ** Math.floor(step / 10), {
    config,
  });

describe('Schedule', () => {
  registerScheduleKind('test.halving', halving);

  it('evaluates numbers and schedules, checking the range', () => {
    const s = halving({ type: 'test.halving', initValue: 0.8 });
    expect(isSchedule(s)).toBe(true);
    expect(isSchedule(() => 1)).toBe(false);
    expect(hyperValue('lr', 0.1, 5)).toBe(0.1);
    expect(hyperValue('lr', s, 25)).toBe(0.2);
    const error = (() => {
      try {
        hyperValue('lr', halving({ type: 'test.halving', initValue: -1 }), 3, { min: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(isDescentError(error) && error.code).toBe('BAD_HYPERPARAM');
    expect(String(error)).toContain('lr (schedule test.halving at step 3)');
  });

  it('round-trips through JSON', () => {
    const s = halving({ type: 'test.halving', initValue: 0.4 });
    const json = JSON.stringify({ lr: hyperToConfig(s), momentum: hyperToConfig(0.9) });
    const back = JSON.parse(json) as { lr: ScheduleConfig; momentum: number };
    const lr = hyperFromConfig(back.lr) as Schedule;
    expect([0, 10, 20].map(lr)).toEqual([0.4, 0.2, 0.1]);
    expect(hyperFromConfig(back.momentum)).toBe(0.9);
  });

  it('names the missing import for an unknown kind', () => {
    expect(() => scheduleFromConfig({ type: 'nope' })).toThrow(/import '@descent\/schedule'/);
  });
});
