/**
 * Test support (not exported): the callable exports whose bad input `bad-input-prune.test.ts`
 * covers.
 */
export const PRUNE_EXPORTS_COVERED: readonly string[] = [
  'magnitudeScores',
  'randomScores',
  'prune',
  'applyMasks',
  'densityReport',
  'prunedModel',
];
