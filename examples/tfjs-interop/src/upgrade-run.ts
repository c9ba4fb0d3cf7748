import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningCallback } from '@descent/layers';
import type { Masks } from '@descent/lottery';
import { loadFromDir, saveToDir } from './artifacts-dir';
import { BatchLosses } from './batch-losses';
import type { HiddenNorm } from './classifier';
import { fitEpochs, stepsPerEpoch } from './fit-epochs';
import { disposeMasks, magnitudeMasks, prunedEntries } from './magnitude-masks';
import { type DigitTensors, disposeDigits, loadDigits } from './mnist-tensors';
import { adamwWarmupCosine } from './optimizers';
import { predictDigits } from './predictions';
import { compileClassifier, denseSteps, disposeModel, trainDenseStep } from './upgrade-steps';
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

/** One row of the before/after table. */
export interface StepReport {
  step: number;
  name: string;
  testAccuracy: number;
  secondsPerEpoch: number;
  /** Kept kernel entries over all kernel entries (1 before pruning). */
  density: number;
  /** Trainable parameters, pruned ones not counted. */
  parameters: number;
  /** Mean training loss of each epoch of the step. */
  losses: number[];
}

/** Step 5's pruning. */
export interface PruningReport {
  density: number;
  kept: number;
  total: number;
  /** Entries the masks removed. */
  pruned: number;
  /** Pruned entries that are not exactly 0 after fine-tuning. */
  nonzeroAfterFineTune: number;
  /** The same in the loaded model after its resumed epoch. */
  nonzeroAfterResume: number;
}

/** Step 6: the saved model against the loaded one. */
export interface ResumeReport {
  /** Bytes of `weights.bin` (model and optimizer weights). */
  weightBytes: number;
  savedAccuracy: number;
  loadedAccuracy: number;
  /** Every class probability of every test digit is the same number in both models. */
  predictionsEqual: boolean;
  /** Batch losses of the epoch after saving, trained by the saved model. */
  uninterruptedLosses: number[];
  /** Batch losses of the same epoch trained by the loaded model. */
  resumedLosses: number[];
}

/** Everything {@link runUpgrades} measured. */
export interface UpgradeReport {
  steps: StepReport[];
  pruning: PruningReport;
  resume: ResumeReport;
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
      const trained = await trainDenseStep(step, data, { seed, epochs: options.epochs, batchSize });
      report({
        step: i + 1,
        name: step.name,
        testAccuracy: trained.testAccuracy,
        secondsPerEpoch: trained.secondsPerEpoch,
        density: 1,
        parameters: trainableCount(trained.model),
        losses: trained.losses,
      });
      if (last !== undefined) disposeModel(last);
      last = trained.model;
    }
    const dense = last as tfl.LayersModel;
    const { masks, pruning } = await pruneAndFineTune(dense, data, options, report);
    try {
      const resume = await saveLoadResume(dense, masks, pruning.density, data, options, report);
      return {
        steps,
        pruning: { ...pruning, nonzeroAfterResume: resume.nonzeroAfterResume },
        resume: resume.report,
      };
    } finally {
      disposeMasks(masks);
    }
  } finally {
    if (last !== undefined) disposeModel(last);
    disposeDigits(data);
  }
}

type Data = { train: DigitTensors; test: DigitTensors };

async function pruneAndFineTune(
  model: tfl.LayersModel,
  data: Data,
  options: UpgradeOptions,
  report: (step: StepReport) => void,
): Promise<{ masks: Masks; pruning: Omit<PruningReport, 'nonzeroAfterResume'> }> {
  const { batchSize = 64, density = 0.2, fineTunePeak = 1e-3 } = options;
  const found = await magnitudeMasks(model, density);
  // The schedule also spans step 6's extra epoch, so the resumed epoch is mid-decay.
  const steps = (options.fineTuneEpochs + 1) * stepsPerEpoch(data.train.labels.length, batchSize);
  model.optimizer.dispose();
  compileClassifier(model, adamwWarmupCosine({ steps, peak: fineTunePeak }));
  const pruning = new PruningCallback(found.masks);
  try {
    const fit = await fitEpochs(model, data.train, {
      epochs: options.fineTuneEpochs,
      batchSize,
      callbacks: [pruning],
    });
    const { accuracy } = await predictDigits(model, data.test);
    const entries = await prunedEntries(model, found.masks);
    report({
      step: 5,
      name: `+ pruned to ${Math.round(100 * density)} %, fine-tuned`,
      testAccuracy: accuracy,
      secondsPerEpoch: fit.secondsPerEpoch,
      density: found.density,
      parameters: trainableCount(model) - entries.pruned,
      losses: fit.losses,
    });
    return {
      masks: found.masks,
      pruning: {
        density: found.density,
        kept: found.kept,
        total: found.total,
        pruned: entries.pruned,
        nonzeroAfterFineTune: entries.nonzero,
      },
    };
  } finally {
    pruning.dispose();
  }
}

async function saveLoadResume(
  saved: tfl.LayersModel,
  masks: Masks,
  density: number,
  data: Data,
  options: UpgradeOptions,
  report: (step: StepReport) => void,
): Promise<{ report: ResumeReport; nonzeroAfterResume: number }> {
  const { batchSize = 64 } = options;
  const result = await saveToDir(saved, options.outDir);
  const loaded = await loadFromDir(options.outDir);
  try {
    const before = await predictDigits(saved, data.test);
    const after = await predictDigits(loaded, data.test);
    const uninterrupted = await oneMoreEpoch(saved, masks, data.train, batchSize);
    const resumed = await oneMoreEpoch(loaded, masks, data.train, batchSize);
    const { accuracy } = await predictDigits(loaded, data.test);
    const entries = await prunedEntries(loaded, masks);
    report({
      step: 6,
      name: 'saved, loaded, resumed 1 epoch',
      testAccuracy: accuracy,
      secondsPerEpoch: resumed.secondsPerEpoch,
      density,
      parameters: trainableCount(loaded) - entries.pruned,
      losses: resumed.losses,
    });
    return {
      report: {
        weightBytes: result.modelArtifactsInfo.weightDataBytes ?? 0,
        savedAccuracy: before.accuracy,
        loadedAccuracy: after.accuracy,
        predictionsEqual: sameNumbers(before.probabilities, after.probabilities),
        uninterruptedLosses: uninterrupted.batchLosses,
        resumedLosses: resumed.batchLosses,
      },
      nonzeroAfterResume: entries.nonzero,
    };
  } finally {
    disposeModel(loaded);
  }
}

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

function trainableCount(model: tfl.LayersModel): number {
  return model.trainableWeights.reduce(
    (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
}

function sameNumbers(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
