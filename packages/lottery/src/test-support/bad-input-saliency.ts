/** Test support (not exported): the callable exports the saliency bad-input suite covers. */
export const SALIENCY_EXPORTS_COVERED: readonly string[] = [
  'snipScores',
  'graspScores',
  'synflowScores',
];
