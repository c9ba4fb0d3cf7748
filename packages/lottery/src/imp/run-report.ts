/** What the `evaluate` callback of {@link imp} and {@link trainTicket} returns. */
export interface Evaluation {
  /** The loss early stopping watches (Frankle & Carbin: the validation loss). */
  loss: number;
  /** The accuracy to report, in [0, 1] (Frankle & Carbin: the test accuracy). */
  accuracy: number;
}

/** One evaluation of a training run, at the step count it was made at. */
export interface EvaluationRecord extends Evaluation {
  step: number;
}

/** Which network a training run trains: the ticket itself or one of its controls. */
export type RunKind = 'ticket' | 'randomReinit' | 'randomPruning';

/** What one training run of a ticket (or of a control) achieved. */
export interface RunReport {
  kind: RunKind;
  /** The pruning round (0: the dense network). */
  round: number;
  /** Kept fraction of the masked weights at this run. */
  density: number;
  /** The step count the run started at (the rewind step for a rewound ticket, else 0). */
  startStep: number;
  /** The step count it ended at: `startStep` plus the steps `train` reported. */
  endStep: number;
  /** The evaluation after the last step. */
  final: EvaluationRecord;
  /**
   * The evaluation of least loss (the earliest of equal ones; a NaN loss is never least unless
   * every loss is NaN): Frankle & Carbin's early-stopping iteration and its accuracy.
   */
  earlyStop: EvaluationRecord;
  /** Every evaluation, in step order. */
  evaluations: EvaluationRecord[];
  /** Wall time of the run, evaluations included, in seconds. */
  seconds: number;
  /** Of which evaluating, in seconds. */
  evaluationSeconds: number;
}

/** The record of least loss, the earliest of equal ones; NaN losses count as +∞. */
export function earlyStopOf(evaluations: readonly EvaluationRecord[]): EvaluationRecord {
  let best = evaluations[0] as EvaluationRecord;
  for (const record of evaluations) {
    if (lossKey(record.loss) < lossKey(best.loss)) best = record;
  }
  return best;
}

function lossKey(loss: number): number {
  return Number.isNaN(loss) ? Number.POSITIVE_INFINITY : loss;
}
