import * as tf from '@tensorflow/tfjs-core';

/**
 * A vector split into named pieces, one per variable (`{ "dense/kernel": …, "dense/bias": … }`):
 * how L-BFGS holds its directions and history, so that its state is keyed by variable name and
 * never depends on the order in which variables are listed.
 */
export type NamedVector = Readonly<Record<string, tf.Tensor>>;

/** A new vector, piece by piece (each piece computed inside its own `tf.tidy`). */
export function mapVector(
  names: readonly string[],
  piece: (name: string) => tf.Tensor,
): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const name of names) out[name] = tf.tidy(() => piece(name));
  return out;
}

/** The piece of `v` named `name` (present by construction). */
export function pieceOf(v: NamedVector, name: string): tf.Tensor {
  return v[name] as tf.Tensor;
}

/** `a + α·b` (`α` a number or a scalar tensor). */
export function axpy(
  names: readonly string[],
  a: NamedVector,
  alpha: number | tf.Tensor,
  b: NamedVector,
): Record<string, tf.Tensor> {
  return mapVector(names, (n) => tf.add(pieceOf(a, n), tf.mul(pieceOf(b, n), alpha)));
}

/** `α·a`. */
export function scaleVector(
  names: readonly string[],
  alpha: number | tf.Tensor,
  a: NamedVector,
): Record<string, tf.Tensor> {
  return mapVector(names, (n) => tf.mul(pieceOf(a, n), alpha));
}

/** `aᵀb` as a scalar tensor (call inside `tf.tidy`). */
export function dot(names: readonly string[], a: NamedVector, b: NamedVector): tf.Scalar {
  return tf.addN(names.map((n) => tf.sum(tf.mul(pieceOf(a, n), pieceOf(b, n))))) as tf.Scalar;
}

/** `max |aᵢ|` as a scalar tensor (call inside `tf.tidy`). */
export function maxAbs(names: readonly string[], a: NamedVector): tf.Scalar {
  return tf.max(
    tf.stack(names.map((n) => tf.max(tf.abs(tf.reshape(pieceOf(a, n), [-1]))))),
  ) as tf.Scalar;
}

/** `Σ |aᵢ|` as a scalar tensor (call inside `tf.tidy`). */
export function sumAbs(names: readonly string[], a: NamedVector): tf.Scalar {
  return tf.addN(names.map((n) => tf.sum(tf.abs(pieceOf(a, n))))) as tf.Scalar;
}

/** Every tensor of some vectors. */
export function vectorTensors(
  vectors: Iterable<NamedVector | undefined>,
  into: Set<tf.Tensor> = new Set(),
): Set<tf.Tensor> {
  for (const v of vectors) if (v) for (const t of Object.values(v)) into.add(t);
  return into;
}
