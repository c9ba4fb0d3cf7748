import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningCallback } from '@descent/layers';
import type { Masks } from '@descent/lottery';
import { loadFromDir, saveToDir } from './artifacts-dir';
import { BatchLosses } from './batch-losses';
import { fitEpochs } from './fit-epochs';
import { prunedEntries } from './magnitude-masks';
import type { DigitTensors, MnistTensors } from './mnist-tensors';
import { sameNumbers, sameWeights, trainableCount } from './model-counts';
import { predictDigits } from './predictions';
import type { ResumeReport, StepReport } from './reports';
import { disposeModel } from './upgrade-steps';

/**
 * Step 6: saves the pruned, compiled model with its optimizer into `outDir`, loads it back,
 * compares the two models' test predictions, then trains one more epoch on each (the saved one:
 * the uninterrupted run; the loaded one: the resumed run), both under the same masks, and
 * compares their batch losses and final weights. The loaded model is disposed.
 */
export async function saveLoadResume(
  saved: tfl.LayersModel,
  masks: Masks,
  data: MnistTensors,
  options: { outDir: string; batchSize: number; density: number },
): Promise<{ step: StepReport; resume: ResumeReport; nonzeroAfterResume: number }> {
  const result = await saveToDir(saved, options.outDir);
  const loaded = await loadFromDir(options.outDir);
  try {
    const before = await predictDigits(saved, data.test);
    const after = await predictDigits(loaded, data.test);
    const uninterrupted = await oneMoreEpoch(saved, masks, data.train, options.batchSize);
    const resumed = await oneMoreEpoch(loaded, masks, data.train, options.batchSize);
    const { accuracy } = await predictDigits(loaded, data.test);
    const entries = await prunedEntries(loaded, masks);
    const step: StepReport = {
      step: 6,
      name: 'saved, loaded, resumed 1 epoch',
      testAccuracy: accuracy,
      secondsPerEpoch: resumed.secondsPerEpoch,
      density: options.density,
      parameters: trainableCount(loaded) - entries.pruned,
      losses: resumed.losses,
    };
    const resume: ResumeReport = {
      weightBytes: result.modelArtifactsInfo.weightDataBytes ?? 0,
      savedAccuracy: before.accuracy,
      loadedAccuracy: after.accuracy,
      predictionsEqual: sameNumbers(before.probabilities, after.probabilities),
      uninterruptedLosses: uninterrupted.batchLosses,
      resumedLosses: resumed.batchLosses,
      weightsEqual: await sameWeights(saved, loaded),
    };
    return { step, resume, nonzeroAfterResume: entries.nonzero };
  } finally {
    disposeModel(loaded);
  }
}

/** One epoch of `fit` under the masks, recording every batch's loss. */
async function oneMoreEpoch(
  model: tfl.LayersModel,
  masks: Masks,
  train: DigitTensors,
  batchSize: number,
): Promise<{ losses: number[]; batchLosses: number[]; secondsPerEpoch: number }> {
  const pruning = new PruningCallback(masks);
  const recorder = new BatchLosses();
  try {
    const fit = await fitEpochs(model, train, {
      epochs: 1,
      batchSize,
      callbacks: [pruning, recorder],
    });
    return { ...fit, batchLosses: recorder.losses };
  } finally {
    pruning.dispose();
  }
}
