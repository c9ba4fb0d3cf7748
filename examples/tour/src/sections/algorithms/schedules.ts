import type { HyperParameter } from '@descent/core';
import { cosineDecay, cyclic, oneCycle } from '@descent/schedule';

/** The four learning-rate schedules, in the order of the charts. */
export const SCHEDULE_IDS = ['constant', 'cosine', 'one-cycle', 'cyclical'] as const;

/** One of {@link SCHEDULE_IDS}. */
export type ScheduleId = (typeof SCHEDULE_IDS)[number];

/**
 * The learning rate of a run of `totalSteps` steps that peaks at `peak`:
 * - `constant`: η;
 * - `cosine`: η·½(1 + cos(πt/T)), from η to 0 (Loshchilov & Hutter);
 * - `one-cycle`: η/25 → η over the first 30 % of the steps, then down to η/(25·10⁴) (Smith &
 *   Topin, torch's `OneCycleLR` defaults);
 * - `cyclical`: triangles between η/10 and η, two cycles over the run, ending at η/10 (Smith).
 */
export function scheduleFor(id: ScheduleId, peak: number, totalSteps: number): HyperParameter {
  switch (id) {
    case 'constant':
      return peak;
    case 'cosine':
      return cosineDecay({ initValue: peak, decaySteps: totalSteps });
    case 'one-cycle':
      return oneCycle({ maxValue: peak, totalSteps });
    case 'cyclical':
      return cyclic({
        baseValue: peak / 10,
        maxValue: peak,
        stepSizeUp: Math.max(1, Math.round(totalSteps / 4)),
      });
  }
}
