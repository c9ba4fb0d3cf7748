import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@descent/core';
import { describe, expect, it } from 'vitest';
import { measureBreakdown } from './breakdown';
import { CONTENDERS } from './contenders';
import { median, runTrainingBench, trainingBudget } from './training-bench';
import { formatBreakdown, formatDrift, formatTrainingTable } from './training-table';

describe('training benchmark (quick, wasm)', () => {
  it('measures every contender at every batch size, and the per-step breakdown', async () => {
    await useBackend('wasm', { onFallback: () => {} });
    const before = tf.memory().numTensors;
    const budget = trainingBudget('wasm', true);
    const result = await runTrainingBench('wasm', budget);
    expect(result.rows.map((r) => r.batchSize)).toEqual([...budget.batchSizes]);
    for (const row of result.rows) {
      for (const c of CONTENDERS) expect(row.samplesPerSecond[c]).toBeGreaterThan(0);
      expect(row.loopOverFit).toBeGreaterThan(0);
    }
    const drift = result.drift;
    expect(drift?.ratios).toHaveLength(budget.driftEpochs);
    for (const values of Object.values(drift?.epochs ?? {})) {
      expect(values).toHaveLength(budget.driftEpochs);
    }
    const first = drift?.ratios[0] as number;
    const last = drift?.ratios[budget.driftEpochs - 1] as number;
    expect(drift?.drift).toBeCloseTo(last / first, 10);
    const breakdown = await measureBreakdown('wasm', 256, 64);
    expect(breakdown.steps).toBe(4);
    for (const ms of [breakdown.phases.forward, breakdown.phases.update]) {
      expect(ms).toBeGreaterThan(0);
    }
    expect(breakdown.profiles.map((p) => p.label)).toHaveLength(3);
    for (const p of breakdown.profiles) expect(p.kernels).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(formatTrainingTable([result]).split('\n')).toHaveLength(2 + budget.batchSizes.length);
    expect(formatBreakdown(breakdown)).toContain('BatchMatMul');
    expect(formatDrift(drift as NonNullable<typeof drift>).split('\n')).toHaveLength(
      2 + budget.driftEpochs + 2,
    );
  });

  it('median takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
