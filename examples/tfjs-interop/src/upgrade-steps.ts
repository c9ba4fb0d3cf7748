import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type ClassifierOptions, type HiddenNorm, buildClassifier } from './classifier';
import { fitEpochs, stepsPerEpoch } from './fit-epochs';
import type { MnistTensors } from './mnist-tensors';
import { adamwWarmupCosine, tfjsAdam } from './optimizers';
import { predictDigits } from './predictions';

/** One dense-training step of the upgrade: the classifier it builds and the optimizer it compiles. */
export interface DenseStep {
  name: string;
  classifier: Omit<ClassifierOptions, 'seed'>;
  /** The optimizer for `steps` optimizer steps. */
  optimizer: (steps: number) => tf.Optimizer;
}

/** Peak learning rate of the warmup-cosine schedule of steps 2–4. */
export const DENSE_PEAK_LEARNING_RATE = 2e-3;

/** Steps 1–4, each adding one descent import to the one before; `norm` is step 4's. */
export function denseSteps(norm: HiddenNorm = 'layer'): DenseStep[] {
  const adamwCosine = (steps: number) =>
    adamwWarmupCosine({ steps, peak: DENSE_PEAK_LEARNING_RATE });
  return [
    { name: 'tfjs baseline', classifier: {}, optimizer: () => tfjsAdam() },
    { name: '+ adamw, warmupCosineDecay', classifier: {}, optimizer: adamwCosine },
    { name: '+ heNormal', classifier: { heInit: true }, optimizer: adamwCosine },
    {
      name:
        norm === 'layer' ? '+ layerNormalization' : `+ groupNormalization, ${norm.groups} groups`,
      classifier: { heInit: true, norm },
      optimizer: adamwCosine,
    },
  ];
}

/** `model.compile` as the app does it: categorical cross-entropy on the softmax output. */
export function compileClassifier(model: tfl.LayersModel, optimizer: tf.Optimizer): void {
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
}

/** A trained dense step: its compiled model (owned by the caller) and what it measured. */
export interface TrainedStep {
  model: tfl.LayersModel;
  testAccuracy: number;
  secondsPerEpoch: number;
  losses: number[];
}

/** Builds, compiles and trains one dense step, then scores it on the test digits. */
export async function trainDenseStep(
  step: DenseStep,
  data: MnistTensors,
  options: { seed: number; epochs: number; batchSize: number },
): Promise<TrainedStep> {
  const model = buildClassifier({ seed: options.seed, ...step.classifier });
  const steps = options.epochs * stepsPerEpoch(data.train.labels.length, options.batchSize);
  compileClassifier(model, step.optimizer(steps));
  try {
    const { losses, secondsPerEpoch } = await fitEpochs(model, data.train, options);
    const { accuracy } = await predictDigits(model, data.test);
    return { model, testAccuracy: accuracy, secondsPerEpoch, losses };
  } catch (error) {
    disposeModel(model);
    throw error;
  }
}

/** Frees a layers model and the optimizer it was compiled with. */
export function disposeModel(model: tfl.LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}
