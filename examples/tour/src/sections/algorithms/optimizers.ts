import type * as tf from '@tensorflow/tfjs-core';
import type { HyperParameter } from '@descent/core';
import { adam, adamw, lamb, radam, sgd } from '@descent/optim';

/** One optimizer of the comparison: its name, its peak learning rate and how to build it. */
export interface OptimizerSpec {
  /** A stable key for `report.json`. */
  id: string;
  /** The name in charts and sentences. */
  label: string;
  /** The learning rate of the constant schedule and the peak of the others. */
  learningRate: number;
  /** A fresh optimizer driven by `learningRate` (a number or a schedule). */
  make(learningRate: HyperParameter): tf.Optimizer;
}

/**
 * The six optimizers, each at the upper end of its usual range for LeNet-300-100 with batches of
 * 64: SGD 0.3; heavy ball 0.03 with μ = 0.9 (an effective step η/(1 − μ) = 0.3, as SGD's);
 * Adam and AdamW 3·10⁻³ (AdamW with decoupled decay λ = 10⁻²); RAdam 10⁻² (its rectification
 * damps the first few hundred steps, so it tolerates a larger η); LAMB 2·10⁻² (a relative step per
 * layer). At the textbook rates (Adam 10⁻³) a short run is limited by the step size rather than by
 * gradient noise, and a schedule has nothing to decay.
 */
export const OPTIMIZERS: readonly OptimizerSpec[] = [
  { id: 'sgd', label: 'SGD', learningRate: 0.3, make: (lr) => sgd({ learningRate: lr }) },
  {
    id: 'momentum',
    label: 'Momentum',
    learningRate: 0.03,
    make: (lr) => sgd({ learningRate: lr, momentum: 0.9 }),
  },
  { id: 'adam', label: 'Adam', learningRate: 3e-3, make: (lr) => adam({ learningRate: lr }) },
  {
    id: 'adamw',
    label: 'AdamW',
    learningRate: 3e-3,
    make: (lr) => adamw({ learningRate: lr, weightDecay: 1e-2 }),
  },
  { id: 'radam', label: 'RAdam', learningRate: 1e-2, make: (lr) => radam({ learningRate: lr }) },
  { id: 'lamb', label: 'LAMB', learningRate: 2e-2, make: (lr) => lamb({ learningRate: lr }) },
];

/** The optimizers whose step adapts per coordinate or per layer (all but the two SGDs). */
export const ADAPTIVE_IDS: readonly string[] = ['adam', 'adamw', 'radam', 'lamb'];
