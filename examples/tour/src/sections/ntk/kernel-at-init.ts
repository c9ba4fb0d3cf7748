import type * as tf from '@tensorflow/tfjs-core';
import { disposeParams } from '@descent/core';
import { empiricalNtk } from '@descent/ntk';
import { relativeDistance } from './relative-distance';
import { finiteNet } from './wide-nets';

/** How far one width's empirical NTKs at initialization are from the infinite-width NTK. */
export interface InitDistance {
  width: number;
  /** `‖Θ̂₀ − Θ_∞‖_F / ‖Θ_∞‖_F`, one per initialization seed. */
  distances: number[];
  /** Their mean. */
  mean: number;
}

/**
 * (a) For every width and seed, the empirical NTK `Θ̂₀(x, x)` of a freshly initialized net
 * (`empiricalNtk`) against the analytic kernel `Θ_∞` of the same architecture at infinite width.
 *
 * @param x - the inputs `[n, 1]`.
 * @param analytic - `Θ_∞(x, x)`, row-major `[n, n]`.
 * @param onKernel - called after each empirical kernel.
 */
export async function kernelAtInit(
  x: tf.Tensor2D,
  analytic: ArrayLike<number>,
  widths: readonly number[],
  depth: number,
  seeds: readonly number[],
  onKernel: () => void,
): Promise<InitDistance[]> {
  const rows: InitDistance[] = [];
  for (const width of widths) {
    const distances: number[] = [];
    for (const seed of seeds) {
      const net = finiteNet(width, depth, seed);
      try {
        const kernel = empiricalNtk(net, net.params, x, undefined, { batchIndependent: true });
        distances.push(relativeDistance(await kernel.data(), analytic));
        kernel.dispose();
      } finally {
        disposeParams(net.params);
      }
      onKernel();
    }
    rows.push({ width, distances, mean: mean(distances) });
  }
  return rows;
}

/** The mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
