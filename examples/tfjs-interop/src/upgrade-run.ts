import type * as tfl from '@tensorflow/tfjs-layers';
import type { HiddenNorm } from './classifier';
import { disposeMasks } from './magnitude-masks';
import { disposeDigits, loadDigits } from './mnist-tensors';
import { trainableCount } from './model-counts';
import { pruneAndFineTune } from './prune-and-fine-tune';
import type { StepReport, UpgradeReport } from './reports';
import { saveLoadResume } from './save-load-resume';
import { denseSteps, disposeModel, trainDenseStep } from './upgrade-steps';
import { warmUp } from './warm-up';

/** Settings of {@link runUpgrades}. */
export interface UpgradeOptions {
  /** Training digits (≤ 8 000). */
  trainDigits: number;
  /** Test digits (≤ 2 000). */
  testDigits: number;
  /** Epochs of every dense step (1–4). */
  epochs: number;
  /** Epochs of fine-tuning after pruning (step 5). */
  fineTuneEpochs: number;
  /** Where step 6 writes `model.json` and `weights.bin`. */
  outDir: string;
  /** Default 64. */
  batchSize?: number;
  /** Seeds every initializer. Default 0. */
  seed?: number;
  /** Fraction of every kernel kept by pruning. Default 0.2. */
  density?: number;
  /** Step 4's normalization. Default `'layer'` (`layerNormalization`). */
  norm?: HiddenNorm;
  /** Peak learning rate of the fine-tuning schedule. Default 1e-3. */
  fineTunePeak?: number;
  /** Called when a step is done. */
  onStep?: (report: StepReport) => void;
}

/**
 * The tfjs app upgraded one descent import at a time, on MNIST: four dense steps trained from
 * scratch (tfjs only; + AdamW with warmup-cosine decay; + He init; + layer normalization), then
 * step 4's model pruned by magnitude and fine-tuned under a `PruningCallback` (step 5), saved with
 * its optimizer, loaded and trained one more epoch beside the saved one (step 6). Disposes
 * everything it made.
 */
export async function runUpgrades(options: UpgradeOptions): Promise<UpgradeReport> {
  const { batchSize = 64, seed = 0, norm = 'layer', onStep } = options;
  const { density = 0.2, fineTunePeak = 1e-3, epochs, fineTuneEpochs, outDir } = options;
  const data = await loadDigits({ train: options.trainDigits, test: options.testDigits });
  const steps: StepReport[] = [];
  const report = (step: StepReport) => {
    steps.push(step);
    onStep?.(step);
  };
  let last: tfl.LayersModel | undefined;
  try {
    await warmUp(data.train, batchSize);
    for (const [i, step] of denseSteps(norm).entries()) {
      const trained = await trainDenseStep(step, data, { seed, epochs, batchSize });
      if (last !== undefined) disposeModel(last);
      last = trained.model;
      report({
        step: i + 1,
        name: step.name,
        testAccuracy: trained.testAccuracy,
        secondsPerEpoch: trained.secondsPerEpoch,
        density: 1,
        parameters: trainableCount(trained.model),
        losses: trained.losses,
      });
    }
    const model = last as tfl.LayersModel;
    const fineTune = {
      density,
      epochs: fineTuneEpochs,
      extraEpochs: 1,
      peak: fineTunePeak,
      batchSize,
    };
    const { masks, step, pruning } = await pruneAndFineTune(model, data, fineTune);
    try {
      report(step);
      const saved = await saveLoadResume(model, masks, data, { outDir, batchSize, density });
      report(saved.step);
      return {
        steps,
        pruning: { ...pruning, nonzeroAfterResume: saved.nonzeroAfterResume },
        resume: saved.resume,
      };
    } finally {
      disposeMasks(masks);
    }
  } finally {
    if (last !== undefined) disposeModel(last);
    disposeDigits(data);
  }
}
