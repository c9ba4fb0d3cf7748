import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@descent/core';
import { expect, it } from 'vitest';
import { QUICK_SETTINGS } from './settings';
import { runUpgrades } from './upgrade-run';

// The quick mode end to end on wasm (2 000 / 500 digits, 1 epoch per step). Every number checked
// here is deterministic: seeded initializers, unshuffled batches, IEEE arithmetic on wasm.
it('quick run: every step trains, pruning keeps 20 % at exact zeros, the loaded model predicts and resumes as the saved one, nothing leaks', async () => {
  await useBackend('wasm');
  const outDir = mkdtempSync(join(tmpdir(), 'tfjs-interop-'));
  const before = tf.memory().numTensors;
  const result = await runUpgrades({ ...QUICK_SETTINGS, outDir });
  expect(tf.memory().numTensors).toBe(before);

  const { steps, pruning, resume } = result;
  expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
  for (const s of steps) {
    expect(s.testAccuracy, s.name).toBeGreaterThan(0.75);
    expect(s.losses.every(Number.isFinite), s.name).toBe(true);
    expect(s.secondsPerEpoch).toBeGreaterThan(0);
  }
  expect(steps.map((s) => s.parameters)).toEqual([
    235_146,
    235_146,
    235_146,
    235_530,
    235_530 - pruning.pruned,
    235_530 - pruning.pruned,
  ]);

  const pruned = steps[4]!;
  expect(Math.abs(pruned.density - 0.2)).toBeLessThanOrEqual(0.01);
  expect(pruning.total).toBe(784 * 256 + 256 * 128 + 128 * 10);
  expect(pruning.kept + pruning.pruned).toBe(pruning.total);
  expect(pruning.nonzeroAfterFineTune).toBe(0);
  expect(pruning.nonzeroAfterResume).toBe(0);

  expect(resume.predictionsEqual).toBe(true);
  expect(resume.loadedAccuracy).toBe(resume.savedAccuracy);
  expect(resume.savedAccuracy).toBe(pruned.testAccuracy);
  expect(resume.uninterruptedLosses).toHaveLength(Math.ceil(2000 / 64));
  expect(resume.resumedLosses).toEqual(resume.uninterruptedLosses);
  expect(resume.weightsEqual).toBe(true);
  // fit's epoch loss is the batch losses weighted by batch size (the last batch holds 16).
  const weighted = resume.resumedLosses.reduce((s, l, i) => s + l * Math.min(64, 2000 - 64 * i), 0);
  expect(steps[5]!.losses[0]).toBeCloseTo(weighted / 2000, 5);

  const saved = readFileSync(join(outDir, 'model.json'), 'utf8');
  for (const name of ['descent.HeNormal', 'descent.LayerNormalization', 'descent.AdamW']) {
    expect(saved).toContain(`"${name}"`);
  }
  expect(saved).toContain('"warmupCosineDecay"');
  expect(readFileSync(join(outDir, 'weights.bin')).byteLength).toBe(resume.weightBytes);
}, 120_000);
