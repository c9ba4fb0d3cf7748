import { beforeAll, describe, expect, it } from 'vitest';
import type { SectionResult } from '../section';
import { type QuickRun, runQuick } from '../test-support/run-quick';
import { landscapeSection, runLandscape } from './landscape';
import type { PathMeasure } from './landscape/connect-minima';
import { BARRIER_RATIO_LIMIT } from './landscape/landscape-result';
import { LANDSCAPE_QUICK, type LandscapeSettings } from './landscape/settings';
import type { TopEigenvalues } from './landscape/top-eigenvalues';

interface MinimumNumbers {
  epochs: number;
  batchSize: number;
  loss: number;
  testAccuracy: number;
}

describe('landscapeSection (quick, wasm)', () => {
  let result: SectionResult;
  let leaked: number;
  let lastProgress: [number, number, string] | undefined;

  beforeAll(async () => {
    let progress: QuickRun['progress'];
    ({ result, leaked, progress } = await runQuick(landscapeSection));
    lastProgress = progress.at(-1);
  });

  it('describes itself, reports its progress to the end and frees every tensor', () => {
    expect(result.id).toBe('landscape');
    expect(result.title).toBe(landscapeSection.title);
    for (const text of [result.claim, result.paper, result.setup, result.evidence]) {
      expect(text.length).toBeGreaterThan(40);
    }
    expect(result.figures).toHaveLength(2);
    for (const figure of result.figures) expect(figure.svg.startsWith('<svg')).toBe(true);
    expect(lastProgress?.[0]).toBe(lastProgress?.[1]);
    expect(lastProgress?.[1]).toBeGreaterThan(0);
    expect(leaked).toBe(0);
  });

  it('trains three minima that classify digits, C until its loss reaches A’s or the epoch cap', () => {
    const { a, b, c } = result.numbers.minima as unknown as Record<string, MinimumNumbers>;
    for (const m of [a!, b!, c!]) {
      expect(m.testAccuracy).toBeGreaterThan(0.8);
      // far below the loss of a uniform guess over 10 classes, ln 10 ≈ 2.30
      expect(m.loss).toBeLessThan(0.6);
    }
    expect(a!.epochs).toBe(LANDSCAPE_QUICK.epochs);
    expect(c!.batchSize).toBe(LANDSCAPE_QUICK.largeBatch);
    expect(c!.epochs).toBeLessThanOrEqual(LANDSCAPE_QUICK.largeBatchEpochs);
    if (c!.epochs < LANDSCAPE_QUICK.largeBatchEpochs) expect(c!.loss).toBeLessThanOrEqual(a!.loss);
    expect(result.numbers.largeBatchReachedTarget).toBe(c!.loss <= a!.loss);
  });

  it('both paths run from A to B; the line crosses a barrier the trained curve mostly avoids', () => {
    const { a, b } = result.numbers.minima as unknown as Record<string, MinimumNumbers>;
    const line = result.numbers.line as unknown as PathMeasure;
    const bezier = result.numbers.bezier as unknown as PathMeasure;
    for (const path of [line, bezier]) {
      expect(path.ts).toHaveLength(LANDSCAPE_QUICK.pathPoints);
      expect(path.loss[0]).toBeCloseTo(a!.loss, 5);
      expect(path.loss.at(-1)).toBeCloseTo(b!.loss, 5);
      const ends = (path.loss[0]! + path.loss.at(-1)!) / 2;
      expect(path.barrier).toBeCloseTo(Math.max(...path.loss) - ends, 6);
    }
    expect(line.barrier).toBeGreaterThan(0.1);
    expect(bezier.barrier).toBeLessThan(line.barrier);
    // halfway along the line the net classifies worse than at either end
    const middle = (LANDSCAPE_QUICK.pathPoints - 1) / 2;
    expect(line.testAccuracy[middle]!).toBeLessThan(Math.min(a!.testAccuracy, b!.testAccuracy));
  });

  it('finds positive top Hessian eigenvalues in descending order at both minima', () => {
    const hessian = result.numbers.hessian as unknown as Record<string, TopEigenvalues>;
    for (const top of [hessian.a!, hessian.c!]) {
      expect(top.eigenvalues).toHaveLength(LANDSCAPE_QUICK.eigenvalues);
      expect(top.converged).toBe(true);
      expect(top.eigenvalues.at(-1)!).toBeGreaterThan(0);
      expect([...top.eigenvalues].sort((x, y) => y - x)).toEqual(top.eigenvalues);
    }
  });

  it('decides by the stated criterion', () => {
    const { barrierRatio, sharpnessRatio } = result.numbers as {
      barrierRatio: number;
      sharpnessRatio: number;
    };
    const line = result.numbers.line as unknown as PathMeasure;
    const bezier = result.numbers.bezier as unknown as PathMeasure;
    expect(barrierRatio).toBeCloseTo(bezier.barrier / line.barrier, 12);
    expect(result.reproduced).toBe(barrierRatio <= BARRIER_RATIO_LIMIT && sharpnessRatio > 1);
    expect(result.evidence).toContain(sharpnessRatio.toFixed(2));
  });

  it('gives the same numbers for the same seed', async () => {
    const tiny: LandscapeSettings = {
      ...LANDSCAPE_QUICK,
      hidden: 8,
      trainExamples: 200,
      lossExamples: 100,
      testExamples: 100,
      epochs: 1,
      largeBatch: 100,
      largeBatchEpochs: 2,
      curveEpochs: 1,
      pathPoints: 3,
      eigenvalues: 1,
    };
    const context = { seed: 5, quick: true, backend: 'wasm', progress: () => {} };
    const first = await runLandscape(context, tiny);
    const second = await runLandscape(context, tiny);
    expect(second.numbers).toEqual(first.numbers);
  });
});
