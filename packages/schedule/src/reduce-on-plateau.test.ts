import { scheduleFromConfig } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { constant } from './constant';
import { cosineDecay } from './cosine-decay';
import { join } from './join';
import { linearScaling } from './linear-scaling';
import { linearWarmup } from './linear-warmup';
import { type PlateauSchedule, reduceOnPlateau } from './reduce-on-plateau';
import { expectDescentError } from '@descent/core/testing';
import { expectRoundTrip, expectValues, fromJson } from './test-support/round-trip';

/** The value after each update, as torch's tests check the lr after each `scheduler.step(metric)`. */
function run(options: Parameters<typeof reduceOnPlateau>[0], metrics: number[]): number[] {
  const plateau = reduceOnPlateau(options);
  return metrics.map((m) => plateau.update(m));
}

describe('reduceOnPlateau', () => {
  it('matches torch test_reduce_lr_on_plateau1 (steady improvement: no reduction)', () => {
    const metrics = Array.from({ length: 20 }, (_, i) => 10 - i * 0.0167);
    const values = run(
      {
        initValue: 0.5,
        thresholdMode: 'abs',
        mode: 'min',
        threshold: 0.01,
        patience: 5,
        cooldown: 5,
      },
      metrics,
    );
    expect(values).toEqual(Array(20).fill(0.5));
  });

  it('matches torch test_reduce_lr_on_plateau2 (abs, min, patience 5, threshold 0.1)', () => {
    const metrics = Array.from({ length: 22 }, (_, i) => 10 - i * 0.0165);
    const values = run(
      {
        initValue: 0.5,
        patience: 5,
        cooldown: 0,
        thresholdMode: 'abs',
        mode: 'min',
        threshold: 0.1,
      },
      metrics,
    );
    expectValues(
      values,
      [
        ...Array(6).fill(0.5),
        ...Array(7).fill(0.05),
        ...Array(7).fill(0.005),
        ...Array(2).fill(0.0005),
      ],
      1e-12,
    );
  });

  it('matches torch test_reduce_lr_on_plateau3 (max, abs, patience 5, cooldown 5)', () => {
    const metrics = [...Array(2).fill(-0.8), ...Array(20).fill(-0.234)];
    const values = run(
      { initValue: 0.5, mode: 'max', patience: 5, cooldown: 5, thresholdMode: 'abs' },
      metrics,
    );
    expectValues(
      values,
      [...Array(8).fill(0.5), ...Array(11).fill(0.05), ...Array(3).fill(0.005)],
      1e-12,
    );
  });

  it('uses relative thresholds, floors at minValue and skips drops ≤ eps', () => {
    // rel/min: 0.9999 is not < 1·(1 − 1e-3); only a drop by more than 0.1 % counts
    const p = reduceOnPlateau({ factor: 0.5, patience: 1, threshold: 1e-3, minValue: 0.2 });
    expect([1, 0.9999, 0.9995].map((m) => p.update(m))).toEqual([1, 1, 0.5]);
    expect([0.998, 0.998, 0.998, 0.998, 0.998].map((m) => p.update(m))).toEqual([
      0.5, 0.5, 0.25, 0.25, 0.2,
    ]);
    expect(p.state()).toEqual({
      value: 0.2,
      best: 0.998,
      numBadEpochs: 0,
      cooldownCounter: 0,
      updates: 8,
    });
    const q = reduceOnPlateau({ patience: 0, minValue: 0.5, eps: 0.6, mode: 'max' });
    expect([1, 0, 0].map((m) => q.update(m))).toEqual([1, 1, 1]); // 1 → 0.5 is a drop of 0.5 ≤ eps
    expect(reduceOnPlateau().options).toEqual({
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: 'rel',
      cooldown: 0,
      minValue: 0,
      mode: 'min',
      eps: 1e-8,
      initValue: 1,
    });
  });

  it('multiplies another schedule, live, and round-trips with its state', () => {
    const base = cosineDecay({ initValue: 0.1, decaySteps: 100 });
    const plateau = reduceOnPlateau({ factor: 0.5, patience: 0 });
    const lr = plateau.schedule(base);
    expect(lr(10)).toBe(base(10));
    plateau.update(1);
    plateau.update(2); // worse → halve
    expect(plateau.value).toBe(0.5);
    expect(lr(10)).toBe(base(10) * 0.5);
    expect(lr.config).toMatchObject({ type: 'reduceOnPlateau', factor: 0.5, base: base.config });
    const back = expectRoundTrip(lr) as PlateauSchedule;
    expect(back.plateau.state()).toEqual(plateau.state());
    // the rebuilt controller goes on from the saved state
    back.plateau.update(3);
    plateau.update(3);
    expect(back.plateau.value).toBe(plateau.value);
    expect(back(50)).toBe(lr(50));
    expect(Object.isFrozen(lr.config)).toBe(true);
  });

  it('works without a base (the value itself) and resumes from a state snapshot', () => {
    const p = reduceOnPlateau({ initValue: 0.1, patience: 1 });
    const s = p.schedule();
    for (const m of [3, 3, 3]) p.update(m);
    expect(s(0)).toBeCloseTo(0.01, 17);
    const resumed = reduceOnPlateau(p.options, JSON.parse(JSON.stringify(p.state())));
    expect(resumed.value).toBe(p.value);
    expect([3, 3].map((m) => resumed.update(m))).toEqual([3, 3].map((m) => p.update(m)));
    expect(
      scheduleFromConfig(JSON.parse(JSON.stringify(reduceOnPlateau().schedule(2).config)))(5),
    ).toBe(2);
  });

  it('rejects bad options, metrics and states', () => {
    expectDescentError(
      () => reduceOnPlateau({ factor: 1 }),
      'BAD_HYPERPARAM',
      'reduceOnPlateau.factor',
    );
    expectDescentError(() => reduceOnPlateau({ factor: 0 }), 'BAD_HYPERPARAM', 'factor');
    expectDescentError(
      () => reduceOnPlateau({ patience: -1 }),
      'BAD_HYPERPARAM',
      'reduceOnPlateau.patience',
    );
    expectDescentError(() => reduceOnPlateau({ cooldown: 0.5 }), 'BAD_HYPERPARAM', 'cooldown');
    expectDescentError(
      () => reduceOnPlateau({ mode: 'maximize' as 'max' }),
      'BAD_HYPERPARAM',
      'reduceOnPlateau.mode',
    );
    expectDescentError(
      () => reduceOnPlateau({ thresholdMode: 'relative' as 'rel' }),
      'BAD_HYPERPARAM',
      'thresholdMode',
    );
    expectDescentError(() => reduceOnPlateau({ threshold: -1 }), 'BAD_HYPERPARAM', 'threshold');
    expectDescentError(() => reduceOnPlateau({ minLr: 0 } as never), 'UNKNOWN_PARAM', 'minLr');
    expectDescentError(() => reduceOnPlateau().update(Number.NaN), 'NON_FINITE', 'metric');
    expectDescentError(
      () => reduceOnPlateau({}, { value: 1 } as never),
      'BAD_HYPERPARAM',
      'reduceOnPlateau.state.numBadEpochs',
    );
    expectDescentError(() => reduceOnPlateau().schedule()(-1), 'BAD_HYPERPARAM', 'step');
    const config = JSON.parse(JSON.stringify(reduceOnPlateau().schedule().config));
    expectDescentError(() => fromJson({ ...config, factor: 2 }), 'BAD_HYPERPARAM', 'factor');
    expectDescentError(() => fromJson({ ...config, extra: 2 }), 'UNKNOWN_PARAM', 'extra');
    expectDescentError(
      () => fromJson({ ...config, state: 3 }),
      'BAD_ARGUMENT',
      'reduceOnPlateau.state',
    );
  });
});

describe('reduceOnPlateau inside combinators', () => {
  it('is refused there (its config follows its state), and wraps them instead', () => {
    const plateau = reduceOnPlateau();
    expectDescentError(
      () => join([constant(1), plateau.schedule()], [3]),
      'BAD_ARGUMENT',
      'join.schedules[1]',
      'outermost',
    );
    expectDescentError(
      () => linearWarmup(plateau.schedule(), { warmupSteps: 3 }),
      'BAD_ARGUMENT',
      'linearWarmup.schedule',
    );
    expectDescentError(
      () => linearScaling({ baseValue: plateau.schedule(), baseBatchSize: 1, batchSize: 2 }),
      'BAD_ARGUMENT',
      'linearScaling.baseValue',
    );
    const wrapped = plateau.schedule(join([constant(1), constant(2)], [3]));
    expect(wrapped(5)).toBe(2);
    expectRoundTrip(wrapped);
  });
});
