import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@descent/core';

/** `aᵀb` as a scalar tensor. */
export function dot(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(a, b));
}

/** `a / s` for a host number `s`, as a new tensor. */
export function divide<T extends tf.Tensor>(a: T, s: number): T {
  return tf.tidy(() => tf.div(a, s));
}

/** `‖a‖₂` as a scalar tensor. */
export function norm(a: tf.Tensor): tf.Scalar {
  return tf.sqrt(dot(a, a));
}

/**
 * `w − Vᵀ(Vw)` applied twice (classical Gram–Schmidt, "twice is enough"): `w` made orthogonal
 * to the rows of `basis` (orthonormal, `[m, P]`) to working precision. A new tensor.
 */
export function orthogonalize(w: tf.Tensor1D, basis: tf.Tensor2D | undefined): tf.Tensor1D {
  if (basis === undefined) return tf.clone(w);
  return tf.tidy(() => {
    let out: tf.Tensor1D = w;
    for (let pass = 0; pass < 2; pass++) {
      const coefficients = tf.matMul(basis, tf.reshape(out, [-1, 1]));
      out = tf.sub(out, tf.reshape(tf.matMul(basis, coefficients, true), [-1]));
    }
    return out;
  });
}

/** The basis with `v` appended as its last row; disposes the old basis. */
export function appendRow(basis: tf.Tensor2D | undefined, v: tf.Tensor1D): tf.Tensor2D {
  const row = tf.reshape(v, [1, -1]) as tf.Tensor2D;
  if (basis === undefined) return row;
  const grown = tf.concat([basis, row]) as tf.Tensor2D;
  basis.dispose();
  row.dispose();
  return grown;
}

/**
 * A random unit vector of length `size` orthogonal to the rows of `basis` (which must leave some
 * of the space free), from `rng`: standard normal entries (`'normal'`) or Rademacher signs
 * (`'rademacher'`, see {@link rademacherArray}). A new tensor.
 */
export function randomUnitVector(
  rng: Rng,
  size: number,
  kind: 'normal' | 'rademacher',
  basis?: tf.Tensor2D,
): tf.Tensor1D {
  const draws = kind === 'normal' ? rng.normalArray(size) : rademacherArray(rng, size);
  return tf.tidy(() => {
    const raw = orthogonalize(tf.tensor1d(draws, 'float32'), basis);
    return tf.div(raw, norm(raw));
  });
}

/** `size` Rademacher signs (`±1`, each with probability ½) from `rng.bernoulliArray(size, 0.5)`. */
export function rademacherArray(rng: Rng, size: number): Float32Array {
  const bits = rng.bernoulliArray(size, 0.5);
  for (let i = 0; i < size; i++) bits[i] = bits[i] === 1 ? 1 : -1;
  return bits;
}

/** Reads scalar tensors in one device read (`await data()`, as webgpu needs); disposes them. */
export async function readScalars(scalars: readonly tf.Tensor[]): Promise<number[]> {
  const stacked = tf.tidy(() => tf.stack(scalars as tf.Tensor[]));
  tf.dispose(scalars as tf.Tensor[]);
  try {
    return Array.from(await stacked.data());
  } finally {
    stacked.dispose();
  }
}
