import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params, checkParams, describeValue } from '@descent/core';
import { type CurveKind, checkPosition, curveWeights } from './curve-weights';
import { weightedSum } from './weighted-sum';

/**
 * A curve `φ(t) = Σᵢ wᵢ(t)·pᵢ`, `t ∈ [0, 1]`, between two parameter points of one model, with the
 * coefficients of {@link curveWeights}. Made by {@link modeConnect} (trained interior points) or
 * {@link linearPath} (the segment); {@link evaluateCurve} measures a metric along it.
 *
 * The curve **owns** its points: plain tensors (no `tf.Variable`s, no registered names), copied
 * from what it was made of, freed by {@link Curve.dispose}. Treat them as read-only.
 */
export interface Curve {
  /** The family of the coefficients (`'bezier'` or `'polychain'`). */
  readonly curve: CurveKind;
  /** The number of points, endpoints included (≥ 2). */
  readonly bends: number;
  /** `[θ_a, p₁, …, θ_b]`: `bends` maps with the same keys and shapes, float32. */
  readonly points: readonly Readonly<Params>[];
  /** Whether {@link Curve.dispose} was called. */
  readonly isDisposed: boolean;
  /**
   * The parameters at `t`: `Σᵢ wᵢ(t)·pᵢ` as new tensors the caller disposes. Terms of weight 0
   * are left out, so `at(0)` and `at(1)` equal the endpoints bit for bit.
   *
   * @throws DescentError `DISPOSED` (the curve or one of its points), `BAD_HYPERPARAM` /
   *   `NON_FINITE` for `t` outside `[0, 1]`.
   */
  at(t: number): Params;
  /** Frees every point. Idempotent. */
  dispose(): void;
}

/**
 * A {@link Curve} over `points`, which it takes ownership of (they are disposed with it).
 * Internal: callers pass checked, float32, equally structured points.
 */
export function ownedCurve(curve: CurveKind, points: readonly Params[]): Curve {
  const keys = Object.keys(points[0] as Params);
  const bends = points.length;
  let disposed = false;
  return {
    curve,
    bends,
    points,
    get isDisposed() {
      return disposed;
    },
    at(t) {
      if (disposed) {
        throw new DescentError('DISPOSED', `curve.at: the ${curve} curve was disposed.`);
      }
      checkPosition('curve.at: t', t);
      points.forEach((p, i) => {
        checkParams(`curve.at: curve.points[${i}]`, p);
      });
      const weights = curveWeights(curve, t, bends);
      return tf.tidy(() => weightedSum(weights, points, keys, true));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const p of points) tf.dispose(Object.values(p).filter((x) => !x.isDisposed));
    },
  };
}

/**
 * Asserts `value` is a live {@link Curve}. Internal.
 *
 * @throws DescentError `BAD_ARGUMENT` (not a curve), `DISPOSED`.
 */
export function checkCurve(name: string, value: unknown): asserts value is Curve {
  const c = value as Partial<Curve> | null;
  const ok =
    typeof c === 'object' &&
    c !== null &&
    typeof c.at === 'function' &&
    Array.isArray(c.points) &&
    c.points.length >= 2 &&
    c.points.length === c.bends;
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a Curve (from modeConnect or linearPath), got ${describeValue(value)}.`,
    );
  }
  if (c.isDisposed === true) {
    throw new DescentError('DISPOSED', `${name} was disposed before this call.`);
  }
  c.points.forEach((p, i) => {
    checkParams(`${name}.points[${i}]`, p);
  });
}
