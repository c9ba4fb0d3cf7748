import type * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { isTensor } from '../validate/tensor-checks';
import { formatShape } from '../validate/format-shape';

/** Absolute and relative tolerance: an element passes when `|a − e| ≤ atol + rtol·|e|` (numpy's `allclose`). */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** What {@link expectClose} compares: a tensor, a number, or an array (typed or plain) of numbers. */
export type Numeric = tf.Tensor | number | ArrayLike<number>;

/**
 * Asserts two tensors, arrays or numbers are element-wise close: `|a − e| ≤ atol + rtol·|e|`
 * (defaults `rtol = 1e-6`, `atol = 1e-6`; NaN matches NaN, ±∞ must match exactly). Tensors are
 * read with `await data()`, so it works on webgpu in Node. Shapes must match when both are tensors,
 * sizes otherwise. The failure message lists the worst elements.
 *
 * @example
 * ```ts
 * await expectClose(tf.tensor([1, 2]), [1, 2.0000001], { rtol: 1e-6 });
 * ```
 */
export async function expectClose(
  actual: Numeric,
  expected: Numeric,
  tol: Tolerance = {},
): Promise<void> {
  const { rtol = 1e-6, atol = 1e-6 } = tol;
  if (isTensor(actual) && isTensor(expected)) {
    expect(formatShape(actual.shape), 'shape').toBe(formatShape(expected.shape));
  }
  const a = await toNumeric(actual);
  const e = await toNumeric(expected);
  expect(a.length, 'number of elements').toBe(e.length);
  const bad: string[] = [];
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as number;
    const ei = e[i] as number;
    if (Number.isNaN(ai) && Number.isNaN(ei)) continue;
    if (!Number.isFinite(ei) || !Number.isFinite(ai)) {
      if (ai !== ei) bad.push(`[${i}] ${ai} vs ${ei}`);
      continue;
    }
    const err = Math.abs(ai - ei);
    const allowed = atol + rtol * Math.abs(ei);
    if (err > allowed) {
      worst = Math.max(worst, err / allowed);
      if (bad.length < 8) bad.push(`[${i}] ${ai} vs ${ei} (|Δ| ${err.toExponential(3)})`);
    }
  }
  const summary = `${bad.length} element(s) differ beyond atol ${atol} + rtol ${rtol}·|e| (worst ×${worst.toFixed(2)} of allowed): ${bad.join(', ')}`;
  expect(bad.length === 0, summary).toBe(true);
}

async function toNumeric(x: Numeric): Promise<ArrayLike<number>> {
  if (typeof x === 'number') return [x];
  if (isTensor(x)) return (await x.data()) as ArrayLike<number>;
  return x;
}
