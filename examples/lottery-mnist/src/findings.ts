import type { RoundReport, RunReport } from '@descent/lottery';
import type { Curve } from './render/curves';
import { type Summary, summarize } from './render/curves';
import type { ExperimentResult } from './experiment';

/** The three curves of the plot, in legend order, and which run of a round each one reads. */
export const CURVES = [
  { name: 'winning ticket', run: (r: RoundReport) => r.ticket },
  { name: 'random reinit', run: (r: RoundReport) => r.randomReinit },
  { name: 'random pruning', run: (r: RoundReport) => r.randomPruning },
] as const;

/** Which number of a run the curves show. */
export type Metric = 'earlyStop' | 'final';

/**
 * Test accuracy against density, one curve per kind of network, one accuracy per seed at each
 * round; round 0 (the dense network) starts every curve. Rounds where a control was not trained
 * are left out of its curve.
 */
export function curvesOf(result: ExperimentResult, metric: Metric): Curve[] {
  const first = result.bySeed[0]?.result.rounds ?? [];
  return CURVES.map(({ name, run }) => ({
    name,
    points: first.flatMap((round, r) => {
      const accuracies = result.bySeed.flatMap(({ result: seedResult }) => {
        const report = seedResult.rounds[r] as RoundReport;
        const chosen: RunReport | undefined = r === 0 ? report.ticket : run(report);
        return chosen === undefined ? [] : [chosen[metric].accuracy];
      });
      return accuracies.length === 0
        ? []
        : [{ density: round.density.overall.density, accuracies }];
    }),
  }));
}

/** The accuracy of one kind of run at one round, per seed (round 0: the dense network). */
export function accuraciesAt(
  result: ExperimentResult,
  kind: 'ticket' | 'randomReinit' | 'randomPruning',
  round: number,
  metric: Metric,
): number[] {
  return result.bySeed.map(({ seed, result: seedResult }) => {
    const report = seedResult.rounds[round];
    const run = round === 0 ? report?.ticket : report?.[kind];
    if (run === undefined) throw new Error(`seed ${seed}: no ${kind} run at round ${round}`);
    return run[metric].accuracy;
  });
}

/** Per-seed differences `a − b` of two lists of accuracies, summarized. */
export function difference(a: readonly number[], b: readonly number[]): Summary {
  return summarize(a.map((v, i) => v - (b[i] as number)));
}

/** `+0.45 points (mean; min +0.20, max +0.70, std 0.25 over 3 seeds)`. */
export function describeDifference(d: Summary, seeds: number): string {
  const pts = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}`;
  if (seeds === 1) return `${pts(d.mean)} points`;
  return `${pts(d.mean)} points (mean; min ${pts(d.min)}, max ${pts(d.max)}, std ${(100 * d.std).toFixed(2)} over ${seeds} seeds)`;
}
