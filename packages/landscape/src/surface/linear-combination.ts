import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';

/**
 * `Σₖ cₖ·basesₖ` key by key, for maps of one structure (checked by the caller). Terms with
 * `cₖ = 0` are skipped and `cₖ = 1` is not multiplied, so a point with a single unit coefficient
 * is that base itself — the very tensors, bit for bit (`θ₀ + 0·d` is `θ₀`). Call it inside
 * `tf.tidy`; when the result may share tensors with a base, see {@link ownedLinearCombination}.
 */
export function linearCombination(
  keys: readonly string[],
  bases: readonly Params[],
  coefficients: readonly number[],
): Params {
  const out: Params = {};
  for (const key of keys) {
    let sum: tf.Tensor | undefined;
    bases.forEach((base, i) => {
      const c = coefficients[i] as number;
      if (c === 0) return;
      const tensor = base[key] as tf.Tensor;
      const term = c === 1 ? tensor : tf.mul(tensor, c);
      sum = sum === undefined ? term : tf.add(sum, term);
    });
    out[key] = sum ?? tf.zerosLike(bases[0]?.[key] as tf.Tensor);
  }
  return out;
}

/**
 * {@link linearCombination} as tensors the caller owns and disposes: an entry that is a base's own
 * tensor is handed out as a `tf.clone` of it (same values, its own handle).
 */
export function ownedLinearCombination(
  keys: readonly string[],
  bases: readonly Params[],
  coefficients: readonly number[],
): Params {
  return tf.tidy(() => {
    const out = linearCombination(keys, bases, coefficients);
    for (const key of keys) {
      const tensor = out[key] as tf.Tensor;
      if (bases.some((base) => base[key] === tensor)) out[key] = tf.clone(tensor);
    }
    return out;
  });
}
