import { expect, it } from 'vitest';
import { describePruning, describeResume, sameLosses } from './findings';

it('sameLosses holds only for the very same numbers in the same order', () => {
  expect(sameLosses([0.5, 0.25], [0.5, 0.25])).toBe(true);
  expect(sameLosses([0.5, 0.25], [0.5, 0.25 + 2 ** -40])).toBe(false);
  expect(sameLosses([0.5], [0.5, 0.25])).toBe(false);
});

it('describes pruning by its counts and the pruned weights left nonzero', () => {
  expect(
    describePruning({
      density: 0.2000025,
      kept: 46_951,
      total: 234_752,
      pruned: 187_801,
      nonzeroAfterFineTune: 0,
      nonzeroAfterResume: 3,
    }),
  ).toEqual([
    'pruning kept 46951 of 234752 kernel weights (density 0.2000)',
    'pruned weights not exactly 0: 0 of 187801 after fine-tuning, 3 of 187801 in the loaded model after its resumed epoch',
  ]);
});

it('says whether the resumed epoch equals the uninterrupted one, with the largest difference when not', () => {
  const resume = {
    weightBytes: 100,
    savedAccuracy: 0.9435,
    loadedAccuracy: 0.9435,
    predictionsEqual: true,
    uninterruptedLosses: [0.5, 0.25],
    resumedLosses: [0.5, 0.25],
    weightsEqual: true,
  };
  expect(describeResume(resume)).toEqual([
    "saved 100 bytes of weights (the model's and AdamW's); test accuracy saved 94.35 %, loaded 94.35 %; predictions identical",
    'resumed epoch: mean batch loss 0.375000, uninterrupted 0.375000; equal in all 2 batches; weights after it identical',
  ]);
  const drifted = describeResume({
    ...resume,
    predictionsEqual: false,
    resumedLosses: [0.5, 0.375],
    weightsEqual: false,
  });
  expect(drifted[0]).toMatch(/predictions DIFFERENT$/);
  expect(drifted[1]).toMatch(
    /DIFFERENT \(largest difference 0\.125\); weights after it DIFFERENT$/,
  );
});
