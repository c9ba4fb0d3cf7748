import { useBackend } from '@descent/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SectionContext, SectionResult } from '../section';
import { type QuickRun, runQuick } from '../test-support/run-quick';
import { type AlgorithmsSettings, QUICK, algorithmsSection, runAlgorithms } from './algorithms';
import { SCHEDULE_IDS } from './algorithms/schedules';

const context = (quick: boolean): SectionContext => ({
  seed: 1,
  quick,
  backend: 'wasm',
  progress: () => {},
});

type Runs = Record<string, Record<string, { steps: number[]; accuracy: number[] }>>;

describe('algorithms section (quick, wasm)', () => {
  let result: SectionResult;
  let leaked: number;
  let progress: QuickRun['progress'];

  beforeAll(async () => {
    ({ result, leaked, progress } = await runQuick(algorithmsSection));
  }, 600_000);

  it('leaks no tensor and reports progress up to its total', () => {
    expect(leaked).toBe(0);
    const total = progress[0]?.[1] as number;
    expect(progress.every(([, t]) => t === total)).toBe(true);
    expect(Math.max(...progress.map(([d]) => d))).toBe(total);
  });

  it('trains all six optimizers under all four schedules, every one far above chance', () => {
    const runs = result.numbers.runs as Runs;
    expect(Object.keys(runs)).toEqual(['sgd', 'momentum', 'adam', 'adamw', 'radam', 'lamb']);
    for (const bySchedule of Object.values(runs)) {
      expect(Object.keys(bySchedule)).toEqual([...SCHEDULE_IDS]);
      const finals = Object.values(bySchedule).map(({ steps, accuracy }) => {
        expect(steps).toEqual([8, 16, 24, 32]);
        return accuracy.at(-1) as number;
      });
      // ten classes: chance is 10 %; 32 steps of any of these end well above half right
      expect(Math.min(...finals)).toBeGreaterThan(0.6);
      expect(Math.max(...finals)).toBeGreaterThan(0.75);
      expect(Math.max(...finals)).toBeLessThanOrEqual(1);
    }
  });

  it('decides the verdict from the numbers it reports', () => {
    const timing = result.numbers.adamStep as { descentMs: number; tfjsMs: number; ratio: number };
    expect(timing.descentMs).toBeGreaterThan(0);
    expect(timing.tfjsMs).toBeGreaterThan(0);
    expect(timing.ratio).toBeCloseTo(timing.tfjsMs / timing.descentMs, 12);
    const comparisons = result.numbers.comparisons as Array<{
      constant: number;
      bestFinal: number;
      scheduleWins: boolean;
    }>;
    expect(comparisons).toHaveLength(6);
    for (const c of comparisons) expect(c.scheduleWins).toBe(c.bestFinal >= c.constant);
    const wins = comparisons.filter((c) => c.scheduleWins).length;
    expect(result.numbers.scheduleWins).toBe(wins);
    const criteria = result.numbers.criteria as Record<string, boolean>;
    expect(criteria.schedules).toBe(wins >= QUICK.minScheduleWins);
    expect(criteria.fusedFaster).toBe(timing.ratio > 1);
    expect(result.reproduced).toBe(
      criteria.schedules && criteria.adaptiveEarly && criteria.fusedFaster,
    );
  });

  it('is a complete result with two charts', () => {
    expect(result.id).toBe('algorithms');
    for (const text of [result.claim, result.paper, result.setup, result.evidence]) {
      expect(text.length).toBeGreaterThan(40);
    }
    expect(result.figures).toHaveLength(2);
    for (const figure of result.figures) {
      expect(figure.svg.startsWith('<svg')).toBe(true);
      expect(figure.caption.length).toBeGreaterThan(20);
    }
    expect(JSON.parse(JSON.stringify(result.numbers))).toEqual(result.numbers);
  });
});

describe('algorithms section determinism (wasm)', () => {
  const tiny: AlgorithmsSettings = {
    ...QUICK,
    trainDigits: 400,
    batchSize: 100,
    evaluationsPerEpoch: 2,
    timingSamples: 1,
  };
  const curves = (result: SectionResult) =>
    Object.values(result.numbers.runs as Runs).flatMap((bySchedule) =>
      Object.values(bySchedule).map(({ steps, accuracy }) => ({ steps, accuracy })),
    );

  it('gives the same accuracies for the same seed', async () => {
    await useBackend('wasm');
    const a = curves(await runAlgorithms(context(true), tiny));
    const b = curves(await runAlgorithms(context(true), tiny));
    expect(a).toHaveLength(24);
    expect(a[0]?.steps).toEqual([2, 4]);
    expect(b).toEqual(a);
  }, 600_000);
});
