import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, Rng, describeValue } from '@descent/core';
import { spectralNorm, spectralNormState } from '@descent/norm';
import { KernelWrapper, type KernelWrapperArgs, wrapperArgsFromConfig } from './kernel-wrapper';

type Kwargs = Parameters<tfl.layers.Layer['call']>[1];

/** Arguments of {@link spectralNormalization}. */
export interface SpectralNormalizationArgs extends KernelWrapperArgs {
  /** Power-iteration steps on `u` per training call, an integer ≥ 1. Default `1` (Miyato et al.). */
  powerIterations?: number;
  /**
   * Seed of the random unit vector `u` starts from, an integer in [0, 2⁵³) (see `Rng`). Default:
   * drawn with `Math.random` once, then kept in the config.
   */
  seed?: number;
}

/**
 * Spectral normalization (Miyato, Kataoka, Koyama & Yoshida 2018) of a tfjs-layers `dense` or
 * `conv` layer: the layer computes with `W/σ(W)` instead of its stored kernel `W`, where `σ` is
 * the largest singular value of `W` read as the matrix `[prod(other axes), units]`, estimated by
 * power iteration on a persistent vector `u` (`[units]`): every training call
 * (`kwargs.training`, as in `model.fit`) runs `powerIterations` steps
 * `v ← Wu/‖Wu‖, u ← Wᵀv/‖Wᵀv‖`, stores the new `u` (as tfjs-layers' BatchNormalization stores its
 * moving statistics) and uses `σ = ‖Wu‖`; inference uses the stored `u` without moving it. `u` is
 * a constant in the backward pass, so `∂σ/∂W = v uᵀ` as in the paper. The maths is
 * `@descent/norm`'s `spectralNorm`.
 *
 * Weights, in order: the inner layer's (`kernel` = `W`, `bias`), then the non-trainable `u`
 * (saved and restored with the model), named under the wrapper's name.
 *
 * @example
 * ```ts
 * model.add(spectralNormalization({ layer: tf.layers.dense({ units: 16, inputShape: [8] }) }));
 * ```
 */
export class SpectralNormalization extends KernelWrapper {
  /** The name tfjs's serialization registry knows this class by. */
  static className = 'descent.SpectralNormalization';
  /** Power-iteration steps per training call. */
  readonly powerIterations: number;
  /** The seed of `u`'s initial draw. */
  readonly seed: number;
  private vectorU: tfl.LayerVariable | null = null;

  /** Prefer the {@link spectralNormalization} factory. */
  constructor(args: SpectralNormalizationArgs) {
    super('spectralNormalization', checkSpectralArgs(args));
    this.powerIterations = args.powerIterations ?? 1;
    this.seed = args.seed ?? Math.floor(Math.random() * 2 ** 32);
  }

  protected override buildOwn(kernel: tfl.LayerVariable): void {
    const units = kernel.shape[kernel.shape.length - 1] as number;
    this.vectorU = this.addWeight(
      'u',
      [units],
      'float32',
      tfl.initializers.zeros(),
      undefined,
      false,
    );
    const start = spectralNormState(kernel.shape as number[], new Rng(this.seed));
    this.vectorU.write(start.u);
    start.u.dispose();
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const training = kwargs.training === true;
    const u = this.vectorU as tfl.LayerVariable;
    return tf.tidy(() => {
      const { w, state } = spectralNorm(
        this.innerKernel.read(),
        { u: u.read() },
        { training, iterations: this.powerIterations },
      );
      if (training) u.write(state.u);
      return this.callWithKernel(w, inputs, kwargs);
    });
  }

  /** The inner layer's config under `layer`, `powerIterations`, `seed`, then the base layer's config. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), powerIterations: this.powerIterations, seed: this.seed };
  }

  /** Rebuilds the wrapper and its inner layer from {@link getConfig}'s output. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(wrapperArgsFromConfig('spectralNormalization', config));
  }
}
tf.serialization.registerClass(SpectralNormalization);

/**
 * Wraps a `dense` or `conv` layer in {@link SpectralNormalization}: `W/σ(W)` with `σ` tracked by
 * power iteration in training (Miyato et al. 2018).
 *
 * @param args - `layer`: the layer to wrap (its `inputShape`, if any, becomes the wrapper's);
 *   `powerIterations` (default `1`); `seed` of `u`'s start; and tfjs-layers' layer arguments.
 * @throws DescentError `BAD_ARGUMENT` for a layer without a kernel (or a transposed convolution),
 *   a seed that is not a number, args not a plain object; `BAD_HYPERPARAM` for
 *   `powerIterations` not an integer ≥ 1 or a seed out of range (`NON_FINITE` for a NaN seed).
 *
 * @example
 * ```ts
 * model.add(spectralNormalization({ layer: tf.layers.conv2d({ filters: 8, kernelSize: 3 }) }));
 * ```
 */
export function spectralNormalization(args: SpectralNormalizationArgs): SpectralNormalization {
  return new SpectralNormalization(args);
}

function checkSpectralArgs(args: SpectralNormalizationArgs): SpectralNormalizationArgs {
  const given = args as Partial<SpectralNormalizationArgs> | null;
  const iterations: unknown = given?.powerIterations;
  if (
    iterations !== undefined &&
    !(typeof iterations === 'number' && Number.isInteger(iterations) && iterations >= 1)
  ) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `spectralNormalization: args.powerIterations must be an integer ≥ 1, got ${describeValue(iterations)}.`,
    );
  }
  const seed: unknown = given?.seed;
  if (seed !== undefined && typeof seed !== 'number') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `spectralNormalization: args.seed must be an integer in [0, 2⁵³), got ${describeValue(seed)}.`,
    );
  }
  if (seed !== undefined) new Rng(seed);
  return args;
}
