import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningCallback } from '@descent/layers';
import type { Masks } from '@descent/lottery';
import { fitEpochs, stepsPerEpoch } from './fit-epochs';
import { disposeMasks, magnitudeMasks, prunedEntries } from './magnitude-masks';
import type { MnistTensors } from './mnist-tensors';
import { trainableCount } from './model-counts';
import { adamwWarmupCosine } from './optimizers';
import { predictDigits } from './predictions';
import type { PruningReport, StepReport } from './reports';
import { compileClassifier } from './upgrade-steps';

/** Settings of {@link pruneAndFineTune}. */
export interface FineTuneOptions {
  /** Fraction of every kernel kept. */
  density: number;
  /** Epochs of fine-tuning. */
  epochs: number;
  /** Epochs the learning-rate schedule spans beyond them (step 6's resumed epoch). */
  extraEpochs: number;
  /** Peak learning rate of the fine-tuning schedule. */
  peak: number;
  batchSize: number;
}

/**
 * Step 5: magnitude masks of the trained `model` at `density`, then `epochs` of `model.fit` with a
 * fresh AdamW (warmup-cosine decay over the fine-tuning and `extraEpochs` more) and a
 * `PruningCallback` that keeps the pruned weights at exactly 0. Returns the masks (the caller
 * disposes them), the step's row and the pruning's counts.
 */
export async function pruneAndFineTune(
  model: tfl.LayersModel,
  data: MnistTensors,
  options: FineTuneOptions,
): Promise<{ masks: Masks; step: StepReport; pruning: Omit<PruningReport, 'nonzeroAfterResume'> }> {
  const { density, epochs, extraEpochs, peak, batchSize } = options;
  const found = await magnitudeMasks(model, density);
  const pruning = new PruningCallback(found.masks);
  try {
    const steps = (epochs + extraEpochs) * stepsPerEpoch(data.train.labels.length, batchSize);
    model.optimizer.dispose();
    compileClassifier(model, adamwWarmupCosine({ steps, peak }));
    const fit = await fitEpochs(model, data.train, { epochs, batchSize, callbacks: [pruning] });
    const { accuracy } = await predictDigits(model, data.test);
    const entries = await prunedEntries(model, found.masks);
    const step: StepReport = {
      step: 5,
      name: `+ pruned to ${Math.round(100 * density)} %, fine-tuned`,
      testAccuracy: accuracy,
      secondsPerEpoch: fit.secondsPerEpoch,
      density: found.density,
      parameters: trainableCount(model) - entries.pruned,
      losses: fit.losses,
    };
    const counts = {
      density: found.density,
      kept: found.kept,
      total: found.total,
      pruned: entries.pruned,
      nonzeroAfterFineTune: entries.nonzero,
    };
    return { masks: found.masks, step, pruning: counts };
  } catch (error) {
    disposeMasks(found.masks);
    throw error;
  } finally {
    pruning.dispose();
  }
}
