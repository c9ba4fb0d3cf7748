import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Model, type ParamLayout, checkModel, formatShape } from '@descent/core';
import {
  type SpectralNormValueOptions,
  readValueOptions,
  spectralNormValueOf,
} from './spectral-norm-value';

/** One factor of a {@link LipschitzBound}. */
export interface LipschitzFactor {
  /** The parameter's key in `model.params`. */
  key: string;
  /** Its `ParamInfo.layer`. */
  layer: string;
  /** Its layout (`'dense'` or `'conv2d'`). */
  layout: ParamLayout;
  /** `σ_max` of the kernel read as a matrix `[prod(other axes), out]`. */
  sigma: number;
  /** What enters the product: `sigma` for dense, `√(kh·kw)·sigma` for conv2d. */
  factor: number;
}

/** The result of {@link lipschitzUpperBound}. */
export interface LipschitzBound {
  /** `∏ factor` over the weights, in forward order (1 for a model without weights). */
  bound: number;
  /** One entry per `role: 'weight'` parameter, in the order of `model.params`' keys. */
  factors: LipschitzFactor[];
}

/** Options of {@link lipschitzUpperBound}: passed to {@link spectralNormValue}. */
export type LipschitzOptions = SpectralNormValueOptions;

/**
 * AutoLip (Virmaux & Scaman, 2018): an upper bound on the Lipschitz constant (ℓ₂ → ℓ₂) of a
 * feed-forward network, the product of its layers' operator norms, `L ≤ ∏ₗ ‖Wₗ‖₂`. It reads the
 * `role: 'weight'` parameters of `model` (by `ParamInfo`, in the order of `model.params`' keys,
 * which is taken as the forward order) and computes each factor with {@link spectralNormValue}:
 * - **dense** `[in, out]`: `σ_max(W)`, the exact operator norm of `x ↦ xW`;
 * - **conv2d** `[kh, kw, in, out]`: `√(kh·kw)·σ_max(reshape(W, [kh·kw·in, out]))`. The reshaped
 *   matrix's norm alone is **not** a bound on the convolution's operator norm (a 3×3 conv can
 *   exceed it by up to 3×); the factor `√(kh·kw)` makes it one for any stride, dilation and
 *   zero/'same'/'valid' padding, because each input pixel enters at most `kh·kw` patches. It can
 *   overestimate the true conv norm by up to `√(kh·kw)`.
 *
 * **What the bound is worth.** It is valid only if the model is a chain
 * `Wₗ φ(… φ(W₁x + b₁) …)` whose nonlinearities are 1-Lipschitz (ReLU, leaky ReLU, tanh,
 * sigmoid, max-pooling are; biases do not matter). It ignores everything else: normalization
 * layers (batch norm in inference multiplies by `γ/√(σ̂² + ε)`, which can be large), residual
 * connections (`x + f(x)` has constant up to `1 + L_f`), average pooling, attention. Even when
 * valid it is usually loose — often by orders of magnitude for deep nets — because it assumes
 * every layer's top singular direction aligns with the next one's and that the nonlinearities
 * never contract; SeqLip (same paper) and LipSDP are tighter. Use it to compare models or track
 * training (e.g. with {@link spectralNorm}, where every factor is ≈ 1), not as a certificate
 * unless the architecture matches the assumptions.
 *
 * @throws DescentError `BAD_ARGUMENT` for a `'weight'` parameter with layout `'vector'`, plus
 * whatever `checkModel` and {@link spectralNormValue} throw (options are checked, and named as
 * `lipschitzUpperBound`'s, before any weight is read; `NON_FINITE` names the weight's key).
 *
 * @example
 * ```ts
 * const { bound, factors } = await lipschitzUpperBound(model);
 * console.log(bound, factors.map((f) => `${f.layer}: ${f.factor.toFixed(2)}`));
 * ```
 */
export async function lipschitzUpperBound(
  model: Model,
  options: LipschitzOptions = {},
): Promise<LipschitzBound> {
  checkModel('lipschitzUpperBound: model', model);
  const settings = readValueOptions('lipschitzUpperBound', options);
  const weights = Object.keys(model.params).filter((key) => model.info[key]?.role === 'weight');
  for (const key of weights) {
    const info = model.info[key];
    if (info?.layout === 'vector') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `lipschitzUpperBound: model.params[${JSON.stringify(key)}] is a 'weight' with layout 'vector' ` +
          `(shape ${formatShape((model.params[key] as tf.Tensor).shape)}); only 'dense' and 'conv2d' ` +
          'kernels can be bounded.',
      );
    }
  }
  const factors: LipschitzFactor[] = [];
  let bound = 1;
  for (const key of weights) {
    const info = model.info[key] as NonNullable<(typeof model.info)[string]>;
    const w = model.params[key] as tf.Tensor;
    const sigma = await spectralNormValueOf(
      `lipschitzUpperBound: model.params[${JSON.stringify(key)}]`,
      w,
      settings,
    );
    const receptive =
      info.layout === 'conv2d' ? (w.shape[0] as number) * (w.shape[1] as number) : 1;
    const factor = Math.sqrt(receptive) * sigma;
    factors.push({ key, layer: info.layer, layout: info.layout, sigma, factor });
    bound *= factor;
  }
  return { bound, factors };
}
