import { describe, expect, it } from 'vitest';
import type { ScheduleId } from './schedules';
import type { RunCurve } from './train-run';
import { algorithmsVerdict, bestSchedule, finalAccuracy } from './verdict';

const curve = (...accuracy: number[]): RunCurve => ({
  steps: accuracy.map((_, i) => 10 * (i + 1)),
  accuracy,
  seconds: 1,
});

const runs = (constant: number, cosine: number, oneCycle: number, cyclical: number) =>
  ({
    constant: curve(0.5, constant),
    cosine: curve(0.4, cosine),
    'one-cycle': curve(0.3, oneCycle),
    cyclical: curve(0.2, cyclical),
  }) as Record<ScheduleId, RunCurve>;

describe('algorithms verdict', () => {
  it('reads the final accuracy and the best schedule, ties to the first', () => {
    expect(finalAccuracy(curve(0.1, 0.7, 0.9))).toBe(0.9);
    expect(bestSchedule(runs(0.9, 0.95, 0.95, 0.9))).toBe('cosine');
    expect(bestSchedule(runs(0.96, 0.95, 0.95, 0.9))).toBe('constant');
    expect(bestSchedule(runs(0.96, 0.95, 0.95, 0.9), ['cyclical', 'one-cycle'])).toBe('one-cycle');
  });

  it('counts the optimizers whose best schedule ties or beats the constant rate', () => {
    const grid = {
      a: runs(0.9, 0.91, 0.8, 0.8), // wins (cosine)
      b: runs(0.9, 0.9, 0.8, 0.8), // a tie wins
      c: runs(0.9, 0.8, 0.89, 0.8), // loses
      d: runs(0.9, 0.8, 0.8, 0.95), // wins (cyclical)
    };
    const v = algorithmsVerdict(grid, ['a', 'b'], 1.2, 3);
    expect(v.comparisons.map((c) => [c.optimizer, c.bestSchedule, c.scheduleWins])).toEqual([
      ['a', 'cosine', true],
      ['b', 'cosine', true],
      ['c', 'one-cycle', false],
      ['d', 'cyclical', true],
    ]);
    expect(v.scheduleWins).toBe(3);
    expect(v.schedulesHold).toBe(true);
    expect(algorithmsVerdict(grid, ['a', 'b'], 1.2, 4).schedulesHold).toBe(false);
  });

  it('compares the first evaluation of adaptive and SGD methods, and the step ratio', () => {
    const grid = {
      adam: runs(0.9, 0.9, 0.9, 0.9),
      sgd: runs(0.9, 0.9, 0.9, 0.9),
    };
    grid.adam.constant = curve(0.8, 0.9);
    grid.sgd.constant = curve(0.6, 0.9);
    const v = algorithmsVerdict(grid, ['adam'], 1.5, 1);
    expect(v.earlyAdaptive).toBeCloseTo(0.8, 12);
    expect(v.earlySgd).toBeCloseTo(0.6, 12);
    expect(v.adaptiveHold).toBe(true);
    expect(v.fusedHold).toBe(true);
    expect(v.reproduced).toBe(true);
    const slower = algorithmsVerdict(grid, ['adam'], 0.9, 1);
    expect(slower.fusedHold).toBe(false);
    expect(slower.reproduced).toBe(false);
    expect(algorithmsVerdict(grid, ['sgd'], 1.5, 1).adaptiveHold).toBe(false);
  });
});
