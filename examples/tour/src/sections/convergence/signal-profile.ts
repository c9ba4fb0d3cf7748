import type * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@descent/core';
import { signalPropagation } from '@descent/init';

/** How a signal travels through a net at initialization, layer by layer. */
export interface SignalProfile {
  /**
   * `E[z_l²] / E[z_1²]`: each layer's pre-activation second moment relative to the first
   * layer's, so that only what depth does shows (the first layer's is set by the input's scale).
   */
  forward: number[];
  /** `‖∂L/∂z_l‖` for `L = Σ outputs`, over the batch. */
  backward: number[];
}

/**
 * The forward second moment (relative to the first layer's) and the backward gradient norm of every
 * layer of `model` on `batch`, from `@descent/init`'s `signalPropagation` (no Jacobians).
 */
export async function signalProfile(model: Model, batch: tf.Tensor): Promise<SignalProfile> {
  const report = await signalPropagation(model, batch, { jacobianSamples: 0 });
  const first = report.layers[0]!.forwardSecondMoment;
  return {
    forward: report.layers.map((l) => l.forwardSecondMoment / first),
    backward: report.layers.map((l) => l.backwardGradNorm),
  };
}
