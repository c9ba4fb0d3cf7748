import * as tf from '@tensorflow/tfjs-core';

/** How the output axes of an empirical kernel are reduced (see `empiricalNtk`). */
export type OutputReduction = 'none' | 'sum' | 'mean';

/** Every {@link OutputReduction}. */
export const OUTPUT_REDUCTIONS: readonly OutputReduction[] = ['none', 'sum', 'mean'];

/**
 * The kernel of two Jacobian blocks, `Σ_p J1_p J2_pᵀ`, laid out as the reduction asks:
 * `'none'` `[n1, n2, O, O]`, otherwise `[n1, n2]` summed over the matching outputs (`a = b`).
 * Rows of `J_p` are `i·O + a`.
 */
export function contractJacobians(
  j1: readonly tf.Tensor[],
  j2: readonly tf.Tensor[],
  outputCount: number,
  reduction: OutputReduction,
): tf.Tensor {
  return tf.tidy(() => {
    const n1 = (j1[0]?.shape[0] as number) / outputCount;
    const n2 = (j2[0]?.shape[0] as number) / outputCount;
    if (reduction === 'none') {
      const full = tf.addN(j1.map((a, k) => tf.matMul(a, j2[k] as tf.Tensor, false, true)));
      return tf.transpose(tf.reshape(full, [n1, outputCount, n2, outputCount]), [0, 2, 1, 3]);
    }
    const byOutput = (j: tf.Tensor, n: number) =>
      tf.transpose(tf.reshape(j, [n, outputCount, j.shape[1] as number]), [1, 0, 2]);
    const perOutput = tf.addN(
      j1.map((a, k) => tf.matMul(byOutput(a, n1), byOutput(j2[k] as tf.Tensor, n2), false, true)),
    );
    return tf.sum(perOutput, 0);
  });
}

/**
 * The transpose of a kernel block: `K(x2, x1)` from `K(x1, x2)` (`[1, 0]`, or `[1, 0, 3, 2]` for
 * the full `[n1, n2, O, O]` layout).
 */
export function transposeKernel(k: tf.Tensor): tf.Tensor {
  return tf.transpose(k, k.rank === 4 ? [1, 0, 3, 2] : [1, 0]);
}

/** `(K + Kᵀ)/2`: exactly symmetric (floating-point addition commutes, halving is exact). */
export function symmetrize(k: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.add(k, transposeKernel(k)), 0.5));
}

/** Divides by the number of outputs for `'mean'`; the kernel as is otherwise. Takes ownership. */
export function finishReduction(
  k: tf.Tensor,
  outputCount: number,
  reduction: OutputReduction,
): tf.Tensor {
  if (reduction !== 'mean' || outputCount === 1) return k;
  const out = tf.div(k, outputCount);
  k.dispose();
  return out;
}
