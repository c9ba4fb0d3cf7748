import { disposeParams } from '@descent/core';
import { type Dataset, mnist } from '@descent/data';
import { lossCurve } from '../convergence/loss-curve';
import { NORM_VARIANTS, type NormVariant, normalizedMlp } from './norm-variants';

/** The sizes of one run of the normalization experiment. */
export interface NormalizationSettings {
  /** Weight layers of the ReLU MLP. */
  depth: number;
  width: number;
  /** GroupNorm's channel groups. */
  groups: number;
  /** Plain SGD steps per run. */
  steps: number;
  batchSize: number;
  /** The learning rates tried, ascending. */
  learningRates: number[];
  /** Training digits drawn from. */
  trainExamples: number;
}

/** Half-decade steps from 0.01 to 10. */
const LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1, 3, 10];

/** The full run: a 10-layer MLP of width 64, 120 steps per learning rate. */
export const FULL_SETTINGS: NormalizationSettings = {
  depth: 10,
  width: 64,
  groups: 8,
  steps: 120,
  batchSize: 64,
  learningRates: LEARNING_RATES,
  trainExamples: 8000,
};

/** The quick run: 6 layers of width 32, 50 steps per learning rate. */
export const QUICK_SETTINGS: NormalizationSettings = {
  ...FULL_SETTINGS,
  depth: 6,
  width: 32,
  steps: 50,
  trainExamples: 2000,
};

/** One training run: a variant at a learning rate. */
export interface RateRun {
  variant: NormVariant;
  learningRate: number;
  /** The training loss of every step (before its update); shorter when it became non-finite. */
  losses: number[];
}

/**
 * Trains the MLP with every normalization at every learning rate with plain SGD, from the same
 * initial weights per variant and on the same batches. `progress(done, total, phase)` counts
 * steps (a run that diverges early counts as finished).
 */
export async function runNormalization(
  settings: NormalizationSettings,
  seed: number,
  progress: (done: number, total: number, phase: string) => void,
): Promise<RateRun[]> {
  const data = await mnist({ split: 'train', limit: settings.trainExamples, seed });
  const runs: RateRun[] = [];
  const total = NORM_VARIANTS.length * settings.learningRates.length * settings.steps;
  for (const variant of NORM_VARIANTS) {
    for (const learningRate of settings.learningRates) {
      const before = runs.length * settings.steps;
      const phase = `${variant}, lr ${learningRate}`;
      progress(before, total, phase);
      const losses = await trainOnce(variant, learningRate, settings, seed, data, (done) => {
        if (done % 10 === 0) progress(before + done, total, phase);
      });
      runs.push({ variant, learningRate, losses });
    }
  }
  progress(total, total, 'done');
  return runs;
}

async function trainOnce(
  variant: NormVariant,
  learningRate: number,
  settings: NormalizationSettings,
  seed: number,
  data: Dataset,
  onStep: (done: number) => void,
): Promise<number[]> {
  const shape = {
    inputDim: 784,
    width: settings.width,
    depth: settings.depth,
    classes: 10,
    groups: settings.groups,
  };
  const model = normalizedMlp(variant, shape, seed);
  try {
    return await lossCurve(model, data, {
      steps: settings.steps,
      batchSize: settings.batchSize,
      learningRate,
      momentum: 0,
      seed,
      prefix: `normalization-${variant}-${learningRate}/`,
      onStep,
    });
  } finally {
    disposeParams(model.params);
  }
}
