/** One row of the before/after table. */
export interface StepReport {
  /** 1–6. */
  step: number;
  /** What the step adds, as the table shows it. */
  name: string;
  /** Fraction of the test digits classified right after the step. */
  testAccuracy: number;
  /** Wall-clock seconds of `model.fit` per epoch (evaluation excluded). */
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
  /** `kept / total`. */
  density: number;
  /** Kernel entries the masks keep. */
  kept: number;
  /** Kernel entries of the model. */
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
  /** Test accuracy of the saved model when it was saved. */
  savedAccuracy: number;
  /** Test accuracy of the loaded model before it trains. */
  loadedAccuracy: number;
  /** Every class probability of every test digit is the same number in both models. */
  predictionsEqual: boolean;
  /** Batch losses of the epoch after saving, trained by the saved model. */
  uninterruptedLosses: number[];
  /** Batch losses of the same epoch trained by the loaded model. */
  resumedLosses: number[];
  /** Every weight is the same number in both models after that epoch. */
  weightsEqual: boolean;
}

/** Everything the run measured. */
export interface UpgradeReport {
  steps: StepReport[];
  pruning: PruningReport;
  resume: ResumeReport;
}
