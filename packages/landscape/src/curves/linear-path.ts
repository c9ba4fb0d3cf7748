import { type Params, checkSameStructure, cloneParams, disposeParams } from '@descent/core';
import { checkFloatParams } from '../loss/loss-fn';
import { type Curve, ownedCurve } from './curve';

/**
 * The segment `φ(t) = (1 − t)·θ_a + t·θ_b` as a {@link Curve} (`bends = 2`, `'polychain'`), so
 * {@link evaluateCurve} gives the linear-interpolation barrier with the same code as for a trained
 * curve. The curve holds copies of `a` and `b`; `at(0)` and `at(1)` are them bit for bit.
 *
 * @param a - `θ_a`: a non-empty map of float32 tensors (not modified).
 * @param b - `θ_b`: the same names and shapes.
 * @returns a curve the caller disposes.
 * @throws DescentError `BAD_ARGUMENT` (not a non-empty map of tensors), `DTYPE_MISMATCH` (not
 *   float32), `DISPOSED`, `UNKNOWN_PARAM` (other names in `b`), `SHAPE_MISMATCH` — before
 *   anything is copied.
 * @example
 * ```ts
 * const line = linearPath(netA.params, netB.params);
 * const { barrier } = await evaluateCurve(line, { loss: (p) => lossOn(p, xTest, yTest) });
 * line.dispose();
 * ```
 * @see I. J. Goodfellow, O. Vinyals, A. M. Saxe, Qualitatively characterizing neural network
 *   optimization problems, ICLR 2015; J. Frankle, G. K. Dziugaite, D. M. Roy, M. Carbin, Linear
 *   Mode Connectivity and the Lottery Ticket Hypothesis, ICML 2020.
 */
export function linearPath(a: Params, b: Params): Curve {
  checkFloatParams('linearPath: a', a);
  checkSameStructure('linearPath: a', a, 'linearPath: b', b);
  checkFloatParams('linearPath: b', b);
  const first = cloneParams(a);
  try {
    return ownedCurve('polychain', [first, cloneParams(b)]);
  } catch (error) {
    disposeParams(first);
    throw error;
  }
}
