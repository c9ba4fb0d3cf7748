import { beforeAll, describe, expect, it } from 'vitest';
import type { SectionResult } from '../section';
import { type QuickRun, runQuick } from '../test-support/run-quick';
import { NTK_SLOPE_THRESHOLD, ntkSection, runNtk } from './ntk';
import type { InitDistance } from './ntk/kernel-at-init';
import type { KernelMovement } from './ntk/kernel-movement';
import { NTK_QUICK } from './ntk/settings';

const progress = () => {};

describe('ntkSection (quick, wasm)', () => {
  let result: SectionResult;
  let leaked: number;
  let lastProgress: [number, number, string] | undefined;

  beforeAll(async () => {
    let progress: QuickRun['progress'];
    ({ result, leaked, progress } = await runQuick(ntkSection));
    lastProgress = progress.at(-1);
  });

  it('describes itself, reports its progress to the end and frees every tensor', () => {
    expect(result.id).toBe('ntk');
    expect(result.title).toBe(ntkSection.title);
    for (const text of [result.claim, result.paper, result.setup, result.evidence]) {
      expect(text.length).toBeGreaterThan(40);
    }
    expect(result.figures).toHaveLength(1);
    expect(result.figures[0]?.svg.startsWith('<svg')).toBe(true);
    expect(lastProgress?.[0]).toBe(lastProgress?.[1]);
    expect(lastProgress?.[1]).toBeGreaterThan(0);
    expect(leaked).toBe(0);
  });

  it('the empirical NTK at initialization is closer to the analytic one at the largest width', () => {
    const rows = result.numbers.kernelAtInit as unknown as InitDistance[];
    expect(rows.map((r) => r.width)).toEqual(NTK_QUICK.widths);
    for (const row of rows) {
      expect(row.distances).toHaveLength(NTK_QUICK.initSeeds);
      // a finite kernel is near the analytic one but never equal to it
      for (const d of row.distances) expect(d).toBeGreaterThan(0);
      expect(row.mean).toBeLessThan(0.5);
    }
    // 64× the width: 1/√width predicts an 8× smaller distance; at least 2× smaller
    expect(rows.at(-1)!.mean).toBeLessThan(rows[0]!.mean / 2);
  });

  it('training fits the targets and moves the wide kernel less than the narrow one', () => {
    const rows = result.numbers.kernelMovement as unknown as KernelMovement[];
    for (const row of rows) {
      // centered nets all start from the residual −y: the same loss ½·mean(y²) at every width
      expect(row.lossBefore[0]).toBeCloseTo(rows[0]!.lossBefore[0]!, 5);
      expect(row.lossAfter[0]!).toBeLessThan(row.lossBefore[0]! / 10);
      expect(row.mean).toBeGreaterThan(0);
    }
    expect(rows.at(-1)!.mean).toBeLessThan(rows[0]!.mean / 2);
  });

  it('decides by the fitted log-log slopes', () => {
    const { initSlope, movementSlope } = result.numbers as {
      initSlope: number;
      movementSlope: number;
    };
    expect(initSlope).toBeLessThan(0);
    expect(movementSlope).toBeLessThan(0);
    expect(result.reproduced).toBe(
      initSlope <= NTK_SLOPE_THRESHOLD && movementSlope <= NTK_SLOPE_THRESHOLD,
    );
    expect(result.evidence).toContain(initSlope.toFixed(2));
  });

  it('gives the same numbers for the same seed', async () => {
    const tiny = { ...NTK_QUICK, widths: [32, 128], initSeeds: 2, steps: 5 };
    const context = { seed: 3, quick: true, backend: 'wasm', progress };
    const first = await runNtk(context, tiny);
    const second = await runNtk(context, tiny);
    expect(second.numbers).toEqual(first.numbers);
    const other = await runNtk({ ...context, seed: 4 }, tiny);
    expect(other.numbers.kernelAtInit).not.toEqual(first.numbers.kernelAtInit);
  });
});
