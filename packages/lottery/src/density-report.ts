import { checkParams, isPlainObject } from '@descent/core';
import { type Masks, checkMask, checkMaskValues } from './masks';

/** Kept and total weights of one mask or of all of them; `density = kept / total`. */
export interface DensityCount {
  kept: number;
  total: number;
  /** `kept / total`; 1 when `total = 0` (nothing was pruned). */
  density: number;
}

/** What {@link densityReport} returns. */
export interface DensityReport {
  overall: DensityCount;
  perParameter: Record<string, DensityCount>;
}

/**
 * How much of a network is left: for each mask, the number of kept weights (the 1s), the total
 * and the density `kept / total`, and the same over all masks together,
 * `Σ kept / Σ total` — the "percent of weights remaining" of the lottery-ticket plots.
 *
 * Async: it reads the masks with `await data()`, which works on every backend (webgpu in Node
 * included).
 *
 * @param masks - Masks, float32 0/1 (as `prune` returns them).
 * @returns counts per parameter (in the key order of `masks`) and overall; no tensors.
 * @throws DescentError `BAD_ARGUMENT` (not a record of tensors, a value other than 0 or 1),
 *   `DISPOSED`, `DTYPE_MISMATCH` (not float32).
 * @example
 * ```ts
 * const { overall } = await densityReport(masks);
 * console.log(`${(100 * overall.density).toFixed(1)} % of weights remain`);
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019 (Fig. 3, 4).
 */
export async function densityReport(masks: Masks): Promise<DensityReport> {
  if (!isPlainObject(masks)) checkParams('densityReport: masks', masks);
  const label = (key: string) => `densityReport: masks[${JSON.stringify(key)}]`;
  for (const key of Object.keys(masks)) checkMask(label(key), masks[key]);
  const perParameter: Record<string, DensityCount> = {};
  let kept = 0;
  let total = 0;
  for (const [key, mask] of Object.entries(masks)) {
    const values = await mask.data();
    checkMaskValues(label(key), values);
    let k = 0;
    for (let i = 0; i < values.length; i++) if (values[i] === 1) k++;
    perParameter[key] = count(k, values.length);
    kept += k;
    total += values.length;
  }
  return { overall: count(kept, total), perParameter };
}

function count(kept: number, total: number): DensityCount {
  return { kept, total, density: total === 0 ? 1 : kept / total };
}
