import type { PruningReport, ResumeReport } from './reports';

/** Pruning's outcome in words: how much was kept, and whether the pruned weights stayed 0. */
export function describePruning(p: PruningReport): string[] {
  return [
    `pruning kept ${p.kept} of ${p.total} kernel weights (density ${p.density.toFixed(4)})`,
    `pruned weights not exactly 0: ${p.nonzeroAfterFineTune} of ${p.pruned} after fine-tuning, ` +
      `${p.nonzeroAfterResume} of ${p.pruned} in the loaded model after its resumed epoch`,
  ];
}

/** Whether two runs gave the very same numbers. */
export function sameLosses(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Save, load and resume in words: the loaded model predicts and trains on as the saved one. */
export function describeResume(r: ResumeReport): string[] {
  const equal = sameLosses(r.resumedLosses, r.uninterruptedLosses);
  const largest = Math.max(
    ...r.resumedLosses.map((l, i) => Math.abs(l - (r.uninterruptedLosses[i] ?? Number.NaN))),
  );
  return [
    `saved ${r.weightBytes} bytes of weights (the model's and AdamW's); test accuracy saved ` +
      `${percent(r.savedAccuracy)}, loaded ${percent(r.loadedAccuracy)}; predictions ` +
      (r.predictionsEqual ? 'identical' : 'DIFFERENT'),
    `resumed epoch: mean batch loss ${mean(r.resumedLosses).toFixed(6)}, uninterrupted ` +
      `${mean(r.uninterruptedLosses).toFixed(6)}; ` +
      (equal
        ? `equal in all ${r.resumedLosses.length} batches`
        : `DIFFERENT (largest difference ${largest})`) +
      `; weights after it ${r.weightsEqual ? 'identical' : 'DIFFERENT'}`,
  ];
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)} %`;
}
