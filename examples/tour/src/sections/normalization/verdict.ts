import type { RateRun } from './experiment';
import { NORM_VARIANTS, type NormVariant, VARIANT_LABELS } from './norm-variants';

/** Steps averaged for the final loss (one step's loss is noisy). */
export const FINAL_WINDOW = 10;
/**
 * A stable run ends below this fraction of `ln 10`, the loss of predicting the uniform
 * distribution over the ten digits — where a diverged or dead (all-zero ReLU) net ends.
 */
export const UNIFORM_FRACTION = 0.9;
/** BatchNorm's largest stable learning rate must be at least this multiple of the plain net's. */
export const REQUIRED_RATIO = 4;

/** One run's outcome. */
export interface RateOutcome {
  variant: NormVariant;
  learningRate: number;
  initialLoss: number;
  /** Mean of the last {@link FINAL_WINDOW} losses; NaN when the run diverged (a non-finite loss). */
  finalLoss: number;
  stable: boolean;
}

/** The normalization claim's verdict and its evidence sentence. */
export interface NormalizationVerdict {
  reproduced: boolean;
  evidence: string;
  outcomes: RateOutcome[];
  /** Per variant, the largest stable learning rate of the grid (null when none is stable). */
  largestStable: Record<NormVariant, number | null>;
  /** BatchNorm's largest stable rate over the plain net's (null when either has none). */
  ratio: number | null;
}

/**
 * A run's outcome: stable when its final loss is finite, below its initial loss, and below
 * `0.9 · ln 10`.
 */
export function outcomeOf(run: RateRun): RateOutcome {
  const last = run.losses[run.losses.length - 1]!;
  const tail = run.losses.slice(-FINAL_WINDOW);
  const finalLoss = Number.isFinite(last)
    ? tail.reduce((a, b) => a + b, 0) / tail.length
    : Number.NaN;
  const initialLoss = run.losses[0]!;
  const stable =
    Number.isFinite(finalLoss) &&
    finalLoss < initialLoss &&
    finalLoss < UNIFORM_FRACTION * Math.log(10);
  return { variant: run.variant, learningRate: run.learningRate, initialLoss, finalLoss, stable };
}

/**
 * Decides the claim: the largest stable learning rate with BatchNorm is at least
 * {@link REQUIRED_RATIO}× the largest stable one without normalization (both must have one).
 */
export function normalizationVerdict(runs: RateRun[]): NormalizationVerdict {
  const outcomes = runs.map(outcomeOf);
  const largestStable = Object.fromEntries(
    NORM_VARIANTS.map((variant) => {
      const stable = outcomes.filter((o) => o.variant === variant && o.stable);
      return [variant, stable.length === 0 ? null : Math.max(...stable.map((o) => o.learningRate))];
    }),
  ) as Record<NormVariant, number | null>;
  const ratio =
    largestStable.batch === null || largestStable.none === null
      ? null
      : largestStable.batch / largestStable.none;
  const reproduced = ratio !== null && ratio >= REQUIRED_RATIO;
  return {
    reproduced,
    evidence: evidence(outcomes, largestStable, ratio),
    outcomes,
    largestStable,
    ratio,
  };
}

function evidence(
  outcomes: RateOutcome[],
  largestStable: Record<NormVariant, number | null>,
  ratio: number | null,
): string {
  const lr = (variant: NormVariant) => String(largestStable[variant] ?? 'none');
  const best = (variant: NormVariant) =>
    outcomes
      .filter((o) => o.variant === variant && Number.isFinite(o.finalLoss))
      .reduce((a, o) => Math.min(a, o.finalLoss), Number.POSITIVE_INFINITY)
      .toFixed(2);
  const found =
    `Largest stable learning rate: ${lr('batch')} with BatchNorm, ${lr('none')} without normalization` +
    `${ratio === null ? '' : ` (a ratio of ${Number(ratio.toPrecision(3))})`}, ${lr('group')} with GroupNorm; ` +
    `best final losses ${NORM_VARIANTS.map((v) => `${best(v)} (${VARIANT_LABELS[v]})`).join(', ')}`;
  const rule =
    `Stable: the final loss (mean of the last ${FINAL_WINDOW} steps) is finite, below the initial loss and ` +
    `below ${UNIFORM_FRACTION} ln 10 = ${(UNIFORM_FRACTION * Math.log(10)).toFixed(2)} (where a diverged or dead net ends); ` +
    `criterion: BatchNorm's largest stable learning rate ≥ ${REQUIRED_RATIO}× the plain net's`;
  return `${found}. ${rule}.`;
}
