/**
 * Test support (not exported): the callable exports the saliency bad-input suite covers
 * (`synflowPrune`'s bad-input cases sit beside its other tests, in synflow-prune.test.ts).
 */
export const SALIENCY_EXPORTS_COVERED: readonly string[] = [
  'snipScores',
  'graspScores',
  'synflowScores',
  'synflowPrune',
];
