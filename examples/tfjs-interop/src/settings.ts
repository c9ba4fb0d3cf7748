import type { UpgradeOptions } from './upgrade-run';

/** What `--quick` and the full run change: data, epochs. */
export type RunSettings = Pick<
  UpgradeOptions,
  'trainDigits' | 'testDigits' | 'epochs' | 'fineTuneEpochs'
>;

/** The full run: all 8 000 / 2 000 digits, 3 epochs per dense step, 2 of fine-tuning. */
export const FULL_SETTINGS: RunSettings = {
  trainDigits: 8000,
  testDigits: 2000,
  epochs: 3,
  fineTuneEpochs: 2,
};

/** `--quick`, for CI: 2 000 / 500 digits, 1 epoch per step. */
export const QUICK_SETTINGS: RunSettings = {
  trainDigits: 2000,
  testDigits: 500,
  epochs: 1,
  fineTuneEpochs: 1,
};
