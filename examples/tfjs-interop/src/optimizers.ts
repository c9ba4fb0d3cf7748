import * as tf from '@tensorflow/tfjs-core';
import { adamw } from '@descent/optim';
import { warmupCosineDecay } from '@descent/schedule';

/** The learning-rate schedule's span and peak. */
export interface ScheduleSpan {
  /** Optimizer steps the schedule spans (the warmup included). */
  steps: number;
  /** The peak learning rate, reached after the warmup. */
  peak: number;
}

/** The app's original optimizer: tfjs's Adam at η = 1e-3. */
export function tfjsAdam(): tf.Optimizer {
  return tf.train.adam(1e-3);
}

/**
 * AdamW (decoupled weight decay λ = 0.01) whose learning rate warms up linearly from 0 over the
 * first 10 % of `steps`, then decays along a cosine to `peak / 100` at `steps`.
 */
export function adamwWarmupCosine({ steps, peak }: ScheduleSpan): tf.Optimizer {
  const warmupSteps = Math.max(1, Math.round(0.1 * steps));
  return adamw({
    learningRate: warmupCosineDecay({
      initValue: 0,
      peakValue: peak,
      warmupSteps,
      decaySteps: Math.max(steps, warmupSteps + 1),
      endValue: peak / 100,
    }),
    weightDecay: 0.01,
  });
}
