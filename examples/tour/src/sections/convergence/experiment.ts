import * as tf from '@tensorflow/tfjs-core';
import { disposeParams } from '@descent/core';
import { type Dataset, mnist } from '@descent/data';
import { INIT_SCHEMES, type InitScheme, initializedNet } from './init-schemes';
import { lossCurve } from './loss-curve';
import { type SignalProfile, signalProfile } from './signal-profile';

/** The sizes of one run of the convergence experiment. */
export interface ConvergenceSettings {
  /** Weight layers of the ReLU MLP. */
  depth: number;
  width: number;
  /** SGD steps per scheme. */
  steps: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  /** Training digits drawn from. */
  trainExamples: number;
  /** Digits of the batch the signal is measured on (and LSUV calibrates on). */
  probeExamples: number;
}

/** The full run: a 30-layer MLP, 200 steps. */
export const FULL_SETTINGS: ConvergenceSettings = {
  depth: 30,
  width: 128,
  steps: 200,
  batchSize: 64,
  learningRate: 0.01,
  momentum: 0.9,
  trainExamples: 8000,
  probeExamples: 256,
};

/** The quick run: 15 layers of 64 units (still deep enough for the naive signal to vanish), 100 steps. */
export const QUICK_SETTINGS: ConvergenceSettings = {
  ...FULL_SETTINGS,
  depth: 15,
  width: 64,
  steps: 100,
  trainExamples: 2000,
};

/** What one scheme gave. */
export interface SchemeRun {
  scheme: InitScheme;
  signal: SignalProfile;
  /** The training loss of every step (before its update). */
  losses: number[];
}

/**
 * Initializes the deep MLP with every scheme, measures its signal profile on a probe batch of
 * digits, then trains it with SGD for `settings.steps` steps (the same batches for every scheme).
 * `progress(done, total, phase)` counts training steps.
 */
export async function runConvergence(
  settings: ConvergenceSettings,
  seed: number,
  progress: (done: number, total: number, phase: string) => void,
): Promise<SchemeRun[]> {
  const data = await mnist({ split: 'train', limit: settings.trainExamples, seed });
  const probe = tf.tensor2d(data.x.subarray(0, settings.probeExamples * 784), [
    settings.probeExamples,
    784,
  ]);
  const total = INIT_SCHEMES.length * settings.steps;
  const runs: SchemeRun[] = [];
  try {
    for (const [i, scheme] of INIT_SCHEMES.entries()) {
      progress(i * settings.steps, total, `${scheme}: signal`);
      runs.push(
        await runScheme(scheme, settings, seed, data, probe, (done) => {
          if (done % 5 === 0) progress(i * settings.steps + done, total, `${scheme}: training`);
        }),
      );
    }
  } finally {
    probe.dispose();
  }
  progress(total, total, 'done');
  return runs;
}

async function runScheme(
  scheme: InitScheme,
  settings: ConvergenceSettings,
  seed: number,
  data: Dataset,
  probe: tf.Tensor,
  onStep: (done: number) => void,
): Promise<SchemeRun> {
  const shape = { inputDim: 784, width: settings.width, depth: settings.depth, classes: 10 };
  const net = await initializedNet(scheme, shape, seed, probe);
  try {
    const signal = await signalProfile(net, probe);
    const losses = await lossCurve(net, data, {
      steps: settings.steps,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      momentum: settings.momentum,
      seed,
      prefix: `convergence-${scheme}/`,
      onStep,
    });
    return { scheme, signal, losses };
  } finally {
    disposeParams(net.params);
  }
}
