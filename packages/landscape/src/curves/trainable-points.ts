import * as tf from '@tensorflow/tfjs-core';
import { type Params, cloneParams } from '@descent/core';
import { type Curve, ownedCurve } from './curve';
import type { CurveKind } from './curve-weights';

/**
 * A curve's points while it is trained: copies of the endpoints, and interior points whose
 * `trainable` entries are `tf.Variable`s with unique registered names (the rest, e.g. running
 * statistics, plain tensors). Internal to {@link modeConnect}.
 */
export interface TrainablePoints {
  /** `[θ_a copy, p₁, …, θ_b copy]`. */
  readonly points: readonly Params[];
  /** The interior variables, interior point by point, key by key in `trainable` order. */
  readonly variables: readonly tf.Variable[];
  /** Their names, in the same order. */
  readonly names: readonly string[];
  /** The name of interior point `bend`'s variable for `key`. */
  nameOf(bend: number, key: string): string;
  /** The curve, as plain tensors; the variables are freed and this object is spent. */
  toCurve(kind: CurveKind): Curve;
  /** Frees everything made. Idempotent. */
  release(): void;
}

let made = 0;

/**
 * Copies `a` and `b` and makes the interior points from `interior` (copied) or, when it is
 * `'linear'`, on the segment: `pᵢ = a + (i/n)·(b − a)`, `n = bends − 1`. All or nothing: if
 * anything fails, what was made is freed before the error propagates.
 */
export function trainablePoints(
  a: Params,
  b: Params,
  bends: number,
  interior: 'linear' | readonly Params[],
  trainable: readonly string[],
): TrainablePoints {
  const prefix = freshPrefix();
  const nameOf = (bend: number, key: string) => `${prefix}/bend${bend}/${key}`;
  const points: Params[] = [];
  const variables: tf.Variable[] = [];
  const names: string[] = [];
  const release = () => {
    for (const p of points) tf.dispose(Object.values(p).filter((x) => !x.isDisposed));
    points.length = 0;
    variables.length = 0;
  };
  try {
    points.push(cloneParams(a));
    for (let i = 1; i < bends - 1; i++) {
      const point =
        interior === 'linear'
          ? segmentPoint(a, b, i / (bends - 1))
          : cloneParams(interior[i - 1] as Params);
      points.push(point);
      for (const key of trainable) {
        const name = nameOf(i, key);
        const value = point[key] as tf.Tensor;
        point[key] = tf.variable(value, true, name);
        value.dispose();
        variables.push(point[key] as tf.Variable);
        names.push(name);
      }
    }
    points.push(cloneParams(b));
  } catch (error) {
    release();
    throw error;
  }
  return {
    points,
    variables,
    names,
    nameOf,
    toCurve(kind) {
      const plain = points.map((p) => {
        const out: Params = {};
        for (const [key, t] of Object.entries(p))
          out[key] = t instanceof tf.Variable ? tf.clone(t) : t;
        return out;
      });
      tf.dispose(variables as tf.Variable[]);
      points.length = 0;
      return ownedCurve(kind, plain);
    },
    release,
  };
}

function segmentPoint(a: Params, b: Params, s: number): Params {
  return tf.tidy(() => {
    const out: Params = {};
    for (const key of Object.keys(a)) {
      const from = a[key] as tf.Tensor;
      out[key] = tf.add(from, tf.mul(tf.sub(b[key] as tf.Tensor, from), s));
    }
    return out;
  });
}

function freshPrefix(): string {
  const taken = Object.keys(tf.engine().registeredVariables);
  let prefix: string;
  do {
    made += 1;
    prefix = `modeConnect${made}`;
  } while (taken.some((name) => name.startsWith(`${prefix}/`)));
  return prefix;
}
