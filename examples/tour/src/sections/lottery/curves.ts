import type { RoundReport, RunReport } from '@descent/lottery';

/** The networks compared at every density. */
export const CURVE_KINDS = ['ticket', 'randomReinit', 'randomPruning'] as const;

/** One of {@link CURVE_KINDS}. */
export type CurveKind = (typeof CURVE_KINDS)[number];

/** Test accuracy (at early stop) against the kept fraction of the weights, one list per kind. */
export interface LotteryCurves {
  /** Kept fraction of the prunable weights, round by round (1 for the dense round). */
  density: number[];
  /** `accuracy[kind][r]`: early-stop test accuracy at round r; `null` where not trained. */
  accuracy: Record<CurveKind, Array<number | null>>;
}

/**
 * The curves of `imp`'s round reports. The dense round (0) counts for every kind: at density 1
 * the ticket and both controls are the same network.
 */
export function lotteryCurves(rounds: readonly RoundReport[]): LotteryCurves {
  const density = rounds.map((r) => r.density.overall.density);
  const accuracy = {} as LotteryCurves['accuracy'];
  for (const kind of CURVE_KINDS) {
    accuracy[kind] = rounds.map((r) => {
      const run: RunReport | undefined = r.round === 0 ? r.ticket : r[kind];
      return run === undefined ? null : run.earlyStop.accuracy;
    });
  }
  return { density, accuracy };
}

/** What decides the section's verdict, at the sparsest density. */
export interface LotteryVerdict {
  density: number;
  dense: number;
  ticket: number;
  randomReinit: number;
  randomPruning: number | null;
  /** `ticket − dense` and `ticket − randomReinit`, in accuracy points (percent). */
  ticketMinusDense: number;
  ticketMinusReinit: number;
  /** `ticket ≥ dense − denseTolerance` (points). */
  keepsDense: boolean;
  /** `ticket − randomReinit > reinitMargin` (points). */
  beatsReinit: boolean;
  reproduced: boolean;
}

/**
 * Applies the criterion at the last round: the ticket is within `denseTolerance` points of the
 * dense network (or above it) and more than `reinitMargin` points above random reinitialization.
 */
export function lotteryVerdict(
  curves: LotteryCurves,
  denseTolerance: number,
  reinitMargin: number,
): LotteryVerdict {
  const last = curves.density.length - 1;
  const dense = curves.accuracy.ticket[0] as number;
  const ticket = curves.accuracy.ticket[last] as number;
  const randomReinit = curves.accuracy.randomReinit[last] as number;
  const randomPruning = curves.accuracy.randomPruning[last] ?? null;
  const ticketMinusDense = 100 * (ticket - dense);
  const ticketMinusReinit = 100 * (ticket - randomReinit);
  const keepsDense = ticketMinusDense >= -denseTolerance;
  const beatsReinit = ticketMinusReinit > reinitMargin;
  return {
    density: curves.density[last] as number,
    dense,
    ticket,
    randomReinit,
    randomPruning,
    ticketMinusDense,
    ticketMinusReinit,
    keepsDense,
    beatsReinit,
    reproduced: keepsDense && beatsReinit,
  };
}
