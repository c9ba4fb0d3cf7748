import type { RunCurve } from './train-run';
import { SCHEDULE_IDS, type ScheduleId } from './schedules';

/** The grid's curves: `runs[optimizer][schedule]`. */
export type RunGrid = Record<string, Record<ScheduleId, RunCurve>>;

/** One optimizer's constant rate against its best schedule. */
export interface ScheduleComparison {
  optimizer: string;
  constant: number;
  bestSchedule: ScheduleId;
  bestFinal: number;
  /** `bestFinal ≥ constant`. */
  scheduleWins: boolean;
}

/** What decides the section's verdict. */
export interface AlgorithmsVerdict {
  comparisons: ScheduleComparison[];
  /** Optimizers whose best non-constant schedule ends at least as high as the constant rate. */
  scheduleWins: number;
  /** (a) `scheduleWins ≥ minScheduleWins`. */
  schedulesHold: boolean;
  /** Mean test accuracy at the first evaluation (constant rate): adaptive methods, SGD methods. */
  earlyAdaptive: number;
  earlySgd: number;
  /** (b) `earlyAdaptive > earlySgd`. */
  adaptiveHold: boolean;
  /** (c) descent's fused Adam step is faster than tf.train.adam's (`ratio > 1`). */
  fusedHold: boolean;
  reproduced: boolean;
}

/** The final test accuracy of a run. */
export function finalAccuracy(curve: RunCurve): number {
  return curve.accuracy.at(-1) as number;
}

/** The schedule (of every one, constant included) whose run ends highest; ties to the first. */
export function bestSchedule(
  runs: Record<ScheduleId, RunCurve>,
  among: readonly ScheduleId[] = SCHEDULE_IDS,
): ScheduleId {
  let best = among[0] as ScheduleId;
  for (const id of among) if (finalAccuracy(runs[id]) > finalAccuracy(runs[best])) best = id;
  return best;
}

/**
 * Applies the criterion: (a) for at least `minScheduleWins` optimizers the best of the cosine,
 * one-cycle and cyclical schedules ends at least as high as the constant rate; (b) the adaptive
 * methods' mean test accuracy at the first evaluation, at a constant rate, is above the SGD
 * methods'; (c) the fused Adam step is faster than tfjs's (`stepRatio > 1`).
 */
export function algorithmsVerdict(
  grid: RunGrid,
  adaptive: readonly string[],
  stepRatio: number,
  minScheduleWins: number,
): AlgorithmsVerdict {
  const decaying = SCHEDULE_IDS.filter((id) => id !== 'constant');
  const comparisons = Object.entries(grid).map(([optimizer, runs]) => {
    const best = bestSchedule(runs, decaying);
    const constant = finalAccuracy(runs.constant);
    const bestFinal = finalAccuracy(runs[best]);
    return {
      optimizer,
      constant,
      bestSchedule: best,
      bestFinal,
      scheduleWins: bestFinal >= constant,
    };
  });
  const scheduleWins = comparisons.filter((c) => c.scheduleWins).length;
  const early = (ids: string[]) => mean(ids.map((id) => grid[id]?.constant.accuracy[0] as number));
  const ids = Object.keys(grid);
  const earlyAdaptive = early(ids.filter((id) => adaptive.includes(id)));
  const earlySgd = early(ids.filter((id) => !adaptive.includes(id)));
  const schedulesHold = scheduleWins >= minScheduleWins;
  const adaptiveHold = earlyAdaptive > earlySgd;
  const fusedHold = stepRatio > 1;
  return {
    comparisons,
    scheduleWins,
    schedulesHold,
    earlyAdaptive,
    earlySgd,
    adaptiveHold,
    fusedHold,
    reproduced: schedulesHold && adaptiveHold && fusedHold,
  };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
