import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params, checkSameStructure } from '@descent/core';
import { checkFloatParams } from '../loss/loss-fn';

/** Directions whose cosine is this close to ±1 span a line, not a plane. */
const PARALLEL_COSINE = 1 - 1e-4;

/**
 * Asserts `d` is a direction of `params`: float32 tensors with the same names and shapes.
 *
 * @throws DescentError `BAD_ARGUMENT`, `DISPOSED`, `DTYPE_MISMATCH`, `UNKNOWN_PARAM`,
 *   `SHAPE_MISMATCH`.
 */
export function checkDirectionShape(fn: string, params: Params, name: string, d: unknown): void {
  checkFloatParams(`${fn}: ${name}`, d);
  checkSameStructure(`${fn}: params`, params, `${fn}: ${name}`, d);
}

/**
 * Asserts every direction is finite and, for two, that they are not parallel — with one device
 * read: `Σ d·0` is NaN exactly when `d` holds NaN or ±∞, and the cosine comes from `d₁·d₂`,
 * `‖d₁‖²`, `‖d₂‖²` in float32.
 *
 * @throws DescentError `NON_FINITE` (a direction holds NaN or ±∞), `BAD_ARGUMENT` (two directions
 *   with |cos| ≥ 1 − 10⁻⁴).
 */
export async function checkDirectionValues(
  fn: string,
  directions: readonly (readonly [string, Params])[],
): Promise<void> {
  const first = (directions[0] as readonly [string, Params])[1];
  const keys = Object.keys(first).filter((k) => (first[k] as tf.Tensor).size > 0);
  if (keys.length === 0) return;
  const summary = tf.tidy(() => {
    const sums = directions.map(([, d]) => total(keys, (k) => tf.mul(d[k] as tf.Tensor, 0)));
    if (directions.length === 2) {
      const [[, a], [, b]] = directions as readonly [
        readonly [string, Params],
        readonly [string, Params],
      ];
      const product = (x: Params, y: Params) =>
        total(keys, (k) => tf.mul(x[k] as tf.Tensor, y[k] as tf.Tensor));
      sums.push(product(a, b), product(a, a), product(b, b));
    }
    return tf.stack(sums);
  });
  const values = await summary.data();
  summary.dispose();
  directions.forEach(([name], i) => {
    if (Number.isNaN(values[i])) {
      throw new DescentError(
        'NON_FINITE',
        `${fn}: ${name} holds NaN or ±Infinity; a direction must be finite.`,
      );
    }
  });
  if (directions.length === 2) checkNotParallel(fn, values[2], values[3], values[4]);
}

/** `Σₖ Σ term(k)` over the keys, as a scalar. */
function total(keys: readonly string[], term: (key: string) => tf.Tensor): tf.Scalar {
  // `stack` (not `addN`): webgpu's AddN binds every input at once and fails past ~8 of them.
  return tf.sum(tf.stack(keys.map((k) => tf.sum(term(k))))) as tf.Scalar;
}

function checkNotParallel(
  fn: string,
  dot: number | undefined,
  squares1: number | undefined,
  squares2: number | undefined,
): void {
  const cosine = (dot as number) / Math.sqrt((squares1 as number) * (squares2 as number));
  if (Number.isFinite(cosine) && Math.abs(cosine) >= PARALLEL_COSINE) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: d1 and d2 are parallel (cosine ${cosine.toFixed(6)}), so the surface would be a line; draw them from one Rng in two calls (randomDirection advances it) or from two seeds.`,
    );
  }
}
