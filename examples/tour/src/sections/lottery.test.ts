import { useBackend } from '@descent/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SectionContext, SectionResult } from '../section';
import { type QuickRun, runQuick } from '../test-support/run-quick';
import { type LotterySettings, QUICK, lotterySection, runLotterySection } from './lottery';

const context = (quick: boolean): SectionContext => ({
  seed: 1,
  quick,
  backend: 'wasm',
  progress: () => {},
});

interface Curves {
  density: number[];
  accuracy: { ticket: number[]; randomReinit: number[]; randomPruning: Array<number | null> };
}

describe('lottery section (quick, wasm)', () => {
  let result: SectionResult;
  let leaked: number;
  let progress: QuickRun['progress'];

  beforeAll(async () => {
    ({ result, leaked, progress } = await runQuick(lotterySection));
  }, 600_000);

  it('leaks no tensor and reports progress up to its total', () => {
    expect(leaked).toBe(0);
    const total = progress[0]?.[1] as number;
    expect(progress.every(([, t]) => t === total)).toBe(true);
    expect(progress.at(-1)?.[0]).toBe(total);
  });

  it('prunes 36 % of each hidden layer per round, down to 10.8 % of the weights', () => {
    const { density } = result.numbers.curves as unknown as Curves;
    // hidden layers keep round(0.64ʳ·n) of n, the output layer (1000 weights) 0.81ʳ of them
    const hidden = 784 * 300 + 300 * 100;
    const expected = [1, 2, 3, 4, 5].map((r) => {
      let h1 = 784 * 300;
      let h2 = 300 * 100;
      let out = 1000;
      for (let i = 0; i < r; i++) {
        h1 -= Math.round(0.36 * h1);
        h2 -= Math.round(0.36 * h2);
        out -= Math.round(0.19 * out);
      }
      return (h1 + h2 + out) / (hidden + 1000);
    });
    expect(density).toEqual([1, ...expected]);
    expect(density.at(-1) as number).toBeCloseTo(0.108, 3);
  });

  it('finds a ticket that beats random reinitialization where sparse', () => {
    const { accuracy } = result.numbers.curves as unknown as Curves;
    expect(accuracy.ticket).toHaveLength(6);
    expect(accuracy.randomPruning.slice(1).every((a) => a === null)).toBe(true);
    // the dense network after 42 steps of Adam is far above chance (10 %)
    expect(accuracy.ticket[0]).toBeGreaterThan(0.8);
    const last = accuracy.ticket.length - 1;
    expect(accuracy.ticket[last] as number).toBeGreaterThan(accuracy.randomReinit[last] as number);
    const verdict = result.numbers.verdict as Record<string, number | boolean>;
    expect(verdict.ticketMinusReinit).toBeCloseTo(
      100 * ((accuracy.ticket[last] as number) - (accuracy.randomReinit[last] as number)),
      9,
    );
    expect(result.reproduced).toBe(
      (verdict.ticketMinusDense as number) >= -QUICK.denseTolerance &&
        (verdict.ticketMinusReinit as number) > QUICK.reinitMargin,
    );
  });

  it('is a complete result with a chart', () => {
    expect(result.id).toBe('lottery');
    for (const text of [result.claim, result.paper, result.setup, result.evidence]) {
      expect(text.length).toBeGreaterThan(40);
    }
    expect(result.figures).toHaveLength(1);
    expect(result.figures[0]?.svg.startsWith('<svg')).toBe(true);
    expect(JSON.parse(JSON.stringify(result.numbers))).toEqual(result.numbers);
  });
});

describe('lottery section determinism (wasm)', () => {
  const tiny: LotterySettings = {
    ...QUICK,
    trainDigits: 700,
    validationDigits: 200,
    batchSize: 100,
    rounds: 2,
    randomPruning: true,
  };
  const curves = (result: SectionResult) => result.numbers.curves;

  it('gives the same accuracies for the same seed, with every control', async () => {
    await useBackend('wasm');
    const a = curves(await runLotterySection(context(true), tiny)) as unknown as Curves;
    const b = curves(await runLotterySection(context(true), tiny));
    expect(a.accuracy.randomPruning.every((x) => x !== null)).toBe(true);
    expect(b).toEqual(a);
  }, 600_000);
});
