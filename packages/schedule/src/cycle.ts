import type { ScheduleOptionReader } from './read-options';

/** The cycle policies of torch's `CyclicLR` (Smith, 2017). */
export const CYCLIC_MODES = ['triangular', 'triangular2', 'expRange'] as const;

/** A cyclical policy: `'triangular'`, `'triangular2'` (amplitude halves each cycle) or `'expRange'` (amplitude ×γ^t). */
export type CyclicMode = (typeof CYCLIC_MODES)[number];

/** The resolved cycle options shared by `cyclic` and `cyclicMomentum`. */
export interface CycleOptions {
  stepSizeUp: number;
  stepSizeDown: number;
  mode: CyclicMode;
  gamma: number;
}

/** Reads `stepSizeUp` (≥ 1, default 2000), `stepSizeDown` (≥ 0, default `stepSizeUp`), `mode`, `gamma` ∈ (0, 1]. */
export function readCycle(reader: ScheduleOptionReader): CycleOptions {
  const stepSizeUp = reader.steps('stepSizeUp', 2000, 1);
  const stepSizeDown = reader.steps('stepSizeDown', stepSizeUp, 0);
  const mode = reader.oneOf('mode', CYCLIC_MODES, 'triangular');
  const gamma = reader.number('gamma', 1, { min: 0, minExclusive: true, max: 1 });
  return { stepSizeUp, stepSizeDown, mode, gamma };
}

/**
 * The cyclical value at `step`, moving from `from` (bottom of the cycle) toward `to` (its top):
 * torch `CyclicLR.get_lr` exactly — `cycle = ⌊1 + t/L⌋`, `x = 1 + t/L − cycle` with `L = up + down`,
 * height `h = x/r` rising or `(x − 1)/(r − 1)` falling (`r = up/L`), amplitude scale `s` = `1`,
 * `2^{1−cycle}` or `γ^t`, value `from + (to − from)·h·s`.
 */
export function cycleValue(options: CycleOptions, from: number, to: number, step: number): number {
  const { stepSizeUp, stepSizeDown, mode, gamma } = options;
  const totalSize = stepSizeUp + stepSizeDown;
  const stepRatio = stepSizeUp / totalSize;
  const cycle = Math.floor(1 + step / totalSize);
  const x = 1 + step / totalSize - cycle;
  const height = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
  const scale =
    mode === 'triangular' ? 1 : mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : gamma ** step;
  return from + (to - from) * height * scale;
}
