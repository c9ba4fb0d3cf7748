import * as tf from '@tensorflow/tfjs-core';
import { DescentError, formatShape } from '@descent/core';
import { orthogonalMatrix, readGainOptions } from './orthogonal';
import { type SchemeOptions, allocating, checkLayoutFits, checkShapeArg } from './options';

/** Options of {@link deltaOrthogonal}. */
export interface DeltaOrthogonalOptions extends SchemeOptions {
  /** Multiplier `g > 0` of the centre matrix, at most float32's largest value (default 1). */
  gain?: number;
}

/**
 * Delta-orthogonal initialization of a conv2d kernel (Xiao et al. 2018): zero everywhere except
 * the spatial centre `(⌊kh/2⌋, ⌊kw/2⌋)`, which holds `g·H` with `H` an `[in, out]` matrix with
 * orthonormal rows (`HHᵀ = I_in`, Haar-random, see {@link orthogonal}). At initialization the
 * convolution then acts on each pixel as the isometry `x ↦ g·xH` (`‖xH‖ = ‖x‖`), so a deep CNN is
 * as well-conditioned as a deep orthogonal MLP: dynamical isometry for CNNs, which let Xiao et
 * al. train 10 000-layer vanilla CNNs.
 *
 * @param shape - a conv2d kernel `[kh, kw, in, out]` with `in ≤ out` (otherwise no isometry exists).
 * @param options - `gain` (1), `rng` or `seed` (one is required), `layout` (must be `'conv2d'` if given).
 * @returns a new float32 tensor; the caller disposes it.
 * @throws DescentError `SHAPE_MISMATCH` for a shape that is not rank 4 or has `in > out`;
 *   `BAD_ARGUMENT` for a malformed or too large shape, a bad generator or options that are not an
 *   object, `UNKNOWN_PARAM` for an unknown option, `BAD_HYPERPARAM`/`NON_FINITE` for a gain that
 *   is not in (0, 3.4e38].
 * @example
 * ```ts
 * const k = deltaOrthogonal([3, 3, 64, 64], { seed: 1 }); // k[1][1] is a 64×64 orthogonal matrix
 * ```
 * @see L. Xiao, Y. Bahri, J. Sohl-Dickstein, S. Schoenholz, J. Pennington, Dynamical isometry and
 *   a mean field theory of CNNs: how to train 10,000-layer vanilla convolutional neural networks,
 *   ICML 2018.
 */
export function deltaOrthogonal(
  shape: readonly number[],
  options?: DeltaOrthogonalOptions,
): tf.Tensor {
  const fn = 'deltaOrthogonal';
  const { g, layout, rng } = readGainOptions(fn, options);
  checkShapeArg(fn, shape);
  if (shape.length !== 4) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: shape must be a conv2d kernel [kh, kw, in, out], got ${formatShape(shape)}.`,
    );
  }
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  if (cin > cout) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: shape ${formatShape(shape)} has in = ${cin} > out = ${cout} channels; delta-orthogonal needs in ≤ out.`,
    );
  }
  checkLayoutFits(fn, shape, layout);
  return allocating(fn, shape, () => {
    const values = new Float32Array(kh * kw * cin * cout);
    if (values.length > 0) {
      const centre = orthogonalMatrix(cin, cout, g, rng());
      const offset = (Math.floor(kh / 2) * kw + Math.floor(kw / 2)) * cin * cout;
      values.set(centre, offset);
    }
    return tf.tensor(values, [...shape], 'float32');
  });
}
